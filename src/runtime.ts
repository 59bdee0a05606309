import type { Server } from 'node:http';
import type { DataSource } from 'typeorm';
import { createFirstAdminIfNone, ensureAdminWithToken } from './agents/admin-bootstrap';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import type { ServiceContext } from './context';
import { openDatabase } from './db/data-source';
import { ensureDatabaseExists } from './db/ensure-database';
import { createApp } from './http/app';
import type { Logger } from './logger';
import { ensureLinkSecret } from './system/link-secret';
import { BullDeadlineQueue } from './worker/deadline-queue';
import { createProducerConnection, waitUntilReady } from './worker/redis-connection';
import { startWorkers } from './worker/start-workers';
import { DEFAULT_DELIVERY } from './notifications/deliver-outbox';
import { startDevMailbox, type DevMailbox } from './notifications/dev-mailbox';
import { createSmtpMailer } from './notifications/mailer';

export interface RuntimeOptions {
  api: boolean;
  worker: boolean;
  clock?: Clock;
}

export interface Runtime {
  dataSource: DataSource;
  /** The port the API listens on (useful with PORT=0). */
  port: number | undefined;
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
  const dataSource = await openDatabase(config.databaseUrl);
  logger.info('database migrated');
  if (config.adminToken) {
    await ensureAdminWithToken(dataSource, config.adminToken);
  } else {
    const firstToken = await createFirstAdminIfNone(dataSource);
    if (firstToken) {
      logger.warn(
        { adminToken: firstToken },
        `No ADMIN_TOKEN set and no admin yet: created one. Admin token (shown once): ${firstToken}`,
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
  const ctx: ServiceContext = {
    dataSource,
    clock: options.clock ?? systemClock,
    deadlineJobs,
    logger,
    settings: {
      handoffExpiryHours: config.handoffExpiryHours,
      surveyDelayHours: config.surveyDelayHours,
      linkSecret,
      publicUrl: config.publicUrl,
    },
  };

  const closers: Array<() => Promise<void>> = [];
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
    const app = createApp({ ctx, redis: producer, logger, devMailbox });
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
    const workers = await startWorkers(ctx, config.redisUrl, config.queuePrefix, logger, {
      mail: { mailer, settings: { ...DEFAULT_DELIVERY, mailFrom: config.mailFrom } },
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
  closers.push(() => dataSource.destroy());

  const address = server?.address();
  return {
    dataSource,
    port: typeof address === 'object' && address ? address.port : undefined,
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
