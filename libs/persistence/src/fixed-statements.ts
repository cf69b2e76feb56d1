import type { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { sqlTable } from './dialect';

/** An entity's table and columns as an INSERT names them, read from the metadata once per data source. */
interface InsertShape {
  readonly table: string;
  readonly columns: readonly ColumnMetadata[];
  readonly names: readonly string[];
  /** No column TypeORM fills on insert (generated, create/update date, version): `insertRows` may write the row. */
  readonly plain: boolean;
  /** Statement text by the columns a row sets (their indexes) and the number of rows, up to CACHED_ROWS rows. */
  readonly statements: Map<string, string>;
}

/** Beyond this many rows a statement is rare enough to be built each time rather than kept. */
const CACHED_ROWS = 8;

// Keyed by data source: its dialect and table prefix decide the text, and a test's data source leaves with it.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const shapes = new WeakMap<DataSource, Map<Function, InsertShape>>();

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function shapeOf(manager: EntityManager, entity: Function): InsertShape {
  const connection = manager.connection;
  let byEntity = shapes.get(connection);
  if (!byEntity) {
    byEntity = new Map();
    shapes.set(connection, byEntity);
  }
  let shape = byEntity.get(entity);
  if (!shape) {
    const metadata = connection.getMetadata(entity);
    const columns = metadata.columns;
    shape = {
      plain:
        metadata.generatedColumns.length === 0 &&
        !metadata.createDateColumn &&
        !metadata.updateDateColumn &&
        !metadata.versionColumn,
      table: sqlTable(connection, entity),
      columns,
      names: columns.map((column) => connection.driver.escape(column.databaseName)),
      statements: new Map(),
    };
    byEntity.set(entity, shape);
  }
  return shape;
}

/**
 * Inserts rows of an entity as `EntityManager.insert` does — the same columns (those a row sets; an unset one takes
 * its default), the same values (the driver's own conversion of dates and booleans), the same errors — with a
 * statement whose text is built once per data source and shape of row. On the SCIM write path building the INSERT
 * through TypeORM's query builder cost more than running it. An entity with columns TypeORM fills itself (generated,
 * create/update date, version), or rows that set different columns, go through `EntityManager.insert`.
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: new () => T,
  rows: readonly Partial<T>[],
): Promise<void> {
  if (rows.length === 0) return;
  const shape = shapeOf(manager, entity);
  const set: number[] = [];
  shape.columns.forEach((column, index) => {
    if (column.getEntityValue(rows[0] as ObjectLiteral) !== undefined) set.push(index);
  });
  const sameShape =
    rows.length === 1 ||
    rows.every((row) => {
      let next = 0;
      // `set` is in column order: each column is expected set exactly when it is the next index there.
      return shape.columns.every((column, index) => {
        const expected = set[next] === index;
        if (expected) next++;
        return (column.getEntityValue(row as ObjectLiteral) !== undefined) === expected;
      });
    });
  if (!shape.plain || !sameShape || set.length === 0) {
    await manager.insert(entity, rows as T[]);
    return;
  }
  const key = `${set.join(',')}|${rows.length}`;
  let sql = shape.statements.get(key);
  if (sql === undefined) {
    const tuple = `(${set.map(() => '?').join(', ')})`;
    sql =
      `INSERT INTO ${shape.table} (${set.map((index) => shape.names[index]).join(', ')}) ` +
      `VALUES ${rows.map(() => tuple).join(', ')}`;
    if (rows.length <= CACHED_ROWS) shape.statements.set(key, sql);
  }
  const driver = manager.connection.driver;
  const parameters: unknown[] = [];
  for (const row of rows) {
    for (const index of set) {
      const column = shape.columns[index];
      parameters.push(driver.preparePersistentValue(column.getEntityValue(row as ObjectLiteral), column));
    }
  }
  await manager.query(sql, parameters);
}

/**
 * The rows of an entity's table matching `where` (hand-written SQL over its column names, with `?` placeholders), as
 * entities read through the query builder come back: each column's value hydrated by the driver (booleans, dates).
 * The select list is built once per data source; for a hot read whose statement costs less to run than to build.
 */
export async function selectEntities<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: new () => T,
  where: string,
  parameters: readonly unknown[],
): Promise<T[]> {
  const shape = shapeOf(manager, entity);
  const key = `select|${where}`;
  let sql = shape.statements.get(key);
  if (sql === undefined) {
    sql = `SELECT ${shape.names.join(', ')} FROM ${shape.table} WHERE ${where}`;
    shape.statements.set(key, sql);
  }
  const raws: Record<string, unknown>[] = await manager.query(sql, [...parameters]);
  const driver = manager.connection.driver;
  return raws.map((raw) => {
    const row = new entity();
    for (const column of shape.columns) {
      const value = raw[column.databaseName];
      if (value !== undefined) column.setEntityValue(row, driver.prepareHydratedValue(value, column));
    }
    return row;
  });
}

/** A value as the driver stores it in an entity's column (a Date as SQLite's text, a boolean as 0/1), for hand-written SQL. */
export function persistentValue<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: new () => T,
  property: keyof T & string,
  value: unknown,
): unknown {
  const column = shapeOf(manager, entity).columns.find((candidate) => candidate.propertyName === property);
  if (!column) throw new Error(`No column for ${entity.name}.${property}`);
  return manager.connection.driver.preparePersistentValue(value, column);
}
