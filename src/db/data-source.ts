import 'reflect-metadata';
import { DataSource, type EntityManager } from 'typeorm';
import { migrations } from '../../migrations';
import { entities } from './entities';

export type { EntityManager };

export function createDataSource(databaseUrl: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolSize, application_name: 'ownit' },
  });
}

/** Any constant: the session-level lock that makes concurrent starts migrate one at a time. */
const MIGRATION_LOCK_KEY = 7_146_020_001;

/**
 * Opens the pool and applies pending migrations (the only way the schema changes). API and
 * worker processes may start together, so migrations run under a Postgres advisory lock.
 */
export async function openDatabase(databaseUrl: string, poolSize?: number): Promise<DataSource> {
  const dataSource = createDataSource(databaseUrl, poolSize);
  await dataSource.initialize();
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
  return dataSource;
}
