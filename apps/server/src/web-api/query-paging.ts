import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Counts what a search matches, then narrows the query to one page in `order`: the searches of the account endpoints
 * run these two steps alike, whatever rows they read afterwards.
 */
export async function pageQuery<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  order: string,
  page: { page: number; pageSize: number },
): Promise<{ total: number; query: SelectQueryBuilder<T> }> {
  const total = await qb.clone().getCount();
  const query = qb
    .orderBy(order, 'ASC')
    .offset((page.page - 1) * page.pageSize)
    .limit(page.pageSize);
  return { total, query };
}
