import type { ServiceContext } from '../context';
import { reconcileDeadlines } from '../deadlines/reconciler';
import type { Logger } from '../logger';
import { startDeadlineWorker } from './deadline-queue';
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
  options: { deadlineConcurrency?: number } = {},
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
  const report = await reconcileDeadlines(ctx);
  logger.info(report, 'deadlines reconciled on start');
  const periodic = startPeriodicTasks(ctx, logger);
  return {
    async close() {
      await periodic.stop();
      await deadlines.close();
      await connection.quit().catch(() => undefined);
    },
  };
}
