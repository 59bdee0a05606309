import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Inserts one entity row and gives it back as the database stored it (defaults, sequences and
 * generated columns included) from `RETURNING *`: one round trip instead of an insert and a
 * re-read. Columns declared `select: false` are left out, as a find would leave them out.
 */
export async function insertReturning<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  values: Partial<Entity>,
): Promise<Entity> {
  const result = await manager
    .createQueryBuilder()
    .insert()
    .into(target)
    .values(values as never)
    .returning('*')
    .updateEntity(false)
    .execute();
  const raw = (result.raw as Array<Record<string, unknown>>)[0];
  if (!raw) throw new Error('INSERT ... RETURNING returned no row');
  return hydrate(manager, target, raw);
}

/** An entity from a raw row keyed by column names, converted as TypeORM converts a find. */
export function hydrate<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  raw: Record<string, unknown>,
): Entity {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const entity = metadata.create() as Entity;
  for (const column of metadata.columns) {
    if (column.isSelect === false || !(column.databaseName in raw)) continue;
    column.setEntityValue(entity, driver.prepareHydratedValue(raw[column.databaseName], column));
  }
  return entity;
}
