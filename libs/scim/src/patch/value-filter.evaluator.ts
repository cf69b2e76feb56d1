import type { CompareNode, FilterNode } from '../filter/filter.ast';
import { findAttribute } from '../schema/schema.registry';
import type { AttributeDefinition } from '../schema/schema.types';
import { isPlainObject } from '../resource/safe-object.util';
import type { ScimObject, ScimPrimitive, ScimValue } from '../resource/scim-value.types';

/*
 * In-memory evaluation of the value filter of a PATCH path (`emails[type eq "work"]`) against the elements of one
 * multi-valued attribute (RFC 7644 §3.4.2.2 semantics). Paths in the filter are sub-attribute names of `attribute`,
 * already canonical (the path parser checked them).
 */

export function matchesValueFilter(element: ScimValue, filter: FilterNode, attribute: AttributeDefinition): boolean {
  switch (filter.kind) {
    case 'and':
      return (
        matchesValueFilter(element, filter.left, attribute) && matchesValueFilter(element, filter.right, attribute)
      );
    case 'or':
      return (
        matchesValueFilter(element, filter.left, attribute) || matchesValueFilter(element, filter.right, attribute)
      );
    case 'not':
      return !matchesValueFilter(element, filter.filter, attribute);
    case 'present': {
      const actual = subValue(element, filter.path.attribute);
      return actual !== undefined && actual !== '' && !(Array.isArray(actual) && actual.length === 0);
    }
    case 'compare':
      return compare(subValue(element, filter.path.attribute), filter, attribute);
    case 'valuePath':
      // Rejected by the path parser; a nested value path never matches.
      return false;
  }
}

/**
 * The element a filter describes, for Entra's "replace/add with a filter that matches nothing":
 * `type eq "work"` seeds `{type: "work"}`. Only `eq` comparisons joined by `and` can seed; anything else → undefined.
 */
export function seedFromValueFilter(filter: FilterNode): ScimObject | undefined {
  const seed: ScimObject = {};
  const collect = (node: FilterNode): boolean => {
    if (node.kind === 'and') return collect(node.left) && collect(node.right);
    if (node.kind !== 'compare' || node.op !== 'eq' || node.value === null) return false;
    const name = node.path.attribute;
    if (Object.prototype.hasOwnProperty.call(seed, name) && seed[name] !== node.value) return false;
    seed[name] = node.value;
    return true;
  };
  return collect(filter) ? seed : undefined;
}

function subValue(element: ScimValue, name: string): ScimValue | undefined {
  if (isPlainObject(element)) {
    return Object.prototype.hasOwnProperty.call(element, name) ? (element as ScimObject)[name] : undefined;
  }
  // Elements of a multi-valued simple attribute are addressed as `value` (RFC 7644 §3.4.2.2).
  return name === 'value' ? element : undefined;
}

function compare(actual: ScimValue | undefined, node: CompareNode, attribute: AttributeDefinition): boolean {
  const expected = node.value;
  if (expected === null) {
    // `eq null` matches an unassigned value, `ne null` an assigned one.
    if (node.op === 'eq') return actual === undefined;
    if (node.op === 'ne') return actual !== undefined;
    return false;
  }
  if (actual === undefined) return node.op === 'ne';
  if (Array.isArray(actual) || isPlainObject(actual)) return false;

  const sub = findAttribute(attribute.subAttributes, node.path.attribute);
  const type =
    sub?.type ?? (typeof actual === 'string' ? 'string' : typeof actual === 'number' ? 'decimal' : 'boolean');
  if (type === 'boolean') {
    if (typeof actual !== 'boolean' || typeof expected !== 'boolean') return node.op === 'ne';
    if (node.op === 'eq') return actual === expected;
    if (node.op === 'ne') return actual !== expected;
    return false;
  }
  if (type === 'dateTime' && typeof actual === 'string' && typeof expected === 'string') {
    return order(node.op, Date.parse(actual), Date.parse(expected));
  }
  if (typeof actual === 'number' && typeof expected === 'number') return order(node.op, actual, expected);
  if (typeof actual !== 'string' || typeof expected !== 'string') return node.op === 'ne';

  // Strings honour the sub-attribute's caseExact (RFC 7643 §2.2); `type` and `value` are case-insensitive here.
  const caseExact = sub?.caseExact ?? false;
  const left = caseExact ? actual : actual.toLowerCase();
  const right = caseExact ? expected : expected.toLowerCase();
  switch (node.op) {
    case 'co':
      return left.includes(right);
    case 'sw':
      return left.startsWith(right);
    case 'ew':
      return left.endsWith(right);
    default:
      return order(node.op, left, right);
  }
}

function order(op: CompareNode['op'], left: ScimPrimitive, right: ScimPrimitive): boolean {
  if (typeof left === 'number' && Number.isNaN(left)) return false;
  if (typeof right === 'number' && Number.isNaN(right)) return false;
  switch (op) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    case 'gt':
      return left > right;
    case 'ge':
      return left >= right;
    case 'lt':
      return left < right;
    case 'le':
      return left <= right;
    default:
      return false;
  }
}
