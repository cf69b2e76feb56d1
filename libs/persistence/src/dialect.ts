import type { DataSource, EntityManager, ObjectLiteral } from 'typeorm';

/** The two database families this project runs on: an embedded SQLite file and MySQL/MariaDB. */
export type Dialect = 'sqlite' | 'mysql';

export function dialectOf(source: DataSource | EntityManager): Dialect {
  const type = 'connection' in source ? source.connection.options.type : source.options.type;
  switch (type) {
    case 'better-sqlite3':
      return 'sqlite';
    case 'mysql':
    case 'mariadb':
      return 'mysql';
    default:
      throw new Error(`Unsupported database type: ${String(type)}`);
  }
}

/**
 * The table of an entity as SQL names it (escaped), for statements written by hand: never a literal name, so that a
 * table prefix (see `tableNaming`) reaches them too.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function sqlTable(source: DataSource | EntityManager, entity: Function): string {
  const connection = 'connection' in source ? source.connection : source;
  return connection.driver.escape(connection.getMetadata(entity).tablePath);
}

type EscapeWithNative = (
  sql: string,
  parameters: ObjectLiteral,
  nativeParameters: ObjectLiteral,
) => [string, unknown[]];

/**
 * Turns `:name` / `:...names` parameters of hand-written SQL into the driver's placeholders and value list. TypeORM
 * 0.3 reads a third argument (the driver's native parameters) and fails without it; 1.x declares two and ignores a
 * third, so it is always passed, and hosts on either line run the same statements.
 */
export function namedParameters(
  source: DataSource | EntityManager,
  sql: string,
  parameters: ObjectLiteral,
): [string, unknown[]] {
  const connection = 'connection' in source ? source.connection : source;
  const driver = connection.driver;
  return (driver.escapeQueryWithParameters as unknown as EscapeWithNative).call(driver, sql, parameters, {});
}
