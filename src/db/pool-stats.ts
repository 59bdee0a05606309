import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/** How a data source's connection pool is used right now (for the Postgres pool gauges). */
export interface PoolStats {
  /** Connections open (idle or checked out). */
  total: number;
  /** Open connections nobody is using. */
  idle: number;
  /** Queries waiting for a connection (the pool is exhausted). */
  waiting: number;
  /** The pool's size limit. */
  max: number;
}

/** The pg pool behind a TypeORM Postgres data source; undefined before initialize or after destroy. */
export function poolStats(dataSource: DataSource): PoolStats | undefined {
  if (!dataSource.isInitialized) return undefined;
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) return undefined;
  return {
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    max: pool.options.max ?? 10,
  };
}
