import { ScimError } from '../errors/scim-error';
import { resolveAttribute, schemasOf, splitSchemaPrefix } from '../schema/schema.registry';
import type { ResolvedAttribute } from '../schema/schema.registry';
import type { ResourceTypeDefinition } from '../schema/schema.types';
import { coerceAttributeValue } from './attribute-value.coercer';
import { isForbiddenKey, isPlainObject } from './safe-object.util';
import type { ScimResourceData, ScimValue } from './scim-value.types';
import { UndeclaredAttributes } from './undeclared-attributes';

export interface CoerceResourceOptions {
  /**
   * `true` for PUT, `false` for POST. Both follow the same input rules today (readOnly ignored per RFC 7644 §3.3 and
   * §3.5.1; the only immutable attributes are member sub-attributes, and PUT replaces whole members); the flag lets
   * call sites say which they are so PUT-only rules land here, not in controllers.
   */
  forUpdate: boolean;
  /** Notes (or, in strict mode, refuses) what the schema does not declare; ignored silently without it. */
  undeclared?: UndeclaredAttributes;
}

/**
 * Turns a POST/PUT body into stored form. Lenient where Entra and the RFC ask for it (attribute-name case, nulls,
 * readOnly attributes, "True"/"False"), strict on types, lengths and required attributes. What the schema does not
 * declare (unknown attributes, sub-attributes, extension URNs) follows `options.undeclared`: ignored by default.
 */
export function coerceResource(
  body: unknown,
  resourceType: ResourceTypeDefinition,
  options: CoerceResourceOptions,
): ScimResourceData {
  const undeclared = options.undeclared ?? new UndeclaredAttributes();
  if (!isPlainObject(body)) throw ScimError.invalidSyntax('The request body must be a JSON object');
  assertSchemas(body, resourceType);

  const result: ScimResourceData = { core: {}, extensions: {} };
  const assign = (resolved: ResolvedAttribute, raw: unknown): void => {
    const { definition, schema } = resolved;
    // readOnly input is ignored, never an error (RFC 7644 §3.5.1): id, meta, groups.
    if (definition.mutability === 'readOnly') return;
    const value = coerceAttributeValue(definition, raw, definition.name, undeclared);
    if (value === undefined) return;
    const target = schema === resourceType.schema ? result.core : (result.extensions[schema] ??= {});
    if (Object.prototype.hasOwnProperty.call(target, definition.name)) {
      throw ScimError.invalidSyntax(`Attribute '${definition.name}' is given more than once`);
    }
    target[definition.name] = value;
  };

  for (const key of Object.keys(body)) {
    if (isForbiddenKey(key) || key.toLowerCase() === 'schemas') continue;
    const raw = body[key];
    const split = splitSchemaPrefix(resourceType, key);
    // Unknown or misspelled URNs are tolerated and dropped: Entra's "…enterprise:2.0User" and its Microsoft URN.
    if (split.kind === 'unknownUrn') {
      undeclared.inValue(key);
      continue;
    }
    if (split.kind === 'qualified' && split.rest === '') {
      // An extension (or, rarely, the core schema) as an object keyed by its URN (RFC 7643 §3.3).
      if (raw === null) continue;
      if (!isPlainObject(raw)) throw ScimError.invalidValue('An extension schema must be given as an object');
      for (const innerKey of Object.keys(raw)) {
        if (isForbiddenKey(innerKey)) continue;
        // `schemas` inside an extension object is not an attribute (some clients repeat it there).
        if (innerKey.toLowerCase() === 'schemas') continue;
        const resolved = resolveAttribute(resourceType, innerKey, split.schema);
        if (resolved) assign(resolved, raw[innerKey]);
        else undeclared.inValue(`${split.schema}:${innerKey}`);
      }
      continue;
    }
    const resolved =
      split.kind === 'qualified'
        ? resolveAttribute(resourceType, split.rest, split.schema)
        : resolveAttribute(resourceType, split.rest);
    // Unknown attributes are ignored and not echoed.
    if (resolved) assign(resolved, raw);
    else undeclared.inValue(key);
  }

  assertRequired(result, resourceType);
  return result;
}

/** RFC 7643 §3: `schemas` is REQUIRED and must name the resource's core schema; extra URNs are tolerated. */
function assertSchemas(body: Record<string, unknown>, resourceType: ResourceTypeDefinition): void {
  const key = Object.keys(body).find((candidate) => candidate.toLowerCase() === 'schemas');
  const schemas = key === undefined ? undefined : body[key];
  const wanted = resourceType.schema.toLowerCase();
  const valid =
    Array.isArray(schemas) &&
    schemas.every((urn) => typeof urn === 'string') &&
    schemas.some((urn) => (urn as string).toLowerCase() === wanted);
  if (!valid) throw ScimError.invalidSyntax(`The 'schemas' attribute must list ${resourceType.schema}`);
}

/** Required attributes must be present and not blank (userName, Group displayName). */
export function assertRequired(resource: ScimResourceData, resourceType: ResourceTypeDefinition): void {
  const { core, extensions } = schemasOf(resourceType);
  const check = (attributes: typeof core.attributes, values: Record<string, ScimValue> | undefined): void => {
    for (const attribute of attributes) {
      if (!attribute.required) continue;
      const value = values?.[attribute.name];
      const blank = value === undefined || (typeof value === 'string' && value.trim() === '');
      if (blank) throw ScimError.invalidValue(`Attribute '${attribute.name}' is required`);
    }
  };
  check(core.attributes, resource.core);
  // Extension attributes are required only when the extension is present.
  for (const extension of extensions) {
    if (resource.extensions[extension.id]) check(extension.attributes, resource.extensions[extension.id]);
  }
}
