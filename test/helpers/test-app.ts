import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { ensureAdminWithToken } from '../../src/agents/admin-bootstrap';
import { generateToken } from '../../src/agents/tokens';
import type { Clock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import { createServiceContext, type ServiceContext } from '../../src/context';
import type { DeadlineJobQueue } from '../../src/deadline-rules/deadline-jobs';
import { randomBytes } from 'node:crypto';
import { createDataSource, openDatabase } from '../../src/db/data-source';
import { ensureDatabaseExists } from '../../src/db/ensure-database';
import { createApp } from '../../src/http/app';
import { LiveEventHub } from '../../src/live/live-event-hub';
import { createLogger } from '../../src/logger';
import { DEFAULT_AUTH_SETTINGS, type AuthSettings } from '../../src/auth-settings';
import { BullDeadlineQueue } from '../../src/worker/deadline-queue';
import { createQueueBoard } from '../../src/worker/queue-board';
import { QUEUE_BOARD_PATH } from '../../src/http/app';
import { createMetricsRegistry } from '../../src/metrics';
import type { Registry } from 'prom-client';
import { deleteKeys, dropDatabase } from './cleanup';
import { ResponseRecorder } from './contract-check';
import { redisUrl, testDatabaseUrl, testQueuePrefix } from './test-environment';

export interface TestApp {
  /** A listening server, for supertest and for truly concurrent requests. */
  server: Server;
  /** The Express app the server runs (its router, for tests that walk the routes). */
  express: unknown;
  /** Every API response this app sent; checked against the OpenAPI document on close(). */
  responses: ResponseRecorder;
  dataSource: DataSource;
  ctx: ServiceContext;
  adminToken: string;
  /** The database URL and BullMQ prefix this app uses (its own, with `isolated`). */
  databaseUrl: string;
  queuePrefix: string;
  /** The app's metrics registry (request latency), as the API process's /metrics serves it. */
  metrics: Registry;
  /**
   * Stops the app, then checks every response it sent against the OpenAPI document and throws
   * (failing the test file, from its afterAll) if any does not match.
   */
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
  /** The app's pool: size and how long a query waits for a connection (default 8 and 5 s). */
  pool?: { size?: number; connectionWaitMs?: number };
  /** Maps the database URL to the one the app's pool connects to (e.g. through a cuttable proxy). */
  connectThrough?: (databaseUrl: string) => string;
  reportConcurrency?: number;
  reportWaitMs?: number;
  /** Where the app schedules deadline steps; default: BullMQ on this run's Redis prefix. */
  deadlineJobs?: DeadlineJobQueue;
  /** Base of links and of the CSRF origin check; default http://ownit.test. */
  publicUrl?: string;
  /** Session and sign-in limits; the production defaults unless overridden. */
  auth?: Partial<AuthSettings>;
  /**
   * More environment for loadConfig (an empty string unsets a variable). By default the
   * per-domain inbound limit is lifted: test files share sender domains such as customer.test.
   */
  env?: Record<string, string>;
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
  const dataSource = createDataSource(options.connectThrough?.(databaseUrl) ?? databaseUrl, {
    size: options.pool?.size ?? 8,
    connectionWaitMs: options.pool?.connectionWaitMs,
  });
  await dataSource.initialize();
  const redis = new Redis(redisUrl(), {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
  });
  await redis.connect();
  const deadlineJobs = new BullDeadlineQueue(redis, queuePrefix);
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  // Configured and built as runtime.ts does it, from an environment of the test's own.
  const config = loadConfig({
    HANDOFF_EXPIRY_HOURS: String(options.handoffExpiryHours ?? 24),
    SURVEY_DELAY_HOURS: String(options.surveyDelayHours ?? 24),
    PUBLIC_URL: options.publicUrl ?? 'http://ownit.test',
    INBOUND_NEW_TICKETS_PER_DOMAIN_PER_HOUR: '100000',
    ...options.env,
  });
  const auth = { ...DEFAULT_AUTH_SETTINGS, ...options.auth };
  const ctx = createServiceContext(
    { ...config, auth },
    {
      dataSource,
      clock: options.clock,
      deadlineJobs: options.deadlineJobs ?? deadlineJobs,
      logger,
      linkSecret: 'test-link-secret-0123456789abcdef0123456789',
    },
  );
  const adminToken = generateToken();
  await ensureAdminWithToken(dataSource, adminToken);
  const liveEvents = new LiveEventHub(dataSource, ctx.clock, logger);
  const metrics = createMetricsRegistry('api', { processMetrics: false });
  const app = createApp({
    metrics,
    queueBoard: createQueueBoard([deadlineJobs.queue], QUEUE_BOARD_PATH),
    ctx,
    redis,
    logger,
    liveEvents,
    keyPrefix: queuePrefix,
    reportConcurrency: options.reportConcurrency,
    reportWaitMs: options.reportWaitMs,
  });
  const responses = new ResponseRecorder();
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    responses.attach(s, () => app);
  });
  return {
    server,
    express: app,
    responses,
    dataSource,
    ctx,
    adminToken,
    databaseUrl,
    queuePrefix,
    metrics,
    async close() {
      await liveEvents.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await deadlineJobs.close();
      if (options.isolated) await deleteKeys(redis, queuePrefix);
      redis.disconnect();
      await dataSource.destroy();
      if (options.isolated) await dropDatabase(databaseUrl);
      responses.verify();
    },
  };
}
