import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import type { Dialect } from './dialect';

export interface DatabaseSettings {
  /** `mysql://user:pass@host:port/db` for MySQL/MariaDB; unset for the embedded SQLite file. */
  url?: string;
  /** Path of the SQLite file, used when `url` is unset. Its folder is created on first start. */
  sqlitePath: string;
  /** Log every SQL statement (development only: statements carry bound values). */
  logSql?: boolean;
}

export interface SchemaParts {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  /** Migrations of the chosen dialect. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: (dialect: Dialect) => MixedList<Function | string>;
}

export function dialectOfSettings(settings: Pick<DatabaseSettings, 'url'>): Dialect {
  return settings.url ? 'mysql' : 'sqlite';
}

/**
 * The one builder of TypeORM options, used by the server, the TypeORM CLI (ormconfig.ts) and the tests, so that all
 * three talk to the database the same way. Times are UTC on both dialects; schema changes only ever come from
 * migrations.
 */
export function buildDataSourceOptions(settings: DatabaseSettings, parts: SchemaParts): DataSourceOptions {
  const dialect = dialectOfSettings(settings);
  const common = {
    entities: parts.entities,
    migrations: parts.migrations(dialect),
    migrationsTableName: 'schema_migrations',
    migrationsRun: false,
    synchronize: false,
    logging: settings.logSql ? ('all' as const) : false,
  };
  if (dialect === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      url: settings.url,
      timezone: 'Z',
      charset: 'utf8mb4',
      // Dates come back as JS Dates in UTC; BIGINT counters as numbers.
      dateStrings: false,
      supportBigNumbers: true,
      bigNumberStrings: false,
      extra: { connectionLimit: 10 },
    };
  }
  const database = resolve(settings.sqlitePath);
  mkdirSync(dirname(database), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      // WAL lets readers run beside the single writer; the busy timeout makes a second process wait instead of failing.
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  };
}
