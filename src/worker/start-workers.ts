import type { ServiceContext } from '../context';
import { reconcileDeadlines } from '../deadlines/reconciler';
import type { Logger } from '../logger';
import { startDeadlineWorker } from './deadline-queue';
import type { DeliverySettings } from '../notifications/deliver-outbox';
import type { Mailer } from '../notifications/mailer';
import { startOutboxDispatcher } from './outbox-dispatcher';
import { startPeriodicTasks } from './periodic-tasks';
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
    deadlineConcurrency?: number;
    /** Where outbox emails go; without it the worker sends no email (some tests). */
    mail?: { mailer: Mailer; settings: DeliverySettings };
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
    ? startOutboxDispatcher(ctx, options.mail.mailer, options.mail.settings, logger)
    : undefined;
  return {
    async close() {
      await periodic.stop();
      await outbox?.stop();
      await deadlines.close();
      await connection.quit().catch(() => undefined);
    },
  };
}
