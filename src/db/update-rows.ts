import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

export interface RowUpdate<Entity> {
  id: string;
  values: Partial<Entity>;
}

/** Column types this helper can send as a typed array (the ones our entities use). */
const ARRAY_TYPES = new Set(['text', 'uuid', 'integer', 'timestamptz', 'boolean', 'jsonb']);

/**
 * Updates many rows of one table by id, each with its own values, in one statement per set of
 * changed columns (`UPDATE … FROM unnest(…)`): what a loop of `repository.update(id, values)`
 * does, in one round trip instead of one per row. The batch paths use it (deadline steps).
 */
export async function updateRows<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  rows: ReadonlyArray<RowUpdate<Entity>>,
): Promise<void> {
  const byColumns = new Map<string, Array<RowUpdate<Entity>>>();
  for (const row of rows) {
    // Like repository.update, an undefined value leaves its column alone.
    const key = Object.keys(row.values)
      .filter((property) => (row.values as Record<string, unknown>)[property] !== undefined)
      .sort()
      .join(',');
    const group = byColumns.get(key);
    if (group) group.push(row);
    else byColumns.set(key, [row]);
  }
  const metadata = manager.connection.getMetadata(target);
  for (const [key, group] of byColumns) {
    if (key === '') continue;
    const columns = key.split(',').map((property) => {
      const column = metadata.findColumnWithPropertyName(property);
      const type = String(column?.type);
      if (!column || !ARRAY_TYPES.has(type)) {
        throw new Error(`updateRows: ${metadata.tableName}.${property} (${type}) is not supported`);
      }
      return { property, name: column.databaseName, type };
    });
    const parameters: unknown[] = [group.map((row) => row.id)];
    const arrays = ['$1::uuid[]'];
    const sets: string[] = [];
    columns.forEach((column, index) => {
      // Every row of a group sets this column (the group is its set of defined values).
      const values = group.map((row) => (row.values as Record<string, unknown>)[column.property]);
      const n = index + 2;
      // jsonb travels as text: a JSON value inside a Postgres array literal would need escaping.
      if (column.type === 'jsonb') {
        parameters.push(values.map((v) => (v === null ? null : JSON.stringify(v))));
        arrays.push(`$${n}::text[]`);
        sets.push(`"${column.name}" = v.c${index}::jsonb`);
      } else {
        parameters.push(values);
        arrays.push(`$${n}::${column.type}[]`);
        sets.push(`"${column.name}" = v.c${index}`);
      }
    });
    const names = ['id', ...columns.map((_, index) => `c${index}`)].join(', ');
    await manager.query(
      `UPDATE "${metadata.tableName}" t SET ${sets.join(', ')}
         FROM unnest(${arrays.join(', ')}) AS v(${names})
        WHERE t.id = v.id`,
      parameters,
    );
  }
}
