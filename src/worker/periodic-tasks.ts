import type { ServiceContext } from '../context';
import { reconcileDeadlines } from '../deadlines/reconciler';
import type { Logger } from '../logger';
import { expireDueHandoffs } from '../ownership/handoffs.service';

/** How far ahead the periodic reconciler makes sure jobs exist (a bit more than its period). */
export const RECONCILE_HORIZON_MS = 5 * 60_000;
const PERIOD_MS = 60_000;

interface PeriodicTask {
  name: string;
  run(ctx: ServiceContext): Promise<unknown>;
}

const TASKS: PeriodicTask[] = [
  {
    name: 'reconcile-deadlines',
    run: (ctx) => reconcileDeadlines(ctx, { horizonMs: RECONCILE_HORIZON_MS }),
  },
  { name: 'expire-handoffs', run: async (ctx) => ({ expired: await expireDueHandoffs(ctx) }) },
];

export interface PeriodicTasks {
  /** Stops the timer and waits for a pass in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Runs the safety-net tasks every minute in each worker process. Deliberately a process timer,
 * not a BullMQ repeatable job: a repeatable job lives in Redis, and the reconciler must keep
 * running after Redis loses its data. Every task is idempotent, so several workers may overlap.
 */
export function startPeriodicTasks(
  ctx: ServiceContext,
  logger: Logger,
  periodMs = PERIOD_MS,
): PeriodicTasks {
  let running: Promise<void> | undefined;
  const pass = async () => {
    for (const task of TASKS) {
      try {
        const result = await task.run(ctx);
        logger.debug({ task: task.name, result }, 'periodic task done');
      } catch (error) {
        logger.error({ err: error, task: task.name }, 'periodic task failed; retrying next period');
      }
    }
  };
  const timer = setInterval(() => {
    if (running) return; // the previous pass is still going: skip, never pile up
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
