import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

/** One SQL text under a name unique to it (pg refuses one name for two texts on a connection). */
export interface PreparedStatement {
  name: string;
  text: string;
}

/**
 * Runs one read straight on the pg pool behind a data source, as a named prepared statement, for
 * the statements every request runs (the token lookup, the queue page). Each pooled connection
 * parses and plans it once instead of on every call, and no TypeORM query runner is built around
 * it. Outside any transaction; pg's errors reach the error handler unwrapped, which reads them as
 * it reads TypeORM's (db/database-unavailable.ts).
 */
export async function queryPrepared<Row extends QueryResultRow>(
  dataSource: DataSource,
  statement: PreparedStatement,
  values: unknown[],
): Promise<Row[]> {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  // Same words as pg's own "not queryable": answered 503 like any database outage.
  if (!pool) throw new Error('The database connection pool is closed: not queryable.');
  const result = await pool.query<Row>({ name: statement.name, text: statement.text, values });
  return result.rows;
}
