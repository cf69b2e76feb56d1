import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { dialectOf, inTransaction } from '@app/persistence';

/** Runs `work` in the caller's transaction when one is given, otherwise in a transaction of its own. */
export function withTransaction<T>(
  dataSource: DataSource,
  manager: EntityManager | undefined,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return manager ? work(manager) : inTransaction(dataSource, work);
}

/** `FOR UPDATE` on MySQL inside a transaction; SQLite serialises transactions and rejects the clause. */
export function forUpdate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  manager: EntityManager,
): SelectQueryBuilder<T> {
  const transactional = manager.queryRunner?.isTransactionActive === true;
  return transactional && dialectOf(manager) === 'mysql' ? qb.setLock('pessimistic_write') : qb;
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } } | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
