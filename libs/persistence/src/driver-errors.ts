/*
 * The one place that reads the database drivers' error codes (mysql2's `ER_…` and network codes, better-sqlite3's
 * `SQLITE_…`): every other lib and app asks these functions rather than keeping a list of its own.
 */

/** The driver's error code of an error, whether raw or wrapped in TypeORM's QueryFailedError (`driverError`). */
export function driverErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

const MYSQL_RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/** True for the errors that mean "run the same transaction again": a MySQL deadlock or lock timeout, a busy SQLite. */
export function isRetryableTransactionError(error: unknown): boolean {
  const code = driverErrorCode(error);
  if (!code) return false;
  return MYSQL_RETRYABLE.has(code) || code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/** True when a write failed on a unique index or primary key, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const code = driverErrorCode(error);
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  // A statement cut by its time limit (DATABASE_QUERY_TIMEOUT_MS): the database is silent.
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  // A Galera node outside the primary component (joining, or cut off), or a server shutting down.
  'ER_UNKNOWN_COM_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/** True when the database could not serve the request for now (unreachable, not ready, too busy): worth a retry. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = driverErrorCode(error);
  return code !== undefined && UNAVAILABLE.has(code);
}
