import type { DataSource, EntityManager, SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { dialectOf, inTransaction } from '@app/persistence';
import { SQL_CHUNK_SIZE } from './identity.constants';

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
  const transactional = manager.queryRunner?.isTransactionActive === true;
  return transactional && dialectOf(manager) === 'mysql' ? qb.setLock('pessimistic_write') : qb;
}

/** True when a write failed on a unique index or primary key, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } } | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Splits a list of ids into IN (…) sized chunks. */
export function chunks<T>(values: readonly T[], size = SQL_CHUNK_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

export interface PageRequest {
  /** 1-based page number (default 1). */
  page?: number;
  /** Items per page (default 50, at most 500). */
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export function resolvePage(
  request: PageRequest,
  maxPageSize: number,
): { page: number; pageSize: number; offset: number } {
  const page = Math.max(1, Math.floor(request.page ?? 1));
  const pageSize = Math.min(maxPageSize, Math.max(1, Math.floor(request.pageSize ?? 50)));
  if (!Number.isFinite(page) || !Number.isFinite(pageSize)) {
    return { page: 1, pageSize: 50, offset: 0 };
  }
  return { page, pageSize, offset: (page - 1) * pageSize };
}
