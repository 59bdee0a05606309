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
  const [raw]: Array<Record<string, unknown>> = await manager.query(
    `${insertStatement(manager, target, values)} RETURNING *`,
    insertParameters(manager, target, values),
  );
  if (!raw) throw new Error('INSERT ... RETURNING returned no row');
  return hydrate(manager, target, raw);
}

/** Inserts one entity row (what `repository.insert` does, without reading anything back). */
export async function insertRow<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  values: Partial<Entity>,
): Promise<void> {
  await manager.query(
    insertStatement(manager, target, values),
    insertParameters(manager, target, values),
  );
}

/*
 * Hand-built from the entity's metadata rather than by TypeORM's InsertQueryBuilder, whose
 * query building showed as ~7 % of the API's CPU per ticket created. Columns left out get their
 * database defaults, as with the builder; values are converted as TypeORM converts them.
 */
function insertStatement<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  values: Partial<Entity>,
): string {
  const metadata = manager.connection.getMetadata(target);
  const names = givenColumns(manager, target, values).map((column) => `"${column.databaseName}"`);
  const placeholders = names.map((_, i) => `$${i + 1}`);
  return `INSERT INTO "${metadata.tableName}" (${names.join(', ')}) VALUES (${placeholders.join(', ')})`;
}

function insertParameters<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  values: Partial<Entity>,
): unknown[] {
  const driver = manager.connection.driver;
  return givenColumns(manager, target, values).map((column) =>
    driver.preparePersistentValue(column.getEntityValue(values), column),
  );
}

function givenColumns<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  values: Partial<Entity>,
) {
  const metadata = manager.connection.getMetadata(target);
  return Object.keys(values)
    .filter((property) => (values as Record<string, unknown>)[property] !== undefined)
    .map((property) => {
      const column = metadata.findColumnWithPropertyName(property);
      if (!column) throw new Error(`${metadata.tableName} has no column for ${property}`);
      return column;
    });
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
