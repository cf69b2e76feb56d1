import { isForbiddenKey, isPlainObject } from './safe-object.util';
import type { ScimObject, ScimValue } from './scim-value.types';

/**
 * Removes `null`/`undefined` members, null list elements and objects left empty, so no response carries a null
 * (Entra: "no null values"). Empty lists are kept: a new Group answers `"members":[]`.
 */
export function stripEmptyValues(value: unknown): ScimValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const elements: ScimValue[] = [];
    for (const element of value) {
      const stripped = stripEmptyValues(element);
      if (stripped !== undefined) elements.push(stripped);
    }
    return elements;
  }
  if (isPlainObject(value)) {
    const result: ScimObject = {};
    for (const [key, child] of Object.entries(value)) {
      if (isForbiddenKey(key)) continue;
      const stripped = stripEmptyValues(child);
      if (stripped !== undefined) result[key] = stripped;
    }
    return Object.keys(result).length > 0 ? result : undefined;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  // Dates and other non-JSON leaves are the caller's to render; they must not leak as "{}".
  if (value instanceof Date) return value.toISOString();
  return undefined;
}

/** `stripEmptyValues` for a whole resource: always returns an object. */
export function stripEmptyResource(resource: Record<string, unknown>): ScimObject {
  const stripped = stripEmptyValues(resource);
  return isPlainObject(stripped) ? (stripped as ScimObject) : {};
}
