import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Dialect } from '@nest-scim/persistence';
import { FilterTargets, ScimError, ScimSort } from '@nest-scim/scim';
import { SortKey, sortKeyOf } from './filter';

/** How a filter's dateTime value is bound: a Date on MySQL, the stored text form on SQLite. */
export function dateParameter(dialect: Dialect): (date: Date) => unknown {
  return dialect === 'mysql' ? (d) => d : (d) => d.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * One page of a list and the total number of matches. The total is counted only when the page cannot tell it: a page
 * that holds fewer rows than asked is the last one, so Entra's lookups (a filter, first page, zero or one match) cost
 * one statement instead of two.
 *
 * Rows come in `order` (the store's stable order: a time, then the SCIM id), unless the request asks for a sort
 * (RFC 7644 §3.4.2.3): then by the column the filter `targets` give that attribute (its case-folded copy when it is
 * case-insensitive, so both databases order alike), unassigned values last when ascending and first when descending,
 * and `order` after it so equal values keep one order across pages. An attribute that cannot be sorted on is 400.
 */
export async function readPage<R, Q extends SelectQueryBuilder<ObjectLiteral>>(
  base: () => Q,
  selectRows: (qb: Q) => SelectQueryBuilder<ObjectLiteral>,
  order: readonly [string, string],
  request: { startIndex: number; count: number; sort?: ScimSort },
  targets?: FilterTargets,
): Promise<{ totalResults: number; rows: R[] }> {
  const count = async () => Number((await base().select('COUNT(*)', 'n').getRawOne<{ n: number | string }>())?.n ?? 0);
  const sortKey = request.sort === undefined ? undefined : sortKeyFor(request.sort, targets);
  if (request.count === 0) return { totalResults: await count(), rows: [] };
  const qb = selectRows(base());
  if (sortKey !== undefined && request.sort !== undefined) {
    const direction = request.sort.descending ? 'DESC' : 'ASC';
    // NULL sorts first on both databases; RFC 7644 wants unassigned values after all others when ascending.
    if (!sortKey.alwaysSet) qb.addOrderBy(`CASE WHEN ${sortKey.column} IS NULL THEN 1 ELSE 0 END`, direction);
    qb.addOrderBy(sortKey.orderBy, direction);
    qb.addOrderBy(order[0], direction).addOrderBy(order[1], direction);
  } else {
    qb.orderBy(order[0], 'ASC').addOrderBy(order[1], 'ASC');
  }
  const rows = await qb
    .offset(request.startIndex - 1)
    .limit(request.count)
    .getRawMany<R>();
  const lastPage = rows.length < request.count && (rows.length > 0 || request.startIndex === 1);
  return { totalResults: lastPage ? request.startIndex - 1 + rows.length : await count(), rows };
}

function sortKeyFor(sort: ScimSort, targets: FilterTargets | undefined): SortKey {
  const key = targets === undefined ? undefined : sortKeyOf(targets, sort.path);
  if (key === undefined) throw ScimError.invalidValue('Sorting by this attribute is not supported');
  return key;
}
