import type { ServiceContext } from '../context';
import { reconcileDeadlines } from '../deadlines/reconciler';
import type { Logger } from '../logger';
import { startDeadlineWorker } from './deadline-queue';
import type { DeliveryOutcome, DeliverySettings } from '../notifications/deliver-outbox';
import type { DeadlineStepObserver } from '../deadlines/enforce-deadline';
import type { Mailer } from '../notifications/mailer';
import { startOutboxDispatcher } from './outbox-dispatcher';
import { startPeriodicTasks } from './periodic-tasks';
import type { WebhookDeliverySettings, WebhookOutcomeObserver } from '../webhooks/deliver-webhooks';
import type { MailboxErrorObserver } from '../mailboxes/mailbox-watcher';
import { startWebhookDispatcher } from './webhook-dispatcher';
import { startMailboxSupervisor, type MailboxSupervisorSettings } from './mailbox-supervisor';
import { createWorkerConnection } from './redis-connection';

export interface RunningWorkers {
  /** Finishes the jobs in hand (or hands them back to the queue), then disconnects. */
  close(): Promise<void>;
}

/**
 * The worker role: deadline enforcement, plus every minute a reconcile pass and handoff expiry.
 * On start it reconciles every active deadline with the queue, so a Redis flush or a killed
 * worker loses nothing; the minute pass catches a flush while it keeps running.
 */
export async function startWorkers(
  ctx: ServiceContext,
  redisUrl: string,
  prefix: string,
  logger: Logger,
  options: {
    /** Deadline transactions at once. */
    deadlineConcurrency?: number;
    /** Deadline steps per transaction, at most (a herd is enforced in batches). */
    deadlineBatchSize?: number;
    /** Where outbox emails go; without it the worker sends no email (some tests). */
    mail?: { mailer: Mailer; settings: DeliverySettings };
    /** Webhook delivery; without it the worker delivers no webhooks (some tests). */
    webhooks?: WebhookDeliverySettings;
    /** IMAP mailbox intake; without it the worker reads no mailboxes (some tests). */
    mailboxes?: MailboxSupervisorSettings;
    /** Where outcomes are reported (the seam for metrics: worker/worker-metrics.ts). */
    observe?: {
      deadlineStep?: DeadlineStepObserver;
      emailOutcomes?: (counts: Record<DeliveryOutcome, number>) => void;
      webhookOutcome?: WebhookOutcomeObserver;
      mailboxError?: MailboxErrorObserver;
    };
  } = {},
): Promise<RunningWorkers> {
  const connection = createWorkerConnection(redisUrl);
  connection.on('error', (error) => logger.warn({ err: error }, 'redis (worker) connection error'));
  const deadlines = startDeadlineWorker(
    ctx,
    connection,
    prefix,
    logger,
    options.deadlineConcurrency,
    options.observe?.deadlineStep,
    options.deadlineBatchSize,
  );
  let fullReconcileDone = false;
  try {
    logger.info(await reconcileDeadlines(ctx), 'deadlines reconciled on start');
    fullReconcileDone = true;
  } catch (error) {
    logger.error({ err: error }, 'reconciling deadlines on start failed; retrying every minute');
  }
  const periodic = startPeriodicTasks(ctx, logger, { fullReconcileDone });
  const outbox = options.mail
    ? startOutboxDispatcher(ctx, options.mail.mailer, options.mail.settings, logger, {
        ...(options.observe?.emailOutcomes ? { observe: options.observe.emailOutcomes } : {}),
      })
    : undefined;
  const webhooks = options.webhooks
    ? startWebhookDispatcher(ctx, options.webhooks, logger, {
        ...(options.observe?.webhookOutcome ? { observe: options.observe.webhookOutcome } : {}),
      })
    : undefined;
  const mailboxes = options.mailboxes
    ? startMailboxSupervisor(ctx, options.mailboxes, logger, options.observe?.mailboxError)
    : undefined;
  return {
    async close() {
      await mailboxes?.stop();
      await periodic.stop();
      await outbox?.stop();
      await webhooks?.stop();
      await deadlines.close();
      await connection.quit().catch(() => undefined);
    },
  };
}
