import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ServiceContext } from '../context';
import { reconcileDeadlines } from '../deadlines/reconciler';
import type { Logger } from '../logger';
import { expireDueHandoffs } from '../ownership/handoffs.service';

export const MAINTENANCE_QUEUE = 'maintenance';

/** How far ahead the periodic reconciler makes sure jobs exist (a bit more than its period). */
export const RECONCILE_HORIZON_MS = 5 * 60_000;

/** Named periodic jobs; payloads carry nothing, each handler reloads what it needs. */
const handlers: Record<string, (ctx: ServiceContext) => Promise<unknown>> = {
  'expire-handoffs': async (ctx) => ({ expired: await expireDueHandoffs(ctx) }),
  'reconcile-deadlines': (ctx) => reconcileDeadlines(ctx, { horizonMs: RECONCILE_HORIZON_MS }),
};

const SCHEDULES: Array<{ name: keyof typeof handlers; everyMs: number }> = [
  { name: 'expire-handoffs', everyMs: 60_000 },
  { name: 'reconcile-deadlines', everyMs: 60_000 },
];

export interface MaintenanceWorker {
  close(): Promise<void>;
}

export async function startMaintenanceWorker(
  ctx: ServiceContext,
  connection: Redis,
  prefix: string,
  logger: Logger,
): Promise<MaintenanceWorker> {
  const queue = new Queue(MAINTENANCE_QUEUE, { connection, prefix });
  // Job schedulers are upserted by id, so any number of workers starting agree on one schedule.
  for (const schedule of SCHEDULES) {
    await queue.upsertJobScheduler(
      schedule.name,
      { every: schedule.everyMs },
      { name: schedule.name, opts: { removeOnComplete: 100, removeOnFail: 500 } },
    );
  }
  const worker = new Worker(
    MAINTENANCE_QUEUE,
    async (job: Job) => {
      const handler = handlers[job.name];
      if (!handler) throw new Error(`no handler for maintenance job ${job.name}`);
      return handler(ctx);
    },
    { connection, prefix, concurrency: 1 },
  );
  worker.on('failed', (job, error) =>
    logger.error({ err: error, job: job?.name }, 'maintenance job failed'),
  );
  worker.on('error', (error) => logger.error({ err: error }, 'maintenance worker error'));
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
