import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { dialectOf, Dialect } from '@app/persistence';

/** Row lock for the read-then-write of one resource; SQLite serialises transactions instead and rejects the clause. */
export function lockedForUpdate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  manager: EntityManager,
): SelectQueryBuilder<T> {
  return dialectOf(manager) === 'mysql' ? qb.setLock('pessimistic_write') : qb;
}

/** How a filter's dateTime value is bound: a Date on MySQL, the stored text form on SQLite. */
export function dateParameter(dialect: Dialect): (date: Date) => unknown {
  return dialect === 'mysql' ? (d) => d : (d) => d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Reads a DATETIME column from a raw row: a Date on MySQL, `YYYY-MM-DD HH:MM:SS.SSS` (UTC) on SQLite. */
export function readDate(value: unknown): Date {
  if (value instanceof Date) return value;
  return new Date(`${String(value).replace(' ', 'T')}Z`);
}
