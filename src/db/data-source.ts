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

/** Opens the pool and applies pending migrations (the only way the schema changes). */
export async function openDatabase(databaseUrl: string, poolSize?: number): Promise<DataSource> {
  const dataSource = createDataSource(databaseUrl, poolSize);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
