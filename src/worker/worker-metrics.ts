import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ServiceContext } from '../context';
import type { DeadlineStepObserver } from '../deadlines/enforce-deadline';
import type { Logger } from '../logger';
import type { MailboxErrorObserver } from '../mailboxes/mailbox-watcher';
import type { DeliveryOutcome } from '../notifications/deliver-outbox';
import type { WebhookOutcomeObserver } from '../webhooks/deliver-webhooks';

/** What the worker's parts report; each becomes metrics here, at the edge. */
export interface WorkerObservers {
  deadlineStep: DeadlineStepObserver;
  emailOutcomes: (counts: Partial<Record<DeliveryOutcome, number>>) => void;
  webhookOutcome: WebhookOutcomeObserver;
  mailboxError: MailboxErrorObserver;
}

/** Seconds from a step's due time to its enforcement: 100 ms … an hour. */
const LATENESS_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600];
const WEBHOOK_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

/** Escalation levels repeat at the top of the ladder; one series for "5 and up" keeps them bounded. */
function levelLabel(level: number): string {
  return level >= 5 ? '5+' : String(level);
}

/**
 * The worker's metrics: deadline lateness, breaches and escalations, email and webhook outcomes,
 * mailbox errors (counted as they happen in this process), and, read from Postgres and Redis at
 * each scrape, the outbox backlogs and the queue depth (the same for every worker: the shared
 * state, not this process's share).
 */
export function createWorkerMetrics(
  registry: Registry,
  ctx: ServiceContext,
  queues: Queue[],
  logger: Logger,
): WorkerObservers {
  const registers = [registry];
  const lateness = new Histogram({
    name: 'ownit_deadline_lateness_seconds',
    help: 'Seconds from when a deadline step was due (warning time, or the deadline for a breach) to its enforcement.',
    labelNames: ['kind', 'step'] as const,
    buckets: LATENESS_BUCKETS,
    registers,
  });
  const warnings = new Counter({
    name: 'ownit_deadline_warnings_total',
    help: 'Owners warned that a deadline is near.',
    labelNames: ['kind'] as const,
    registers,
  });
  const breaches = new Counter({
    name: 'ownit_deadline_breaches_total',
    help: 'Deadlines breached, by deadline kind and the escalation level the breach reached.',
    labelNames: ['kind', 'level'] as const,
    registers,
  });
  const escalations = new Counter({
    name: 'ownit_escalations_total',
    help: 'Escalations by level and by who was told (owner_supervisor, team_supervisors, admins).',
    labelNames: ['level', 'audience'] as const,
    registers,
  });
  const emails = new Counter({
    name: 'ownit_emails_total',
    help: 'Outbox email attempts by outcome: sent, retry (temporary failure), failed, ambiguous, cancelled.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const webhooks = new Counter({
    name: 'ownit_webhook_deliveries_total',
    help: 'Webhook delivery attempts by event type and outcome: delivered, retry, failed, skipped.',
    labelNames: ['event', 'outcome'] as const,
    registers,
  });
  const webhookDuration = new Histogram({
    name: 'ownit_webhook_delivery_duration_seconds',
    help: 'Seconds a webhook delivery attempt took, by outcome.',
    labelNames: ['outcome'] as const,
    buckets: WEBHOOK_DURATION_BUCKETS,
    registers,
  });
  const mailboxErrors = new Counter({
    name: 'ownit_mailbox_poll_errors_total',
    help: 'Failed IMAP connections or polls, by mailbox id.',
    labelNames: ['mailbox'] as const,
    registers,
  });
  // Outcomes seen at zero from the start, so rate() works before the first of each.
  for (const outcome of ['sent', 'retry', 'failed', 'ambiguous', 'cancelled'] as const) {
    emails.inc({ outcome }, 0);
  }

  const guarded = async (what: string, collect: () => Promise<void>) => {
    try {
      await collect();
    } catch (error) {
      logger.warn({ err: error }, `metrics: reading ${what} failed`);
    }
  };
  new Gauge({
    name: 'ownit_outbox_backlog',
    help: 'Outbox rows waiting: emails due and not yet sent (pending, sending, ambiguous) and webhook deliveries due.',
    labelNames: ['outbox', 'status'] as const,
    registers,
    async collect() {
      await guarded('the outbox backlog', async () => {
        const now = ctx.clock.now();
        const [row] = (await ctx.dataSource.query(
          `SELECT
             (SELECT count(*) FROM outbox_emails WHERE status = 'pending' AND next_attempt_at <= $1)::int AS pending,
             (SELECT count(*) FROM outbox_emails WHERE status = 'sending')::int AS sending,
             (SELECT count(*) FROM outbox_emails WHERE status = 'ambiguous')::int AS ambiguous,
             (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1)::int AS webhooks_pending,
             (SELECT count(*) FROM webhook_deliveries WHERE status = 'sending')::int AS webhooks_sending`,
          [now],
        )) as Array<Record<string, number>>;
        if (!row) return;
        this.set({ outbox: 'email', status: 'pending' }, row.pending ?? 0);
        this.set({ outbox: 'email', status: 'sending' }, row.sending ?? 0);
        this.set({ outbox: 'email', status: 'ambiguous' }, row.ambiguous ?? 0);
        this.set({ outbox: 'webhook', status: 'pending' }, row.webhooks_pending ?? 0);
        this.set({ outbox: 'webhook', status: 'sending' }, row.webhooks_sending ?? 0);
      });
    },
  });
  new Gauge({
    name: 'ownit_outbox_oldest_pending_age_seconds',
    help: 'Seconds the oldest due, unsent outbox row has been due (0 when nothing is waiting).',
    labelNames: ['outbox'] as const,
    registers,
    async collect() {
      await guarded('the oldest pending outbox row', async () => {
        const now = ctx.clock.now();
        const [row] = (await ctx.dataSource.query(
          `SELECT
             (SELECT min(next_attempt_at) FROM outbox_emails WHERE status = 'pending' AND next_attempt_at <= $1) AS email,
             (SELECT min(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1) AS webhook`,
          [now],
        )) as Array<{ email: Date | null; webhook: Date | null }>;
        const age = (oldest: Date | null | undefined) =>
          oldest ? Math.max(0, (now.getTime() - new Date(oldest).getTime()) / 1000) : 0;
        this.set({ outbox: 'email' }, age(row?.email));
        this.set({ outbox: 'webhook' }, age(row?.webhook));
      });
    },
  });
  new Gauge({
    name: 'ownit_queue_jobs',
    help: 'BullMQ jobs by queue and state (delayed: deadline steps scheduled for later).',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      await guarded('the queue depth', async () => {
        for (const queue of queues) {
          const counts = await queue.getJobCounts(
            'waiting',
            'delayed',
            'active',
            'failed',
            'prioritized',
          );
          for (const [state, count] of Object.entries(counts)) {
            this.set({ queue: queue.name, state }, count);
          }
        }
      });
    },
  });

  return {
    deadlineStep(taken) {
      const seconds = Math.max(0, (taken.actedAt.getTime() - taken.dueAt.getTime()) / 1000);
      lateness.observe({ kind: taken.kind, step: taken.step }, seconds);
      if (taken.step === 'warned') {
        warnings.inc({ kind: taken.kind });
        return;
      }
      const level = levelLabel(taken.escalationLevel);
      breaches.inc({ kind: taken.kind, level });
      escalations.inc({ level, audience: taken.audience ?? 'unknown' });
    },
    emailOutcomes(counts) {
      for (const [outcome, count] of Object.entries(counts)) {
        if (count) emails.inc({ outcome }, count);
      }
    },
    webhookOutcome(outcome) {
      webhooks.inc({ event: outcome.eventType, outcome: outcome.outcome });
      webhookDuration.observe({ outcome: outcome.outcome }, outcome.durationMs / 1000);
    },
    mailboxError(error) {
      mailboxErrors.inc({ mailbox: error.mailboxId });
    },
  };
}
