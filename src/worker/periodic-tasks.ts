import type { ServiceContext } from '../context';
import { reconcileDeadlines } from '../deadlines/reconciler';
import type { Logger } from '../logger';
import { sendDueDigests } from '../notifications/escalation-digest';
import { expireDueHandoffs } from '../ownership/handoffs.service';
import { runConsultChecks } from '../consults/consult-checks';
import { runPromiseChecks } from '../promises/promise-checks';
import { closeResolvedTickets } from '../lifecycle/close-resolved';
import { runWaitingChecks } from '../lifecycle/waiting-checks';
import { forgetExpiredSessions } from '../sessions/forget-expired';

/** How far ahead the periodic reconciler makes sure jobs exist (a bit more than its period). */
export const RECONCILE_HORIZON_MS = 5 * 60_000;
const PERIOD_MS = 60_000;
const FREQUENT_PERIOD_MS = 15_000;

export interface PeriodicTasks {
  /** Stops the timer and waits for a pass in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Runs the safety-net tasks every minute in each worker process: reconcile deadlines with the
 * queue (a full pass until one has succeeded, then the steps due within the horizon) and expire
 * lapsed handoff offers. Deliberately a process timer, not a BullMQ repeatable job: that would
 * live in Redis, and the reconciler must keep running after Redis loses its data. Every task is
 * idempotent, so several workers may overlap.
 */
export function startPeriodicTasks(
  ctx: ServiceContext,
  logger: Logger,
  options: { fullReconcileDone: boolean; periodMs?: number },
): PeriodicTasks {
  let fullReconcileDone = options.fullReconcileDone;
  const tasks: Array<{ name: string; run: () => Promise<unknown> }> = [
    {
      name: 'reconcile-deadlines',
      run: async () => {
        const report = await reconcileDeadlines(
          ctx,
          fullReconcileDone ? { horizonMs: RECONCILE_HORIZON_MS } : {},
        );
        fullReconcileDone = true;
        return report;
      },
    },
    { name: 'expire-handoffs', run: async () => ({ expired: await expireDueHandoffs(ctx) }) },
    { name: 'escalation-digests', run: async () => ({ digests: await sendDueDigests(ctx) }) },
    { name: 'close-resolved', run: async () => ({ closed: await closeResolvedTickets(ctx) }) },
    { name: 'forget-expired-sessions', run: () => forgetExpiredSessions(ctx) },
  ];
  // Promises and consults are checked more often: a broken promise is recorded within seconds.
  const frequentTasks: Array<{ name: string; run: () => Promise<unknown> }> = [
    { name: 'promise-checks', run: () => runPromiseChecks(ctx) },
    { name: 'consult-checks', run: () => runConsultChecks(ctx) },
    { name: 'waiting-checks', run: () => runWaitingChecks(ctx) },
  ];

  const minutely = every(options.periodMs ?? PERIOD_MS, tasks, logger);
  const frequent = every(FREQUENT_PERIOD_MS, frequentTasks, logger);
  return {
    async stop() {
      await Promise.all([minutely.stop(), frequent.stop()]);
    },
  };
}

/** Runs the tasks in turn every `periodMs`; a pass still running makes the next one skip. */
function every(
  periodMs: number,
  tasks: Array<{ name: string; run: () => Promise<unknown> }>,
  logger: Logger,
): PeriodicTasks {
  let running: Promise<void> | undefined;
  const pass = async () => {
    for (const task of tasks) {
      try {
        logger.debug({ task: task.name, result: await task.run() }, 'periodic task done');
      } catch (error) {
        logger.error({ err: error, task: task.name }, 'periodic task failed; retrying next period');
      }
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = pass().finally(() => {
      running = undefined;
    });
  }, periodMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
