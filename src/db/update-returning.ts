import type { EntityManager } from 'typeorm';

/**
 * Runs an UPDATE ... RETURNING and gives back the returned rows. TypeORM's postgres driver hands
 * raw UPDATE results back as [rows, affectedCount], unlike SELECT and INSERT.
 */
export async function updateReturning<Row>(
  manager: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<Row[]> {
  const result: unknown = await manager.query(sql, parameters);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as Row[];
  }
  return result as Row[];
}
