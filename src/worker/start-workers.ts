import type { ServiceContext } from '../context';
import { reconcileDeadlines } from '../deadlines/reconciler';
import type { Logger } from '../logger';
import { startDeadlineWorker } from './deadline-queue';
import { startMaintenanceWorker } from './maintenance-queue';
import { createWorkerConnection } from './redis-connection';

export interface RunningWorkers {
  /** Finishes the jobs in hand (or hands them back to the queue), then disconnects. */
  close(): Promise<void>;
}

/**
 * The worker role: deadline enforcement and periodic maintenance. On start it reconciles every
 * active deadline with the queue, so a Redis flush or a killed worker loses nothing.
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
  const maintenance = await startMaintenanceWorker(ctx, connection, prefix, logger);
  const report = await reconcileDeadlines(ctx);
  logger.info(report, 'deadlines reconciled on start');
  return {
    async close() {
      await deadlines.close();
      await maintenance.close();
      await connection.quit().catch(() => undefined);
    },
  };
}
