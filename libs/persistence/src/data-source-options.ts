import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import {
  DEFAULT_DATABASE_TIMEOUTS,
  DatabaseTimeouts,
  NoSlowQueryLogger,
  TimedOutConnectionReaper,
} from './database-timeouts';
import type { Dialect } from './dialect';

export interface DatabaseSettings {
  /** `mysql://user:pass@host:port/db` for MySQL/MariaDB; unset for the embedded SQLite file. */
  url?: string;
  /** Path of the SQLite file, used when `url` is unset. Its folder is created on first start. */
  sqlitePath: string;
  /** Log every SQL statement (development only: statements carry bound values). */
  logSql?: boolean;
  /** Time limits on statements and on getting a connection; `DEFAULT_DATABASE_TIMEOUTS` fills what is unset. */
  timeouts?: Partial<DatabaseTimeouts>;
}

export interface SchemaParts {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  /** Migrations of the chosen dialect. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: (dialect: Dialect) => MixedList<Function | string>;
}

/** MySQL or MariaDB: TypeORM reads their schemas differently (MariaDB quotes column defaults), so it must know. */
export type MysqlFlavour = 'mysql' | 'mariadb';

export function dialectOfSettings(settings: Pick<DatabaseSettings, 'url'>): Dialect {
  return settings.url ? 'mysql' : 'sqlite';
}

/**
 * The one builder of TypeORM options, used by the server, the TypeORM CLI (ormconfig.ts) and the tests, so that all
 * three talk to the database the same way. Times are UTC on both dialects; schema changes only ever come from
 * migrations. A `mysql://` URL is declared MySQL unless `flavour` says otherwise: the libraries' queries run alike on
 * MySQL and MariaDB whichever is declared (none uses a clause TypeORM renders per declared type); only schema
 * comparisons (migration generation) need the true flavour, which `resolveDataSourceOptions` asks the server for.
 */
export function buildDataSourceOptions(
  settings: DatabaseSettings,
  parts: SchemaParts,
  flavour: MysqlFlavour = settings.url?.startsWith('mariadb://') ? 'mariadb' : 'mysql',
): DataSourceOptions {
  const dialect = dialectOfSettings(settings);
  const timeouts = { ...DEFAULT_DATABASE_TIMEOUTS, ...settings.timeouts };
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
      type: flavour,
      url: settings.url,
      timezone: 'Z',
      charset: 'utf8mb4',
      // Dates come back as JS Dates in UTC; BIGINT counters as numbers.
      dateStrings: false,
      supportBigNumbers: true,
      bigNumberStrings: false,
      extra: { connectionLimit: 10 },
      // A silent database must not hold requests forever: opening a connection and each statement have time limits,
      // a connection whose statement timed out is dropped (see TimedOutConnectionReaper), and waiting for a pooled
      // connection is bounded by limitConnectionWaits once the data source is up.
      connectTimeout: timeouts.acquireMs,
      enableQueryTimeout: true,
      maxQueryExecutionTime: timeouts.queryMs,
      subscribers: [TimedOutConnectionReaper],
      ...(settings.logSql ? {} : { logger: new NoSlowQueryLogger(false) }),
    };
  }
  const database = resolve(settings.sqlitePath);
  mkdirSync(dirname(database), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      // WAL lets readers run beside the single writer; the busy timeout makes a second process wait, for a bounded
      // time, instead of failing at once.
      db.pragma('journal_mode = WAL');
      // In WAL mode, NORMAL syncs the log at checkpoints instead of on every commit: the file cannot be corrupted, but
      // a power cut may lose the last transactions, which the identity provider sends again on its next cycle.
      db.pragma('synchronous = NORMAL');
      db.pragma(`busy_timeout = ${Math.round(timeouts.acquireMs)}`);
      db.pragma('foreign_keys = ON');
    },
  };
}

/**
 * Asks the server which it is (`SELECT VERSION()` names MariaDB), so TypeORM compares schemas the right way. A
 * `mariadb://` URL says so without asking. Retries for a few seconds: a database may come up a moment after us.
 */
export async function detectMysqlFlavour(url: string, attempts = 5): Promise<MysqlFlavour> {
  if (url.startsWith('mariadb://')) return 'mariadb';
  const { createConnection } = await import('mysql2/promise');
  for (let attempt = 1; ; attempt++) {
    try {
      const connection = await createConnection({ uri: url, connectTimeout: 5000 });
      try {
        const [rows] = await connection.query('SELECT VERSION() AS v');
        return /mariadb/i.test(String((rows as { v: string }[])[0]?.v)) ? 'mariadb' : 'mysql';
      } finally {
        await connection.end();
      }
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/** `buildDataSourceOptions`, after finding out whether a MySQL URL points at MySQL or MariaDB. */
export async function resolveDataSourceOptions(
  settings: DatabaseSettings,
  parts: SchemaParts,
): Promise<DataSourceOptions> {
  const flavour = settings.url ? await detectMysqlFlavour(settings.url) : 'mysql';
  return buildDataSourceOptions(settings, parts, flavour);
}
