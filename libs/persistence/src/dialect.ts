import type { DataSource, EntityManager } from 'typeorm';

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
