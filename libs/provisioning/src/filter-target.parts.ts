import { foldCase } from '@nest-scim/identity';
import type { FilterTarget, ScalarTarget } from '@nest-scim/scim';

/** Sortable on a column that always holds a value (indexed), or on one that may be NULL (unassigned sorts last). */
export const ALWAYS_SET = { alwaysSet: true } as const;
export const MAY_BE_UNSET = { alwaysSet: false } as const;
/**
 * A folded login or group name: the product refuses control characters and edge whitespace in both (before and after
 * NFKC), so the indexed column's own order is the same on both databases.
 */
export const PRODUCT_NAME_KEY = { alwaysSet: true, byColumn: true } as const;

/** A text attribute held in one column. */
export function textTarget(column: string, caseExact: boolean): ScalarTarget {
  return { kind: 'scalar', column, type: 'string', caseExact };
}

/** A case-insensitive attribute, compared (and sorted) on its case-folded copy. */
export function foldedTarget(column: string, normalizedColumn: string): ScalarTarget {
  return { ...textTarget(column, false), normalizedColumn, normalize: foldCase };
}

/** `meta.created` and `meta.lastModified` of a profile table aliased `alias`, both sortable on their indexes. */
export function metaTimestampTargets(alias: string): Record<string, FilterTarget> {
  const time = (column: string): ScalarTarget => ({
    kind: 'scalar',
    column: `${alias}.${column}`,
    type: 'dateTime',
    caseExact: true,
    sortable: ALWAYS_SET,
  });
  return { 'meta.created': time('created_at'), 'meta.lastmodified': time('updated_at') };
}
