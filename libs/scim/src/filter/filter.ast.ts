/** The comparison operators of RFC 7644 §3.4.2.2 (`pr` is its own node). */
export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

export const COMPARE_OPERATORS: readonly CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

/** `compValue` of RFC 7644 figure 1: a JSON false / null / true / number / string. */
export type CompareValue = string | number | boolean | null;

/**
 * `attrPath` of RFC 7644 figure 1: `[URI ":"] ATTRNAME *1subAttr`. Names keep the case the client wrote; they are
 * case-insensitive (RFC 7643 §2.1), so anything that looks them up goes through {@link attrPathKey}.
 */
export interface AttrPath {
  /** The schema URN when the path was written fully qualified, e.g. the enterprise extension's URN. */
  readonly schema?: string;
  readonly attribute: string;
  readonly subAttribute?: string;
  /**
   * The value filter of `emails[type eq "work"].value`: only rows of the multi-valued attribute that match it are
   * compared. Present only together with `subAttribute`; paths inside it are relative to `attribute`.
   */
  readonly valueFilter?: FilterNode;
}

export interface CompareNode {
  readonly kind: 'compare';
  readonly path: AttrPath;
  readonly op: CompareOperator;
  readonly value: CompareValue;
}

export interface PresentNode {
  readonly kind: 'present';
  readonly path: AttrPath;
}

export interface LogicalNode {
  readonly kind: 'and' | 'or';
  readonly left: FilterNode;
  readonly right: FilterNode;
}

export interface NotNode {
  readonly kind: 'not';
  readonly filter: FilterNode;
}

/** `emails[type eq "work"]`: the inner filter's paths name sub-attributes of `path`. */
export interface ValuePathNode {
  readonly kind: 'valuePath';
  readonly path: AttrPath;
  readonly filter: FilterNode;
}

export type FilterNode = CompareNode | PresentNode | LogicalNode | NotNode | ValuePathNode;

export function isCompareOperator(word: string): word is CompareOperator {
  return (COMPARE_OPERATORS as readonly string[]).includes(word);
}

/** The lookup key of a path: lower-cased `schema:attribute.subAttribute`, without any value filter. */
export function attrPathKey(path: AttrPath): string {
  return formatAttrPath(path).toLowerCase();
}

/** The path as written, without any value filter. Attribute names only, so safe to show in an error detail. */
export function formatAttrPath(path: AttrPath): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  return path.schema === undefined ? name : `${path.schema}:${name}`;
}
