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
  const insert = insertQuery(manager, target, values);
  const [raw]: Array<Record<string, unknown>> = await manager.query(
    `${insert.text} RETURNING *`,
    insert.parameters,
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
  const insert = insertQuery(manager, target, values);
  await manager.query(insert.text, insert.parameters);
}

/*
 * Hand-built from the entity's metadata rather than by TypeORM's InsertQueryBuilder, whose
 * query building showed as ~7 % of the API's CPU per ticket created. Columns left out get their
 * database defaults, as with the builder; values are converted as TypeORM converts them.
 */
function insertQuery<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  values: Partial<Entity>,
): { text: string; parameters: unknown[] } {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const names: string[] = [];
  const parameters: unknown[] = [];
  for (const [property, value] of Object.entries(values)) {
    if (value === undefined) continue; // like the builder: the column keeps its default
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${metadata.tableName} has no column for ${property}`);
    names.push(`"${column.databaseName}"`);
    parameters.push(driver.preparePersistentValue(value, column));
  }
  const placeholders = names.map((_, i) => `$${i + 1}`);
  return {
    text: `INSERT INTO "${metadata.tableName}" (${names.join(', ')}) VALUES (${placeholders.join(', ')})`,
    parameters,
  };
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
