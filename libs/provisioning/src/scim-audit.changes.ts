import type { ScimResourceData, ScimValue } from '@nest-scim/scim';

/** More names than any schema has; a longer list is cut, not stored whole. */
const MAX_NAMES = 200;

function isObject(value: ScimValue | undefined): value is Record<string, ScimValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Key-order-independent form, for comparing two stored values. */
function canonical(value: ScimValue | undefined): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function diffObject(
  before: Record<string, ScimValue>,
  after: Record<string, ScimValue>,
  prefix: string,
  names: string[],
  skip: ReadonlySet<string>,
): void {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of [...keys].sort()) {
    if (skip.has(key.toLowerCase())) continue;
    const left = before[key];
    const right = after[key];
    if (canonical(left) === canonical(right)) continue;
    // A single-valued complex attribute (name, manager) is named down to the sub-attribute that changed.
    if (isObject(left) || isObject(right)) {
      const subBefore = isObject(left) ? left : {};
      const subAfter = isObject(right) ? right : {};
      const subKeys = new Set([...Object.keys(subBefore), ...Object.keys(subAfter)]);
      for (const sub of [...subKeys].sort()) {
        if (canonical(subBefore[sub]) !== canonical(subAfter[sub])) names.push(`${prefix}${key}.${sub}`);
      }
      continue;
    }
    names.push(`${prefix}${key}`);
  }
}

/**
 * The attribute paths whose values differ between two states of a resource: core names as in the schema, extension
 * attributes prefixed with their URN. Names only: values never leave this function. `skip` lists attributes recorded
 * another way (a group's members).
 */
export function changedAttributes(
  before: ScimResourceData | undefined,
  after: ScimResourceData | undefined,
  skip: readonly string[] = [],
): string[] {
  const names: string[] = [];
  const skipped = new Set(skip.map((name) => name.toLowerCase()));
  diffObject(before?.core ?? {}, after?.core ?? {}, '', names, skipped);
  const urns = new Set([...Object.keys(before?.extensions ?? {}), ...Object.keys(after?.extensions ?? {})]);
  for (const urn of [...urns].sort()) {
    diffObject(before?.extensions[urn] ?? {}, after?.extensions[urn] ?? {}, `${urn}:`, names, new Set());
  }
  return [...new Set(names)].slice(0, MAX_NAMES);
}
