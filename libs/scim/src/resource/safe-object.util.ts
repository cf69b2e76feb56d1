import type { ScimObject, ScimValue } from './scim-value.types';

/**
 * Keys that must never be copied from client input: assigning them on a plain object reaches Object.prototype
 *. Every object the SCIM layer builds from input takes only schema-canonical names, and this
 * list is the second fence.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/**
 * A JSON object: not an array, not a Date or other class instance. The prototype test is realm-agnostic (an
 * Object.prototype is the one prototype whose own prototype is null), so bodies built in another realm still count.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/** Own-property read, so a missing key never falls through to Object.prototype. */
export function ownValue(object: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/** A structural copy of a stored value; forbidden keys are dropped on the way. */
export function cloneValue<T extends ScimValue>(value: T): T {
  if (Array.isArray(value)) return value.map((element) => cloneValue(element)) as T;
  if (isPlainObject(value)) {
    const copy: ScimObject = {};
    for (const [key, child] of Object.entries(value as ScimObject)) {
      if (!isForbiddenKey(key)) copy[key] = cloneValue(child);
    }
    return copy as T;
  }
  return value;
}

/** Structural equality of stored values (key order ignored). */
export function valuesEqual(left: ScimValue | undefined, right: ScimValue | undefined): boolean {
  if (left === right) return true;
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    return left.every((element, index) => valuesEqual(element, right[index]));
  }
  if (isPlainObject(left) && isPlainObject(right)) {
    const leftKeys = Object.keys(left);
    if (leftKeys.length !== Object.keys(right).length) return false;
    return leftKeys.every(
      (key) =>
        Object.prototype.hasOwnProperty.call(right, key) &&
        valuesEqual(left[key] as ScimValue, right[key] as ScimValue),
    );
  }
  return false;
}
