import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { migrations } from '../../migrations';
import { entities } from './entities';

export type { EntityManager };

export interface PoolOptions {
  /** Connections in this pool (each process role gets its own pool). */
  size?: number;
  /** How long a query waits for a free connection before failing (then answered with 503). */
  connectionWaitMs?: number;
  /** Shown in pg_stat_activity, so an operator can tell the API's connections from the worker's. */
  applicationName?: string;
  /** Told about connection-level errors (a terminated backend, a restart); they are survived. */
  onConnectionError?: (error: Error) => void;
}

/**
 * A pg client that always has an 'error' listener. A backend terminated while its connection is
 * checked out but idle (between two statements of a transaction) makes the client emit 'error'
 * after TypeORM has removed its own listener; without one, Node would crash the process (57P01).
 */
function clientClassReporting(onError: (error: Error) => void): typeof Client {
  return class ReportingClient extends Client {
    constructor(config?: ConstructorParameters<typeof Client>[0]) {
      super(config);
      this.on('error', onError);
    }
  };
}

export function createDataSource(databaseUrl: string, pool: PoolOptions | number = {}): DataSource {
  const options = typeof pool === 'number' ? { size: pool } : pool;
  const onError = options.onConnectionError ?? (() => undefined);
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    poolErrorHandler: onError,
    extra: {
      max: options.size ?? 10,
      application_name: options.applicationName ?? 'ownit',
      connectionTimeoutMillis: options.connectionWaitMs ?? 5_000,
      Client: clientClassReporting(onError),
    },
  });
}

/** Any constant: the session-level lock that makes concurrent starts migrate one at a time. */
const MIGRATION_LOCK_KEY = 7_146_020_001;

/**
 * Opens the pool and applies pending migrations (the only way the schema changes). API and
 * worker processes may start together, so migrations run under a Postgres advisory lock.
 */
export async function openDatabase(
  databaseUrl: string,
  pool?: PoolOptions | number,
): Promise<DataSource> {
  const dataSource = createDataSource(databaseUrl, pool);
  await dataSource.initialize();
  try {
    await migrate(dataSource);
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
  return dataSource;
}

async function migrate(dataSource: DataSource): Promise<void> {
  const lockHolder = dataSource.createQueryRunner();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lockHolder
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await lockHolder.release();
  }
}
