import { AdvancedConsoleLogger, EventSubscriber } from 'typeorm';
import type { AfterQueryEvent, DataSource, EntitySubscriberInterface } from 'typeorm';
import { driverErrorCode } from './driver-errors';

/** How long the server waits on the database before it gives up and answers "unavailable". */
export interface DatabaseTimeouts {
  /** One statement, from sending it to its last row (MySQL). Default 15 s. */
  queryMs: number;
  /**
   * Getting a connection: waiting for a free one in the pool, or opening a new one (MySQL); waiting for the file's
   * lock held by another process (SQLite's busy timeout). Default 5 s.
   */
  acquireMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { queryMs: 15_000, acquireMs: 5_000 };

/** The code of the error a connection wait that ran out fails with: the one a connect timeout has too. */
export const ACQUIRE_TIMEOUT_CODE = 'ETIMEDOUT';

/** mysql2's code for a statement that ran past its timeout. */
const QUERY_TIMEOUT_CODE = 'PROTOCOL_SEQUENCE_TIMEOUT';

interface PooledConnection {
  destroy(): void;
}

/**
 * mysql2 answers a statement that ran past its timeout with an error, but keeps the connection, which still waits for
 * the answer: handed back to the pool, it would make the next statement wait behind a reply that may never come. This
 * subscriber destroys such a connection instead (the server rolls back what it held), so the pool opens fresh ones
 * and recovers by itself once the database answers again. Registered by `buildDataSourceOptions` for MySQL.
 */
@EventSubscriber()
export class TimedOutConnectionReaper implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent): void {
    if (event.success) return;
    if (driverErrorCode(event.error) !== QUERY_TIMEOUT_CODE) return;
    const connection = (event.queryRunner as unknown as { databaseConnection?: PooledConnection } | undefined)
      ?.databaseConnection;
    connection?.destroy();
  }
}

/**
 * TypeORM's console logger, without its "query is slow" lines: TypeORM writes those whatever the logging setting
 * once statements have a time limit, and they quote the statement's bound values (names, addresses). A statement
 * that runs out of time fails, and its error is what gets logged (by code).
 */
export class NoSlowQueryLogger extends AdvancedConsoleLogger {
  override logQuerySlow(): void {}
}

type ConnectionCallback = (error: Error | null, connection?: { release(): void }) => void;

interface Mysql2Pool {
  getConnection(callback: ConnectionCallback): void;
}

/**
 * mysql2's pool has no acquisition timeout: a request waits for a free connection as long as it takes, forever when
 * the database stalls with every connection busy. This bounds the wait: after `timeoutMs` the caller gets an
 * `ETIMEDOUT` error (which the SCIM and admin APIs answer with 503 and Retry-After), and a connection that turns up
 * later goes straight back to the pool. No effect on SQLite. Returns the data source.
 */
export function limitConnectionWaits(dataSource: DataSource, timeoutMs: number): DataSource {
  const pool = (dataSource.driver as unknown as { pool?: Mysql2Pool }).pool;
  if (!pool || typeof pool.getConnection !== 'function') return dataSource;
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (callback: ConnectionCallback) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      callback(Object.assign(new Error('Timed out waiting for a database connection'), { code: ACQUIRE_TIMEOUT_CODE }));
    }, timeoutMs);
    getConnection((error, connection) => {
      if (settled) {
        connection?.release();
        return;
      }
      settled = true;
      clearTimeout(timer);
      callback(error, connection);
    });
  };
  return dataSource;
}
