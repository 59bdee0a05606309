import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { ensureAdminWithToken } from '../../src/agents/admin-bootstrap';
import { generateToken } from '../../src/agents/tokens';
import { systemClock, type Clock } from '../../src/clock';
import type { ServiceContext } from '../../src/context';
import { createDataSource } from '../../src/db/data-source';
import { createApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import { BullDeadlineQueue } from '../../src/worker/deadline-queue';
import { redisUrl, testDatabaseUrl, testQueuePrefix } from './test-environment';

export interface TestApp {
  /** A listening server, for supertest and for truly concurrent requests. */
  server: Server;
  dataSource: DataSource;
  ctx: ServiceContext;
  adminToken: string;
  close(): Promise<void>;
}

/** The real app against this run's database and Redis, listening on a free port. */
export async function startTestApp(
  options: { clock?: Clock; handoffExpiryHours?: number } = {},
): Promise<TestApp> {
  const dataSource = createDataSource(testDatabaseUrl(), 8);
  await dataSource.initialize();
  const redis = new Redis(redisUrl(), {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
  });
  await redis.connect();
  const deadlineJobs = new BullDeadlineQueue(redis, testQueuePrefix());
  const logger = createLogger('silent');
  const ctx: ServiceContext = {
    dataSource,
    clock: options.clock ?? systemClock,
    deadlineJobs,
    logger,
    settings: { handoffExpiryHours: options.handoffExpiryHours ?? 24 },
  };
  const adminToken = generateToken();
  await ensureAdminWithToken(dataSource, adminToken);
  const app = createApp({ ctx, redis, logger });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    server,
    dataSource,
    ctx,
    adminToken,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await deadlineJobs.close();
      redis.disconnect();
      await dataSource.destroy();
    },
  };
}
