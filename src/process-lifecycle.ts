import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startRuntime, type RuntimeOptions } from './runtime';

/**
 * Entry-point body shared by main/api/worker: load config (fail fast), start, and shut down
 * gracefully on SIGTERM/SIGINT. A second signal forces the exit.
 */
export async function runProcess(options: Omit<RuntimeOptions, 'clock'>): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, { format: config.logFormat });
  // Either means a bug left state unknown: exit non-zero, and let the supervisor (systemd,
  // docker's restart policy) start a clean process. Connection loss is handled, never fatal.
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled rejection; exiting');
    process.exit(1);
  });
  process.on('uncaughtException', (error) => {
    // State is unknown after an uncaught exception: log it and let the supervisor restart us.
    logger.fatal({ err: error }, 'uncaught exception; exiting');
    process.exit(1);
  });

  let runtime;
  try {
    runtime = await startRuntime(config, logger, options);
  } catch (error) {
    logger.fatal({ err: error }, `could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal} received: shutting down`);
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
