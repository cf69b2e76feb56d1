import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { dialectOf } from './dialect';
import { isRetryableTransactionError } from './driver-errors';

export interface TransactionOptions {
  /** How many times a transaction that lost a deadlock or a lock wait is run again before the error surfaces. */
  retries?: number;
}

/**
 * better-sqlite3 gives TypeORM one connection per file, and SQLite has one writer anyway: two overlapping transactions
 * on it fail with "cannot start a transaction within a transaction". Transactions on an SQLite data source therefore
 * queue behind each other. MySQL needs no such queue: there the database arbitrates (row locks, unique keys).
 */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

function serialised<T>(dataSource: DataSource, run: () => Promise<T>): Promise<T> {
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const next = previous.then(run, run);
  sqliteQueues.set(
    dataSource,
    next.catch(() => undefined),
  );
  return next;
}

/**
 * Runs `work` in one transaction and runs it again, from the start, when the database chose it as a deadlock victim.
 * Everything a request writes goes through here, so a request is applied entirely or not at all. Never nest calls:
 * inside `work`, use the manager it is given.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const retries = options.retries ?? 8;
  const sqlite = dialectOf(dataSource) === 'sqlite';
  for (let attempt = 0; ; attempt++) {
    try {
      const once = () => dataSource.transaction(work);
      return await (sqlite ? serialised(dataSource, once) : once());
    } catch (error) {
      if (attempt >= retries || !isRetryableTransactionError(error)) throw error;
      // A jittered pause, growing with each loss, lets the winning transactions finish before this one runs again: on a
      // Galera cluster several nodes may keep writing the same hot row (one group's members), and equal pauses would
      // make them meet again.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * Math.min(500, 10 * 2 ** attempt)));
    }
  }
}

/**
 * Runs a read that must see only committed data, without a transaction of its own. On SQLite every request shares one
 * connection, so a read run while another request's transaction is open would see its uncommitted (perhaps later
 * rolled back) changes: the read queues behind the transactions instead, and they behind it. MySQL isolates
 * connections itself. Cheaper than `inTransaction` for a read: no BEGIN and COMMIT.
 */
export function committedRead<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const run = () => work(dataSource.manager);
  return dialectOf(dataSource) === 'sqlite' ? serialised(dataSource, run) : run();
}

/** Runs `work` in the caller's transaction when one is given, otherwise in a transaction of its own. */
export function withTransaction<T>(
  dataSource: DataSource,
  manager: EntityManager | undefined,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return manager ? work(manager) : inTransaction(dataSource, work);
}

/**
 * Adds `FOR UPDATE` on MySQL inside a transaction. SQLite needs no row locks (its transactions are serialised) and
 * rejects the clause.
 */
export function forUpdate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  manager: EntityManager,
): SelectQueryBuilder<T> {
  return locksRows(manager) ? qb.setLock('pessimistic_write') : qb;
}

/** What `forUpdate` adds, for a hand-written select: ` FOR UPDATE` in a MySQL/MariaDB transaction, else nothing. */
export function forUpdateClause(manager: EntityManager): string {
  return locksRows(manager) ? ' FOR UPDATE' : '';
}

/**
 * What `selectRawShared` adds, for a hand-written select: the shared lock in a MySQL/MariaDB transaction, else
 * nothing. Without a manager (a read outside any transaction) nothing either.
 */
export function sharedLockClause(manager: EntityManager | undefined): string {
  return manager && locksRows(manager) ? SHARED_LOCK_CLAUSE : '';
}

/** Whether a select on `manager` takes row locks: only in an open MySQL/MariaDB transaction. */
function locksRows(manager: EntityManager): boolean {
  return manager.queryRunner?.isTransactionActive === true && dialectOf(manager) === 'mysql';
}

/**
 * The shared-lock clause both MySQL (5.7, 8, 9) and MariaDB accept. TypeORM's `pessimistic_read` is not used: it is
 * rendered from the connection's declared type and the server's version number, so a connection declared `mysql`
 * that reaches MariaDB 10/11 gets MySQL 8's `FOR SHARE`, which MariaDB rejects.
 */
export const SHARED_LOCK_CLAUSE = ' LOCK IN SHARE MODE';

/**
 * Runs a select with a shared lock on MySQL/MariaDB inside a transaction (rows read stay as read until the commit),
 * and as it is elsewhere: SQLite serialises its transactions and rejects the clause. Answers the raw rows.
 */
export async function selectRawShared<R>(qb: SelectQueryBuilder<ObjectLiteral>, manager: EntityManager): Promise<R[]> {
  const lock = sharedLockClause(manager);
  if (!lock) return qb.getRawMany<R>();
  const [sql, parameters] = qb.getQueryAndParameters();
  return (await manager.query(sql + lock, parameters)) as R[];
}
