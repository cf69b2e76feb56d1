import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Dialect } from '@app/persistence';

/** How a filter's dateTime value is bound: a Date on MySQL, the stored text form on SQLite. */
export function dateParameter(dialect: Dialect): (date: Date) => unknown {
  return dialect === 'mysql' ? (d) => d : (d) => d.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * One page of a list and the total number of matches. The total is counted only when the page cannot tell it: a page
 * that holds fewer rows than asked is the last one, so Entra's lookups (a filter, first page, zero or one match) cost
 * one statement instead of two.
 */
export async function readPage<R, Q extends SelectQueryBuilder<ObjectLiteral>>(
  base: () => Q,
  selectRows: (qb: Q) => SelectQueryBuilder<ObjectLiteral>,
  order: readonly [string, string],
  request: { startIndex: number; count: number },
): Promise<{ totalResults: number; rows: R[] }> {
  const count = async () => Number((await base().select('COUNT(*)', 'n').getRawOne<{ n: number | string }>())?.n ?? 0);
  if (request.count === 0) return { totalResults: await count(), rows: [] };
  const rows = await selectRows(base())
    .orderBy(order[0], 'ASC')
    .addOrderBy(order[1], 'ASC')
    .offset(request.startIndex - 1)
    .limit(request.count)
    .getRawMany<R>();
  const lastPage = rows.length < request.count && (rows.length > 0 || request.startIndex === 1);
  return { totalResults: lastPage ? request.startIndex - 1 + rows.length : await count(), rows };
}
