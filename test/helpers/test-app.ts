import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { ensureAdminWithToken } from '../../src/agents/admin-bootstrap';
import { generateToken } from '../../src/agents/tokens';
import { systemClock, type Clock } from '../../src/clock';
import type { ServiceContext } from '../../src/context';
import { randomBytes } from 'node:crypto';
import { createDataSource, openDatabase } from '../../src/db/data-source';
import { ensureDatabaseExists } from '../../src/db/ensure-database';
import { createApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import { BullDeadlineQueue } from '../../src/worker/deadline-queue';
import { deleteKeys, dropDatabase } from './cleanup';
import { redisUrl, testDatabaseUrl, testQueuePrefix } from './test-environment';

export interface TestApp {
  /** A listening server, for supertest and for truly concurrent requests. */
  server: Server;
  dataSource: DataSource;
  ctx: ServiceContext;
  adminToken: string;
  /** The database URL and BullMQ prefix this app uses (its own, with `isolated`). */
  databaseUrl: string;
  queuePrefix: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  clock?: Clock;
  handoffExpiryHours?: number;
  surveyDelayHours?: number;
  /**
   * A database and queue prefix of its own, for tests that run the worker: the worker acts on
   * every ticket it can see, so it must not see other test files' tickets.
   */
  isolated?: boolean;
}

/** The real app against this run's database and Redis, listening on a free port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  let databaseUrl = testDatabaseUrl();
  let queuePrefix = testQueuePrefix();
  if (options.isolated) {
    const suffix = randomBytes(3).toString('hex');
    const url = new URL(databaseUrl);
    url.pathname = `${url.pathname}_${suffix}`;
    databaseUrl = url.toString();
    queuePrefix = `${queuePrefix}-${suffix}`;
    await ensureDatabaseExists(databaseUrl);
    await (await openDatabase(databaseUrl, 2)).destroy();
  }
  const dataSource = createDataSource(databaseUrl, 8);
  await dataSource.initialize();
  const redis = new Redis(redisUrl(), {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
  });
  await redis.connect();
  const deadlineJobs = new BullDeadlineQueue(redis, queuePrefix);
  const logger = createLogger('silent');
  const ctx: ServiceContext = {
    dataSource,
    clock: options.clock ?? systemClock,
    deadlineJobs,
    logger,
    settings: {
      handoffExpiryHours: options.handoffExpiryHours ?? 24,
      surveyDelayHours: options.surveyDelayHours ?? 24,
      linkSecret: 'test-link-secret-0123456789abcdef0123456789',
      publicUrl: 'http://ownit.test',
    },
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
    databaseUrl,
    queuePrefix,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await deadlineJobs.close();
      if (options.isolated) await deleteKeys(redis, queuePrefix);
      redis.disconnect();
      await dataSource.destroy();
      if (options.isolated) await dropDatabase(databaseUrl);
    },
  };
}
