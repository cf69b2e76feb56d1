import { ScimError } from '../errors/scim-error';
import { assertSinglePrimary } from '../resource/attribute-value.coercer';
import { assertRequired } from '../resource/resource.coercer';
import { cloneValue, isPlainObject, valuesEqual } from '../resource/safe-object.util';
import type { ScimObject, ScimResourceData, ScimValue } from '../resource/scim-value.types';
import { findAttribute, findSchema, resolveAttribute } from '../schema/schema.registry';
import type { AttributeDefinition, ResourceTypeDefinition } from '../schema/schema.types';
import type { PatchOperation } from './patch.types';
import { matchesValueFilter, seedFromValueFilter } from './value-filter.evaluator';

export interface ApplyPatchOptions {
  /**
   * Attributes the caller applies itself and `applyPatch` must leave alone, e.g. `['members']` for Groups, whose
   * membership goes to the database as deltas (see `membershipChanges`).
   */
  handledElsewhere?: readonly string[];
}

export interface PatchResult {
  resource: ScimResourceData;
  /** Whether anything changed, for `meta.lastModified` and `meta.version`. */
  changed: boolean;
}

/**
 * Applies normalised operations (RFC 7644 §3.5.2.1–3, with Entra's leniencies) to a copy of `resource`. All or
 * nothing: the first failing operation throws and the input is never touched (§3.5.2 "SHALL be treated as atomic").
 */
export function applyPatch(
  resource: ScimResourceData,
  operations: readonly PatchOperation[],
  resourceType: ResourceTypeDefinition,
  options: ApplyPatchOptions = {},
): PatchResult {
  const before = normalise(resource);
  const working = normalise(resource);
  const skipped = new Set((options.handledElsewhere ?? []).map((name) => name.toLowerCase()));

  for (const operation of operations) {
    if (skipped.has(operation.path.attribute.toLowerCase())) continue;
    const resolved = resolveAttribute(resourceType, operation.path.attribute, operation.path.schema);
    if (!resolved) throw ScimError.invalidPath('The path is not a valid attribute path of this resource');
    const container =
      resolved.schema === resourceType.schema ? working.core : (working.extensions[resolved.schema] ??= {});
    applyOperation(container, operation, resolved.definition);
  }

  pruneEmptyExtensions(working);
  assertRequired(working, resourceType);
  return { resource: working, changed: !resourcesEqual(before, working) };
}

function applyOperation(container: ScimObject, operation: PatchOperation, attribute: AttributeDefinition): void {
  const sub = operation.path.subAttribute
    ? findAttribute(attribute.subAttributes, operation.path.subAttribute)
    : undefined;
  // parsePatchRequest already refuses these; repeated for operations built by hand.
  if (attribute.mutability === 'readOnly' || sub?.mutability === 'readOnly') {
    throw ScimError.mutability(`Attribute '${attribute.name}' is read-only`);
  }
  if (attribute.multiValued) applyMultiValued(container, operation, attribute, sub);
  else applySingleValued(container, operation, attribute, sub);
}

function applySingleValued(
  container: ScimObject,
  { op, value }: PatchOperation,
  attribute: AttributeDefinition,
  sub: AttributeDefinition | undefined,
): void {
  const name = attribute.name;
  if (!sub) {
    if (op === 'remove') delete container[name];
    // add/replace on a complex attribute merge the given sub-attributes (§3.5.2.1, §3.5.2.3 "left unchanged").
    else if (attribute.type === 'complex') container[name] = mergeRecord(objectAt(container, name), required(value));
    else container[name] = cloneValue(required(value));
    return;
  }
  const current = objectAt(container, name) ?? {};
  if (op === 'remove') delete current[sub.name];
  else current[sub.name] = cloneValue(required(value));
  if (Object.keys(current).length > 0) container[name] = current;
  else delete container[name];
}

function applyMultiValued(
  container: ScimObject,
  { op, path, value }: PatchOperation,
  attribute: AttributeDefinition,
  sub: AttributeDefinition | undefined,
): void {
  const name = attribute.name;
  const elements = Array.isArray(container[name]) ? [...(container[name] as ScimValue[])] : [];
  const filter = path.valueFilter;
  const selected = (element: ScimValue): boolean => !filter || matchesValueFilter(element, filter, attribute);
  /** Elements this operation wrote, for the primary rule below. */
  const written: ScimValue[] = [];
  let result: ScimValue[];

  if (!sub && !filter) {
    if (op === 'add') {
      // §3.5.2.1: new values are appended; a value already present is not added twice.
      result = elements;
      for (const element of asList(value)) {
        if (!result.some((existing) => valuesEqual(existing, element))) {
          const copy = cloneValue(element);
          result.push(copy);
          written.push(copy);
        }
      }
    } else if (op === 'replace') {
      result = asList(value).map((element) => cloneValue(element));
      written.push(...result);
    } else if (value === undefined) {
      result = [];
    } else {
      // Entra's default dialect removes only the listed values, not the whole attribute.
      const doomed = asList(value);
      result = elements.filter((element) => !doomed.some((candidate) => sameValue(element, candidate, attribute)));
    }
  } else if (!sub) {
    // attr[filter]
    const matches = elements.filter(selected);
    if (op === 'remove') {
      result = elements.filter((element) => !selected(element));
    } else if (matches.length === 0) {
      result = [...elements, created(path.valueFilter, required(value), attribute)];
      written.push(result[result.length - 1]);
    } else {
      result = elements.map((element) => {
        if (!selected(element)) return element;
        // replace swaps the whole record (§3.5.2.3); add merges into it.
        const next = op === 'replace' ? cloneValue(required(value)) : merge(asObject(element), required(value));
        assertImmutableKept(element, next, attribute);
        written.push(next);
        return next;
      });
    }
  } else {
    // attr.sub or attr[filter].sub
    const matches = elements.filter(selected);
    if (op === 'remove') {
      result = elements
        .map((element) => (selected(element) ? without(asObject(element), sub.name) : element))
        .filter((element) => !isPlainObject(element) || Object.keys(element).length > 0);
    } else if (matches.length === 0) {
      // Entra expects replace/add of `emails[type eq "work"].value` to create the typed entry.
      const seed = created(filter, { [sub.name]: cloneValue(required(value)) }, attribute);
      result = [...elements, seed];
      written.push(seed);
    } else {
      result = elements.map((element) => {
        if (!selected(element)) return element;
        const next = { ...asObject(element), [sub.name]: cloneValue(required(value)) };
        assertImmutableKept(element, next, attribute);
        written.push(next);
        return next;
      });
    }
  }

  demoteOtherPrimaries(result, written);
  assertSinglePrimary(result, attribute.name);
  if (result.length > 0) container[name] = result;
  else delete container[name];
}

/** A new record for a filter that matched nothing: the filter's `eq` values plus the given value. */
function created(
  filter: PatchOperation['path']['valueFilter'],
  value: ScimValue,
  attribute: AttributeDefinition,
): ScimObject {
  const seed = filter ? seedFromValueFilter(filter) : {};
  // §3.5.2.3: a filter that matches nothing is noTarget, unless it names the record to create (`type eq "work"`).
  if (!seed) throw ScimError.noTarget(`No value of '${attribute.name}' matches the path filter`);
  return merge(seed, value);
}

/**
 * RFC 7644 §3.5.2: setting `primary` to true on one value sets it to false on the others. A PATCH that writes two
 * primaries itself is left for assertSinglePrimary to refuse.
 */
function demoteOtherPrimaries(elements: ScimValue[], written: readonly ScimValue[]): void {
  if (!written.some((element) => isPlainObject(element) && element.primary === true)) return;
  for (let index = 0; index < elements.length; index++) {
    const element = elements[index];
    if (written.includes(element) || !isPlainObject(element) || element.primary !== true) continue;
    elements[index] = { ...element, primary: false };
  }
}

/** RFC 7643 §7 immutable sub-attributes (members' value/$ref/type) cannot change on an existing record. */
function assertImmutableKept(before: ScimValue, after: ScimValue, attribute: AttributeDefinition): void {
  if (!isPlainObject(before) || !isPlainObject(after)) return;
  for (const sub of attribute.subAttributes ?? []) {
    if (sub.mutability !== 'immutable') continue;
    const old = before[sub.name];
    if (old !== undefined && !valuesEqual(old as ScimValue, after[sub.name] as ScimValue | undefined)) {
      throw ScimError.mutability(`Attribute '${attribute.name}.${sub.name}' is immutable`);
    }
  }
}

/** Equality used to pick values out for removal: by `value` when the candidate names one, else structurally. */
function sameValue(element: ScimValue, candidate: ScimValue, attribute: AttributeDefinition): boolean {
  if (isPlainObject(candidate) && typeof candidate.value === 'string' && isPlainObject(element)) {
    const actual = element.value;
    if (typeof actual !== 'string') return false;
    const caseExact = findAttribute(attribute.subAttributes, 'value')?.caseExact ?? false;
    return caseExact ? actual === candidate.value : actual.toLowerCase() === candidate.value.toLowerCase();
  }
  return valuesEqual(element, candidate);
}

function required(value: ScimValue | undefined): ScimValue {
  // parsePatchRequest gives every add/replace a value; a hand-built operation without one is a programming error.
  if (value === undefined) throw ScimError.invalidSyntax('The operation requires a value');
  return value;
}

function merge(target: ScimObject | undefined, value: ScimValue): ScimObject {
  if (!isPlainObject(value)) throw ScimError.invalidValue('A complex attribute requires an object value');
  return { ...(target ?? {}), ...cloneValue(value as ScimObject) };
}

/**
 * Merge for a single-valued complex attribute, except when the record points elsewhere: a manager whose `value` changes
 * is a new referent, so its old `$ref`/`displayName` must not survive the merge.
 */
function mergeRecord(current: ScimObject | undefined, value: ScimValue): ScimObject {
  const pointsElsewhere =
    current !== undefined &&
    isPlainObject(value) &&
    value.value !== undefined &&
    !valuesEqual(current.value, value.value as ScimValue);
  return merge(pointsElsewhere ? undefined : current, value);
}

function objectAt(container: ScimObject, name: string): ScimObject | undefined {
  const value = container[name];
  return isPlainObject(value) ? { ...(value as ScimObject) } : undefined;
}

function asObject(value: ScimValue): ScimObject {
  return isPlainObject(value) ? { ...(value as ScimObject) } : { value };
}

function asList(value: ScimValue | undefined): ScimValue[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function without(object: ScimObject, key: string): ScimObject {
  const copy = { ...object };
  delete copy[key];
  return copy;
}

function normalise(resource: ScimResourceData): ScimResourceData {
  const extensions: ScimResourceData['extensions'] = {};
  for (const [urn, values] of Object.entries(resource.extensions ?? {})) {
    // Keys are canonical URNs so operations (which carry canonical URNs) find the stored extension.
    if (isPlainObject(values)) extensions[findSchema(urn)?.id ?? urn] = cloneValue(values);
  }
  return { core: cloneValue(resource.core ?? {}), extensions };
}

function pruneEmptyExtensions(resource: ScimResourceData): void {
  for (const urn of Object.keys(resource.extensions)) {
    if (Object.keys(resource.extensions[urn]).length === 0) delete resource.extensions[urn];
  }
}

function resourcesEqual(left: ScimResourceData, right: ScimResourceData): boolean {
  const extensions = (data: ScimResourceData): ScimObject => {
    const result: ScimObject = {};
    for (const [urn, values] of Object.entries(data.extensions))
      if (Object.keys(values).length > 0) result[urn] = values;
    return result;
  };
  return valuesEqual(left.core, right.core) && valuesEqual(extensions(left), extensions(right));
}
