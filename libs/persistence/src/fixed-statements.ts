import { QueryFailedError } from 'typeorm';
import type { AfterQueryEvent, DataSource, EntityManager, EntitySubscriberInterface, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { dialectOf, sqlTable } from './dialect';
import { driverErrorCode } from './driver-errors';

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
 * create/update date, version), or rows that set different columns, go through TypeORM's insert. `comment` goes
 * before the statement as an SQL comment, where the query builder's `comment()` puts it, to tell its statements apart.
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: new () => T,
  rows: readonly Partial<T>[],
  options: { comment?: string } = {},
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
    const builder = manager
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows as T[]);
    await (options.comment ? builder.comment(options.comment) : builder).execute();
    return;
  }
  const key = `${set.join(',')}|${rows.length}|${options.comment ?? ''}`;
  let sql = shape.statements.get(key);
  if (sql === undefined) {
    const tuple = `(${set.map(() => '?').join(', ')})`;
    sql =
      (options.comment ? `/* ${options.comment} */ ` : '') +
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
  // Beyond CACHED_ROWS the text is not fixed: it runs as text, also clear of the prepared statements' 65,535 values.
  await (rows.length <= CACHED_ROWS ? runFixedStatement(manager, sql, parameters) : manager.query(sql, parameters));
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
  const raws: Record<string, unknown>[] = await runFixedStatement(manager, sql, parameters);
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

type Callback = (error: Error | null, result?: unknown) => void;

/** A connection of mysql2's pool, as TypeORM's MySQL driver hands them out. */
interface Mysql2Connection {
  execute(options: { sql: string; timeout?: number }, values: unknown[], callback: Callback): void;
  release(): void;
  destroy(): void;
}

interface Mysql2Driver {
  /** mysql2's pool; absent with replication, where connections come from a pool cluster. */
  pool?: { getConnection(callback: (error: Error | null, connection: Mysql2Connection) => void): void };
  obtainMasterConnection(): Promise<Mysql2Connection>;
  /** Gives a connection TypeORM's error listener, as TypeORM does with each connection it takes from the pool. */
  prepareDbConnection(connection: Mysql2Connection): Mysql2Connection;
  options: { maxQueryExecutionTime?: number; enableQueryTimeout?: boolean };
}

/**
 * The server's refusals to prepare a statement: its limit on prepared statements of all clients reached
 * (max_prepared_stmt_count), or a statement it cannot prepare. The statement then runs as text.
 */
const UNPREPARABLE = new Set(['ER_MAX_PREPARED_STMT_COUNT_REACHED', 'ER_UNSUPPORTED_PS']);

/** mysql2's code for a statement that ran past its timeout (see TimedOutConnectionReaper). */
const QUERY_TIMEOUT_CODE = 'PROTOCOL_SEQUENCE_TIMEOUT';

/**
 * Values the binary protocol sends as the text protocol would write them: a statement with any other value (an
 * array, which the text protocol expands into a list, an object, undefined, a bigint, NaN) runs as text.
 */
function preparable(parameters: readonly unknown[]): boolean {
  return parameters.every(
    (value) =>
      value === null ||
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      value instanceof Date ||
      Buffer.isBuffer(value),
  );
}

/**
 * Runs a statement whose text is fixed (built once per data source, every value a `?` parameter) and answers what
 * `source.query` answers: rows for a read, mysql2's result header for a write, a `QueryFailedError` carrying the
 * driver's error. On MySQL/MariaDB it is a server-side prepared statement (mysql2's `execute`, kept per connection,
 * see `maxPreparedStatements`), run on the transaction's connection when `source` is a transaction's manager and on a
 * pooled connection otherwise, without TypeORM's query runner: on the SCIM look-up, TypeORM's work around each
 * statement and the server's parsing of its text cost more than the round trip. The statement is logged and seen by
 * subscribers' `afterQuery` as any other; one that runs out of time drops its connection, as TimedOutConnectionReaper
 * does; one the server will not prepare (its limit on prepared statements reached) runs as text. Values other than
 * strings, finite numbers, booleans, Dates, Buffers and null, and SQLite, go through `source.query` unchanged. Unlike
 * TypeORM's query runner, it does not call subscribers' `beforeQuery`.
 */
export function runFixedStatement<R = unknown>(
  source: DataSource | EntityManager,
  sql: string,
  parameters: readonly unknown[] = [],
): Promise<R> {
  const values = [...parameters];
  const dataSource = 'connection' in source ? source.connection : source;
  const queryRunner = 'connection' in source ? source.queryRunner : undefined;
  if (dialectOf(dataSource) !== 'mysql' || !preparable(values) || queryRunner?.isReleased) {
    return source.query(sql, values) as Promise<R>;
  }
  const driver = dataSource.driver as unknown as Mysql2Driver;
  const timeout = driver.options.enableQueryTimeout ? driver.options.maxQueryExecutionTime : undefined;
  // One promise per statement: the connection is taken and the statement run with callbacks.
  return new Promise<R>((resolve, reject) => {
    const run = (connection: Mysql2Connection) => {
      const started = Date.now();
      try {
        dataSource.logger.logQuery(sql, values, queryRunner);
        connection.execute(timeout ? { sql, timeout } : { sql }, values, answered);
      } catch (error) {
        // Thrown before the statement was sent (a logger, a value mysql2 refuses): nothing runs on the connection.
        if (!queryRunner) connection.release();
        reject(error as Error);
      }
      function answered(error: Error | null, result?: unknown): void {
        const code = error ? driverErrorCode(error) : undefined;
        // A connection still waiting for the answer of a timed-out statement must not serve another one; the
        // transaction's connection stays with its query runner, a pooled one goes back.
        if (code === QUERY_TIMEOUT_CODE) connection.destroy();
        else if (!queryRunner) connection.release();
        try {
          if (!error) {
            afterQuery(dataSource, source, sql, values, { success: true, executionTime: Date.now() - started, result });
            resolve(result as R);
          } else if (code !== undefined && UNPREPARABLE.has(code)) {
            // The server would not prepare it (nothing ran): as text, the pooled connection back first.
            (source.query(sql, values) as Promise<R>).then(resolve, reject);
          } else {
            dataSource.logger.logQueryError(error, sql, values, queryRunner);
            afterQuery(dataSource, source, sql, values, { success: false, error });
            reject(new QueryFailedError(sql, values, error));
          }
        } catch (thrown) {
          // A subscriber or logger that throws fails the statement, as it does under TypeORM's query runner.
          reject(thrown as Error);
        }
      }
    };
    if (queryRunner) {
      (queryRunner.connect() as Promise<Mysql2Connection>).then(run, reject);
    } else if (driver.pool) {
      // The pool as TypeORM's query runner takes from it (a bounded wait, see limitConnectionWaits), without one.
      driver.pool.getConnection((error, connection) =>
        error ? reject(error) : run(driver.prepareDbConnection(connection)),
      );
    } else {
      driver.obtainMasterConnection().then(run, reject);
    }
  });
}

/** Tells the data source's subscribers that a statement ran, as TypeORM's query runner does. */
function afterQuery(
  dataSource: DataSource,
  source: DataSource | EntityManager,
  query: string,
  parameters: unknown[],
  outcome: { success: boolean; executionTime?: number; result?: unknown; error?: unknown },
): void {
  const subscribers = dataSource.subscribers as EntitySubscriberInterface[];
  if (!subscribers.some((subscriber) => typeof subscriber.afterQuery === 'function')) return;
  const event = {
    connection: dataSource,
    queryRunner: 'connection' in source ? source.queryRunner : undefined,
    manager: 'connection' in source ? source : dataSource.manager,
    query,
    parameters,
    success: outcome.success,
    executionTime: outcome.executionTime,
    rawResults: outcome.result,
    error: outcome.error,
  } as AfterQueryEvent;
  for (const subscriber of subscribers) {
    if (typeof subscriber.afterQuery === 'function') void subscriber.afterQuery(event);
  }
}
