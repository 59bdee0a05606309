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

/**
 * An entity from a raw row keyed by column names (each name after `prefix`, for a row that
 * joins several tables; see selectColumns), converted as TypeORM converts a find.
 */
export function hydrate<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  raw: Record<string, unknown>,
  prefix = '',
): Entity {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const entity = metadata.create() as Entity;
  for (const column of metadata.columns) {
    const key = prefix + column.databaseName;
    if (column.isSelect === false || !(key in raw)) continue;
    column.setEntityValue(entity, driver.prepareHydratedValue(raw[key], column));
  }
  return entity;
}

/**
 * The select list of an entity's columns from table alias `alias`, each named `prefix` +
 * column name, so that one statement can read several entities for `hydrate` (columns declared
 * `select: false` are left out, as a find leaves them out).
 */
export function selectColumns(
  manager: EntityManager,
  target: EntityTarget<ObjectLiteral>,
  alias: string,
  prefix: string,
): string {
  const metadata = manager.connection.getMetadata(target);
  const key = `${alias}|${prefix}`;
  let lists = selectLists.get(metadata);
  if (!lists) selectLists.set(metadata, (lists = new Map()));
  let list = lists.get(key);
  if (list === undefined) {
    list = metadata.columns
      .filter((column) => column.isSelect !== false)
      .map((column) => `${alias}."${column.databaseName}" AS "${prefix}${column.databaseName}"`)
      .join(', ');
    lists.set(key, list);
  }
  return list;
}

/** Select lists built once per entity, alias and prefix (they are on hot paths). */
const selectLists = new WeakMap<object, Map<string, string>>();
