import type { Server } from 'node:http';
import type { DataSource } from 'typeorm';
import { createFirstAdminIfNone, ensureAdminWithToken } from './agents/admin-bootstrap';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { createServiceContext, type ServiceContext } from './context';
import { startDatabaseClock } from './db/database-clock';
import { createDataSource, openDatabase, type PoolOptions } from './db/data-source';
import { ensureDatabaseExists } from './db/ensure-database';
import { createApp } from './http/app';
import type { Logger } from './logger';
import { LiveEventHub } from './live/live-event-hub';
import { issueFirstAdminLink } from './sessions/first-admin-link';
import { ensureLinkSecret } from './system/link-secret';
import { BullDeadlineQueue } from './worker/deadline-queue';
import { createProducerConnection, waitUntilReady } from './worker/redis-connection';
import { startWorkers } from './worker/start-workers';
import { DEFAULT_DELIVERY } from './notifications/deliver-outbox';
import { startDevMailbox, type DevMailbox } from './notifications/dev-mailbox';
import { createSmtpMailer } from './notifications/mailer';
import { DEFAULT_WEBHOOK_DELIVERY } from './webhooks/deliver-webhooks';
import { DEFAULT_MAILBOX_WATCH } from './mailboxes/mailbox-watcher';
import { createMetricsRegistry, registerPoolMetrics, startMetricsServer } from './metrics';
import { createWorkerMetrics } from './worker/worker-metrics';
import { createQueueBoard } from './worker/queue-board';
import { QUEUE_BOARD_PATH } from './http/app';

export interface RuntimeOptions {
  api: boolean;
  worker: boolean;
  clock?: Clock;
}

export interface Runtime {
  dataSource: DataSource;
  /** The port the API listens on (useful with PORT=0). */
  port: number | undefined;
  /** The port /metrics is served on (METRICS_PORT, or WORKER_METRICS_PORT for a worker alone). */
  metricsPort: number;
  stop(): Promise<void>;
}

/**
 * Brings the service up: database (created if missing, migrated), then the API and/or worker.
 * stop() closes in the reverse order: HTTP first, then workers, then Redis and the database.
 */
export async function startRuntime(
  config: Config,
  logger: Logger,
  options: RuntimeOptions,
): Promise<Runtime> {
  const created = await ensureDatabaseExists(config.databaseUrl);
  if (created === 'created') logger.info('created the database named in DATABASE_URL');
  // Each role has a pool of its own: a herd of deadline jobs never takes the API's connections.
  const pool = (role: 'api' | 'worker'): PoolOptions => ({
    size: role === 'api' ? config.apiPoolSize : config.workerPoolSize,
    connectionWaitMs: config.poolWaitMs,
    applicationName: `ownit-${role}`,
    onConnectionError: (error) =>
      logger.warn({ err: error, pool: role }, 'a database connection failed; the pool replaces it'),
  });
  const dataSource = await openDatabase(config.databaseUrl, pool(options.api ? 'api' : 'worker'));
  logger.info('database migrated');
  let workerDataSource = dataSource;
  if (options.api && options.worker) {
    workerDataSource = createDataSource(config.databaseUrl, pool('worker'));
    await workerDataSource.initialize();
  }
  const databaseClock = options.clock
    ? undefined
    : await startDatabaseClock(dataSource, logger, { maxSkewMs: config.maxClockSkewMs });
  let createdAdminToken: string | undefined;
  if (config.adminToken) {
    const admin = await ensureAdminWithToken(dataSource, config.adminToken);
    if (admin === 'created') createdAdminToken = config.adminToken;
    if (admin === 'deactivated') {
      logger.warn(
        'the admin of ADMIN_TOKEN was deactivated and stays so; set another ADMIN_TOKEN to bootstrap a new admin',
      );
    }
  } else {
    const firstToken = await createFirstAdminIfNone(dataSource);
    if (firstToken) {
      logger.warn(
        { adminToken: firstToken },
        `No ADMIN_TOKEN set and no admin yet: created one. Admin token (shown once): ${firstToken}`,
      );
      createdAdminToken = firstToken;
    }
  }
  if (createdAdminToken) {
    const clock = options.clock ?? systemClock;
    const link = await issueFirstAdminLink(
      dataSource,
      config.publicUrl,
      config.auth,
      createdAdminToken,
      clock.now(),
    );
    if (link) {
      logger.warn(
        { adminEmail: link.email, expiresAt: link.expiresAt.toISOString() },
        `Set the first admin's password: ${link.url}`,
      );
    }
  }
  const linkSecret = await ensureLinkSecret(dataSource, config.linkSecret);

  // Producers (the API, and the worker's reconciler) schedule through a fail-fast connection.
  const producer = createProducerConnection(config.redisUrl);
  producer.on('error', (error) => logger.warn({ err: error }, 'redis (producer) connection error'));
  const deadlineJobs = new BullDeadlineQueue(producer, config.queuePrefix, (error) =>
    logger.debug({ err: error }, 'deadline queue error'),
  );
  const ctx = createServiceContext(config, {
    dataSource,
    clock: options.clock ?? databaseClock,
    deadlineJobs,
    logger,
    linkSecret,
  });

  // One registry per process: with API and worker together (npm start) one /metrics has both.
  const metrics = createMetricsRegistry(
    options.api && options.worker ? 'all' : options.api ? 'api' : 'worker',
  );
  registerPoolMetrics(metrics, [
    ...(options.api ? [{ pool: 'api' as const, dataSource }] : []),
    ...(options.worker ? [{ pool: 'worker' as const, dataSource: workerDataSource }] : []),
  ]);

  const closers: Array<() => Promise<void>> = [];
  // Its own listener, never the public port (loopback unless METRICS_HOST says otherwise).
  const metricsServer = await startMetricsServer(metrics, {
    port: options.api ? config.metricsPort : config.workerMetricsPort,
    host: config.metricsHost,
    logger,
    variable: options.api ? 'METRICS_PORT' : 'WORKER_METRICS_PORT',
  });
  closers.push(() => metricsServer.close());
  // Without SMTP_URL, mail goes to the embedded development mailbox (served by the API process).
  let devMailbox: DevMailbox | undefined;
  if (!config.smtpUrl && options.api) {
    devMailbox = await startDevMailbox(config.devSmtpPort).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE' || !options.worker) throw error;
      // Single process: the worker is told the actual port, so any free one will do.
      logger.warn(
        `DEV_SMTP_PORT ${config.devSmtpPort} is taken; the development mailbox uses a free port`,
      );
      return startDevMailbox(0);
    });
    logger.info(
      `no SMTP_URL: emails go to the development mailbox at ${config.publicUrl}/dev/mailbox`,
    );
  }
  const smtpUrl = config.smtpUrl ?? devMailbox?.smtpUrl ?? `smtp://127.0.0.1:${config.devSmtpPort}`;

  let server: Server | undefined;
  if (options.api) {
    const liveEvents = new LiveEventHub(dataSource, ctx.clock, logger);
    const app = createApp({
      ctx,
      redis: producer,
      logger,
      devMailbox,
      liveEvents,
      keyPrefix: config.queuePrefix,
      reportConcurrency: config.reportConcurrency,
      metrics,
      queueBoard: createQueueBoard([deadlineJobs.queue], QUEUE_BOARD_PATH),
    });
    server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(config.port, () => resolve(listening));
      listening.once('error', reject);
    });
    const address = server.address();
    logger.info(
      { port: typeof address === 'object' ? address?.port : config.port },
      'API listening',
    );
    const s = server;
    // Live event streams never go idle: end them first, or closing the server would wait forever.
    closers.push(() => liveEvents.close());
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeIdleConnections();
        }),
    );
  }
  if (options.worker) {
    try {
      await waitUntilReady(producer, 30_000);
    } catch {
      throw new Error(
        `Redis at ${config.redisUrl} is not reachable: start Redis or set REDIS_URL.`,
      );
    }
    const mailer = createSmtpMailer(smtpUrl);
    const workerCtx: ServiceContext = { ...ctx, dataSource: workerDataSource };
    const observe = createWorkerMetrics(metrics, workerCtx, [deadlineJobs.queue], logger);
    const workers = await startWorkers(workerCtx, config.redisUrl, config.queuePrefix, logger, {
      deadlineConcurrency: config.deadlineConcurrency,
      deadlineBatchSize: config.deadlineBatchSize,
      mail: {
        mailer,
        settings: {
          ...DEFAULT_DELIVERY,
          mailFrom: config.mailFrom,
          leaseMs: config.outboxLeaseMs,
        },
      },
      webhooks: {
        ...DEFAULT_WEBHOOK_DELIVERY,
        allowPrivateNetworks: config.webhookAllowPrivateNetworks,
      },
      mailboxes: {
        ...DEFAULT_MAILBOX_WATCH,
        pollMs: config.mailboxPollSeconds * 1000,
        checkMs: 5_000,
        leaseMs: 60_000,
      },
      observe,
    });
    logger.info('worker started');
    closers.push(() => workers.close());
    closers.push(async () => mailer.close());
  }
  if (devMailbox) {
    const mailbox = devMailbox;
    closers.push(() => mailbox.close());
  }
  closers.push(() => deadlineJobs.close());
  closers.push(async () => void (await producer.quit().catch(() => undefined)));
  closers.push(async () => databaseClock?.stop());
  if (workerDataSource !== dataSource) closers.push(() => workerDataSource.destroy());
  closers.push(() => dataSource.destroy());

  const address = server?.address();
  return {
    dataSource,
    port: typeof address === 'object' && address ? address.port : undefined,
    metricsPort: metricsServer.port,
    async stop() {
      for (const close of closers) {
        try {
          await close();
        } catch (error) {
          logger.warn({ err: error }, 'error while shutting down');
        }
      }
    },
  };
}
