import { ScimError } from '../errors/scim-error';
import { findAttribute } from '../schema/schema.registry';
import type { AttributeDefinition } from '../schema/schema.types';
import { isForbiddenKey, isPlainObject } from './safe-object.util';
import type { ScimObject, ScimPrimitive, ScimValue } from './scim-value.types';
import type { UndeclaredAttributes } from './undeclared-attributes';

/*
 * Type checks and coercion of one attribute value against its definition, shared by POST/PUT coercion and PATCH.
 * `label` is the canonical attribute path from the schema (e.g. `emails.value`); error details name it and never echo
 * the client's value.
 */

const BOOLEAN_TEXT = /^(true|false)$/i;
// xsd:dateTime as RFC 7643 §2.3.5 requires, with an optional fraction and zone.
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
// RFC 7643 §2.3.6: base64 (RFC 4648 §4); the URL-safe alphabet is tolerated.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * The longest string or reference value, in characters (Unicode code points, as MySQL counts them): the width of every
 * column a value is copied to, for users and groups alike, so a value is either kept whole and found by a filter or
 * refused with 400 invalidValue, on both databases, never cut.
 */
export const MAX_STRING_LENGTH = 255;

/** The length of a string in code points, counting no further than `limit + 1`. */
function exceedsLength(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  let count = 0;
  for (const _ of text) if (++count > limit) return true;
  return false;
}

/**
 * Returns the stored form of `raw`, or `undefined` when it is unassigned: `null`, an empty array, or a complex value
 * with nothing left after readOnly and unknown sub-attributes are dropped (RFC 7643 §2.5).
 */
export function coerceAttributeValue(
  definition: AttributeDefinition,
  raw: unknown,
  label: string,
  undeclared?: UndeclaredAttributes,
): ScimValue | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (definition.multiValued) return coerceMultiValued(definition, raw, label, undeclared);
  return coerceSingleValue(definition, raw, label, undeclared);
}

/** Coerces one element of a multi-valued attribute (or the value of a single-valued one). */
export function coerceSingleValue(
  definition: AttributeDefinition,
  raw: unknown,
  label: string,
  undeclared?: UndeclaredAttributes,
): ScimValue | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (definition.type === 'complex') return coerceComplex(definition, raw, label, undeclared);
  return coerceSimple(definition, raw, label);
}

function coerceMultiValued(
  definition: AttributeDefinition,
  raw: unknown,
  label: string,
  undeclared: UndeclaredAttributes | undefined,
): ScimValue[] | undefined {
  // A lone value for a multi-valued attribute is taken as a one-element list, a leniency clients rely on.
  const elements = Array.isArray(raw) ? raw : [raw];
  const values: ScimValue[] = [];
  for (const element of elements) {
    if (Array.isArray(element)) throw ScimError.invalidValue(`Attribute '${label}' must not contain nested lists`);
    const value = coerceSingleValue(definition, element, label, undeclared);
    if (value !== undefined) values.push(value);
  }
  if (values.length === 0) return undefined;
  assertSinglePrimary(values, label);
  return values;
}

/** RFC 7643 §2.4: the `primary` attribute value `true` MUST appear no more than once. */
export function assertSinglePrimary(values: readonly ScimValue[], label: string): void {
  const primaries = values.filter((value) => isPlainObject(value) && value.primary === true).length;
  if (primaries > 1) throw ScimError.invalidValue(`Attribute '${label}' may have at most one primary value`);
}

function coerceComplex(
  definition: AttributeDefinition,
  raw: unknown,
  label: string,
  undeclared: UndeclaredAttributes | undefined,
): ScimObject | undefined {
  let source = raw;
  if (!definition.multiValued && Array.isArray(source)) {
    // Entra sends the single-valued manager as [{"$ref":…,"value":…}].
    if (source.length === 0) return undefined;
    if (source.length > 1) throw ScimError.invalidValue(`Attribute '${label}' must be a single value`);
    source = source[0];
    if (source === null) return undefined;
  }
  if (!definition.multiValued && typeof source === 'string' && findAttribute(definition.subAttributes, 'value')) {
    // Entra also sends the manager as the bare id string.
    return coerceComplex(definition, { value: source }, label, undeclared);
  }
  if (!isPlainObject(source)) throw ScimError.invalidValue(`Attribute '${label}' must be an object`);

  const result: ScimObject = {};
  for (const key of Object.keys(source)) {
    if (isForbiddenKey(key)) continue;
    const sub = findAttribute(definition.subAttributes, key);
    // Unknown sub-attributes follow the rule of unknown attributes; readOnly ones are server-maintained (RFC 7644
    // §3.5.1) and ignored.
    if (!sub) {
      undeclared?.inValue(`${label}.${key}`);
      continue;
    }
    if (sub.mutability === 'readOnly') continue;
    const value = coerceSingleValue(sub, source[key], `${label}.${sub.name}`, undeclared);
    if (value === undefined) continue;
    if (Object.prototype.hasOwnProperty.call(result, sub.name)) {
      throw ScimError.invalidSyntax(`Attribute '${label}.${sub.name}' is given more than once`);
    }
    result[sub.name] = value;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

function coerceSimple(definition: AttributeDefinition, raw: unknown, label: string): ScimPrimitive {
  switch (definition.type) {
    case 'string':
    case 'reference':
      if (typeof raw !== 'string') throw ScimError.invalidValue(`Attribute '${label}' must be a string`);
      // No filter can name a NUL (SQLite and MySQL would answer differently), so no stored value holds one.
      if (raw.includes('\u0000')) throw ScimError.invalidValue(`Attribute '${label}' must not contain a NUL character`);
      if (exceedsLength(raw, MAX_STRING_LENGTH)) {
        throw ScimError.invalidValue(`Attribute '${label}' is longer than ${MAX_STRING_LENGTH} characters`);
      }
      return raw;
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      // Entra's default PATCH dialect sends "True"/"False", REF posts "True" (36).
      if (typeof raw === 'string' && BOOLEAN_TEXT.test(raw)) return raw.toLowerCase() === 'true';
      throw ScimError.invalidValue(`Attribute '${label}' must be a boolean`);
    case 'integer':
      if (typeof raw === 'number' && Number.isSafeInteger(raw)) return raw;
      throw ScimError.invalidValue(`Attribute '${label}' must be an integer`);
    case 'decimal':
      if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
      throw ScimError.invalidValue(`Attribute '${label}' must be a number`);
    case 'dateTime':
      if (typeof raw === 'string' && DATE_TIME.test(raw) && !Number.isNaN(Date.parse(raw))) return raw;
      throw ScimError.invalidValue(`Attribute '${label}' must be an xsd:dateTime`);
    case 'binary':
      if (typeof raw === 'string' && BASE64.test(raw.replace(/\s+/g, ''))) return raw;
      throw ScimError.invalidValue(`Attribute '${label}' must be base64-encoded`);
    case 'complex':
      throw new Error('complex values are coerced by coerceComplex');
  }
}
