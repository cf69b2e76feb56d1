import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions, MixedList, EntitySchema, NamingStrategyInterface } from 'typeorm';
import {
  DEFAULT_DATABASE_TIMEOUTS,
  DatabaseTimeouts,
  NoSlowQueryLogger,
  TimedOutConnectionReaper,
} from './database-timeouts';
import type { Dialect } from './dialect';

export interface DatabaseSettings {
  /** `mysql://user:pass@host:port/db` (or `mariadb://…`) for MySQL/MariaDB. */
  url?: string;
  /**
   * Path of an SQLite file, used when `url` is unset; its folder is created on first start. No default: with neither
   * `url` nor `sqlitePath`, the builder refuses to start rather than write a file where nobody asked for one.
   */
  sqlitePath?: string;
  /**
   * The name of the setting the URL comes from in your configuration (`SCIM_DATABASE_URL`, `database.url`…): a URL
   * that is missing, malformed or unreachable fails at start with one line naming it. `url` when unset.
   */
  option?: string;
  /** Log every SQL statement (development only: statements carry bound values). */
  logSql?: boolean;
  /** Time limits on statements and on getting a connection; `DEFAULT_DATABASE_TIMEOUTS` fills what is unset. */
  timeouts?: Partial<DatabaseTimeouts>;
}

/** A database setting that cannot work: missing, malformed, or naming a server or database that does not answer. */
export class DatabaseSettingsError extends Error {
  override readonly name = 'DatabaseSettingsError';
}

/** The URL as it can be shown: without its password. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

/**
 * Checks the settings before anything is opened or written: an SQLite file was asked for, or the URL is a
 * `mysql://` / `mariadb://` URL with a host and a database. Throws a `DatabaseSettingsError` naming the option.
 */
export function checkDatabaseSettings(settings: DatabaseSettings): void {
  const option = settings.option ?? 'url';
  const example = 'mysql://user:password@host:3306/database';
  if (settings.url === undefined || settings.url.trim() === '') {
    if (settings.sqlitePath) return;
    throw new DatabaseSettingsError(`${option} is not set: give the database as ${example}`);
  }
  let parsed: URL;
  try {
    parsed = new URL(settings.url);
  } catch {
    throw new DatabaseSettingsError(`${option} is not a URL: give the database as ${example}`);
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new DatabaseSettingsError(`${option} must start with mysql:// or mariadb:// (got ${parsed.protocol}//…)`);
  }
  if (!parsed.hostname) throw new DatabaseSettingsError(`${option} names no host: give the database as ${example}`);
  if (parsed.pathname.replace(/^\//, '') === '') {
    throw new DatabaseSettingsError(`${option} names no database: give the database as ${example}`);
  }
}

export interface SchemaParts {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  /** Migrations of the chosen dialect. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: (dialect: Dialect) => MixedList<Function | string>;
  /** Names the tables and constraints (a table prefix, see `tableNaming`); TypeORM's default when unset. */
  namingStrategy?: NamingStrategyInterface;
  /** The table recording applied migrations; `schema_migrations` when unset. */
  migrationsTableName?: string;
}

/** Prepared statements mysql2 keeps per pooled connection (see runFixedStatement). */
export const MAX_PREPARED_STATEMENTS = 256;

/** MySQL or MariaDB: TypeORM reads their schemas differently (MariaDB quotes column defaults), so it must know. */
export type MysqlFlavour = 'mysql' | 'mariadb';

export function dialectOfSettings(settings: Pick<DatabaseSettings, 'url'>): Dialect {
  return settings.url?.trim() ? 'mysql' : 'sqlite';
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
  checkDatabaseSettings(settings);
  const dialect = dialectOfSettings(settings);
  const timeouts = { ...DEFAULT_DATABASE_TIMEOUTS, ...settings.timeouts };
  const common = {
    entities: parts.entities,
    migrations: parts.migrations(dialect),
    migrationsTableName: parts.migrationsTableName ?? 'schema_migrations',
    ...(parts.namingStrategy ? { namingStrategy: parts.namingStrategy } : {}),
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
      // Fixed statements run prepared (runFixedStatement), kept per connection: a few dozen in use, and mysql2's
      // default of 16,000 a connection would let ten connections reach the server's own limit on all its clients
      // (max_prepared_stmt_count, 16,382 by default). The least recently used beyond this are closed.
      extra: { connectionLimit: 10, maxPreparedStatements: MAX_PREPARED_STATEMENTS },
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
  const database = resolve(settings.sqlitePath!);
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
      // better-sqlite3 builds SQLite with a 16 MB page cache per connection; the file's pages are in the operating
      // system's cache anyway, and 2 MB (SQLite's own default) keeps the server's resident memory lower at no cost the
      // benchmark can show on look-ups at 100,000 users.
      db.pragma('cache_size = -2000');
    },
  };
}

/**
 * Asks the server which it is (`SELECT VERSION()` names MariaDB), so TypeORM compares schemas the right way. A
 * `mariadb://` URL says so without asking. Retries for a few seconds: a database may come up a moment after us. A
 * server that never answers, refuses the credentials or lacks the database fails with a `DatabaseSettingsError`
 * naming `option`.
 */
export async function detectMysqlFlavour(url: string, attempts = 5, option = 'url'): Promise<MysqlFlavour> {
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
      const code = (error as { code?: string }).code;
      // Wrong credentials or a missing database do not fix themselves: no point waiting.
      const final =
        code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_BAD_DB_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR';
      if (final || attempt >= attempts) throw unreachable(option, url, error);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function unreachable(option: string, url: string, error: unknown): DatabaseSettingsError {
  const { code, message } = error as { code?: string; message?: string };
  const reason =
    code === 'ER_BAD_DB_ERROR'
      ? `the database ${new URL(url).pathname.slice(1)} does not exist (create it first)`
      : code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR'
        ? 'the server refused the user and password'
        : `no answer (${code ?? String(message ?? error).split('\n')[0]})`;
  return new DatabaseSettingsError(`${option}: cannot use ${redactDatabaseUrl(url)}: ${reason}`);
}

/**
 * `buildDataSourceOptions`, after finding out whether a MySQL URL points at MySQL or MariaDB. Since it asks the
 * server, a URL that cannot be used fails here, at start, naming the option (see `DatabaseSettings.option`).
 */
export async function resolveDataSourceOptions(
  settings: DatabaseSettings,
  parts: SchemaParts,
): Promise<DataSourceOptions> {
  checkDatabaseSettings(settings);
  const url = settings.url?.trim();
  const flavour = url ? await detectMysqlFlavour(url, 5, settings.option) : 'mysql';
  return buildDataSourceOptions(settings, parts, flavour);
}
