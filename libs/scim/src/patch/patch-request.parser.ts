import { ScimError } from '../errors/scim-error';
import { coerceAttributeValue, coerceSingleValue } from '../resource/attribute-value.coercer';
import { isForbiddenKey, isPlainObject } from '../resource/safe-object.util';
import type { ScimValue } from '../resource/scim-value.types';
import { UndeclaredAttributes } from '../resource/undeclared-attributes';
import { findSchema } from '../schema/schema.registry';
import type { AttributeDefinition, ResourceTypeDefinition } from '../schema/schema.types';
import { SCIM_URN } from '../schema/scim.urns';
import { parsePatchPath, type PatchTarget } from './patch-path.parser';
import type { PatchOperation, PatchOpName } from './patch.types';

export interface PatchLimits {
  /** Most operations accepted in one request; more → 400 tooMany. Default 1000. */
  maxOperations?: number;
}

export const DEFAULT_MAX_PATCH_OPERATIONS = 1000;
/** Keys in one path-less value object; the schemas have about 40 attributes, so more is a probe. */
const MAX_VALUE_KEYS = 200;

type AttributeTarget = Extract<PatchTarget, { kind: 'attribute' }>;

/**
 * Validates a PatchOp body (RFC 7644 §3.5.2) and normalises every Entra dialect into one
 * operation list: canonical paths, coerced values, path-less values expanded per attribute. Structural names
 * (`Operations`, `op`, `path`, `value`) and op values are case-insensitive (Entra sends `Add`/`Replace`/`Remove`).
 */
export function parsePatchRequest(
  body: unknown,
  resourceType: ResourceTypeDefinition,
  limits: PatchLimits = {},
  undeclared: UndeclaredAttributes = new UndeclaredAttributes(),
): PatchOperation[] {
  if (!isPlainObject(body)) throw ScimError.invalidSyntax('The request body must be a JSON object');
  const schemas = member(body, 'schemas');
  const patchUrn = SCIM_URN.PATCH_OP.toLowerCase();
  if (!Array.isArray(schemas) || !schemas.some((urn) => typeof urn === 'string' && urn.toLowerCase() === patchUrn)) {
    throw ScimError.invalidSyntax(`The 'schemas' attribute must list ${SCIM_URN.PATCH_OP}`);
  }
  const operations = member(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw ScimError.invalidSyntax("The 'Operations' attribute must be a non-empty array");
  }
  const maxOperations = limits.maxOperations ?? DEFAULT_MAX_PATCH_OPERATIONS;
  if (operations.length > maxOperations) {
    throw ScimError.tooMany(`A PATCH request may carry at most ${maxOperations} operations`);
  }

  const result: PatchOperation[] = [];
  const parser = new OperationParser(resourceType, undeclared);
  for (const operation of operations) result.push(...parser.parse(operation));
  return result;
}

/**
 * One request's operations, parsed with one rule for what the schema does not declare. An error about a path says
 * `invalidPath`; an error about a value (a key of a path-less or extension value object included) says
 * `invalidValue`, never blaming a path the client did not write.
 */
class OperationParser {
  constructor(
    private readonly resourceType: ResourceTypeDefinition,
    private readonly undeclared: UndeclaredAttributes,
  ) {}

  parse(raw: unknown): PatchOperation[] {
    if (!isPlainObject(raw)) throw ScimError.invalidSyntax('Each operation must be a JSON object');
    const op = parseOpName(member(raw, 'op'));
    const pathText = member(raw, 'path');
    const hasValue = hasMember(raw, 'value');
    const value = member(raw, 'value');

    if (pathText === undefined || pathText === null) {
      // RFC 7644 §3.5.2.2: remove without a path has no target.
      if (op === 'remove') throw ScimError.noTarget("A 'remove' operation requires a path");
      if (!isPlainObject(value))
        throw ScimError.invalidSyntax(`An '${op}' operation without a path requires an object value`);
      return this.expandValueObject(op, value, undefined);
    }
    if (typeof pathText !== 'string') throw ScimError.invalidPath('The path must be a string');

    const target = parsePatchPath(pathText, this.resourceType);
    if (target.kind === 'undeclared') {
      this.undeclared.inPath(target.name);
      return [];
    }
    if (target.kind === 'schema') {
      if (op === 'remove') return removeWholeSchema(target.schema, this.resourceType);
      if (!isPlainObject(value))
        throw ScimError.invalidSyntax(`An '${op}' operation on an extension requires an object value`);
      return this.expandValueObject(op, value, target.schema);
    }
    if (op !== 'remove' && !hasValue) throw ScimError.invalidSyntax(`An '${op}' operation requires a value`);
    return toOperations(op, target, value, this.undeclared);
  }

  /**
   * Path-less add/replace (RFC 7644 §3.5.2.1/3): each key is an attribute path of its own: a plain name, a dotted
   * sub-attribute (`name.givenName`), a URN-qualified name, or a URN holding an object. Expanding
   * per key means a key like "name.givenName" can never become a literal attribute. With `schemaUrn`, the value of an
   * operation whose path is that extension: its keys are the extension's attributes. `schemas` is not an attribute
   * in either (RFC 7643 §3), and is skipped as a POST or PUT body skips it.
   */
  private expandValueObject(
    op: Exclude<PatchOpName, 'remove'>,
    value: Record<string, unknown>,
    schemaUrn: string | undefined,
  ): PatchOperation[] {
    const keys = Object.keys(value);
    if (keys.length > MAX_VALUE_KEYS) throw ScimError.tooMany('The operation value has too many attributes');
    const result: PatchOperation[] = [];
    for (const key of keys) {
      if (key.toLowerCase() === 'schemas') continue;
      const target = this.valueKeyTarget(key, schemaUrn);
      const inner = value[key];
      if (target.kind === 'undeclared') {
        this.undeclared.inValue(target.name);
        continue;
      }
      if (target.kind === 'schema') {
        if (inner === null) continue;
        if (!isPlainObject(inner)) throw ScimError.invalidValue('An extension schema must be given as an object');
        result.push(...this.expandValueObject(op, inner, target.schema));
        continue;
      }
      result.push(...toOperations(op, target, inner, this.undeclared));
    }
    return result;
  }

  /** A key of a value object read as a path; what is wrong with it is wrong with the value (`invalidValue`). */
  private valueKeyTarget(key: string, schemaUrn: string | undefined): PatchTarget {
    const notAPath = () => ScimError.invalidValue('The operation value holds a key that is not an attribute name');
    // `__proto__` and friends are not attribute names; parsePatchPath refuses them, checked here to be plain about it.
    if (isForbiddenKey(key)) throw notAPath();
    let target: PatchTarget;
    try {
      target = parsePatchPath(schemaUrn === undefined ? key : `${schemaUrn}:${key}`, this.resourceType);
    } catch (error) {
      if (error instanceof ScimError && error.scimType === 'invalidPath') throw notAPath();
      throw error;
    }
    // Inside an extension's value, a nested URN is not one of its attributes.
    if (target.kind === 'schema' && schemaUrn !== undefined) throw notAPath();
    return target;
  }
}

function parseOpName(raw: unknown): PatchOpName {
  const name = typeof raw === 'string' ? raw.toLowerCase() : undefined;
  if (name === 'add' || name === 'replace' || name === 'remove') return name;
  throw ScimError.invalidSyntax("The 'op' of an operation must be 'add', 'replace' or 'remove'");
}

/** `remove` on an extension URN: unset each of its writable attributes. */
function removeWholeSchema(schemaUrn: string, resourceType: ResourceTypeDefinition): PatchOperation[] {
  if (schemaUrn.toLowerCase() === resourceType.schema.toLowerCase()) {
    throw ScimError.invalidPath('The core schema cannot be removed');
  }
  const schema = findSchema(schemaUrn);
  return (schema?.attributes ?? [])
    .filter((attribute) => attribute.mutability !== 'readOnly')
    .map((attribute) => ({ op: 'remove', path: { schema: schemaUrn, attribute: attribute.name } }));
}

/** Applies mutability rules and coerces the value for one resolved target. */
function toOperations(
  op: PatchOpName,
  target: AttributeTarget,
  raw: unknown,
  undeclared: UndeclaredAttributes,
): PatchOperation[] {
  const { path, attribute, subAttribute } = target;
  const label = subAttribute ? `${attribute.name}.${subAttribute.name}` : attribute.name;

  // readOnly targets (id, meta, meta.created, groups, members.display) cannot be written (RFC 7644 §3.5.2, 7643 §7).
  if (attribute.mutability === 'readOnly' || subAttribute?.mutability === 'readOnly') {
    throw ScimError.mutability(`Attribute '${label}' is read-only`);
  }
  // immutable values are set once, when the attribute or record is added (RFC 7643 §7); replacing one is refused.
  if (op === 'replace' && (attribute.mutability === 'immutable' || subAttribute?.mutability === 'immutable')) {
    throw ScimError.mutability(`Attribute '${label}' is immutable`);
  }

  const wholeList = attribute.multiValued && !subAttribute && !path.valueFilter;
  if (wholeList) assertRecordsHaveValues(attribute, raw, label);

  if (op === 'remove') {
    // Only a value list for a whole multi-valued attribute means anything; otherwise ignored.
    // An empty list names nothing to remove: it must never read as "remove them all" (RFC 7644 §3.5.2.2).
    if (wholeList && Array.isArray(raw) && raw.length === 0) return [];
    const values =
      wholeList && raw !== undefined && raw !== null
        ? coerceAttributeValue(attribute, raw, label, undeclared)
        : undefined;
    return [values === undefined ? { op, path } : { op, path, value: values }];
  }

  let value: ScimValue | undefined;
  if (subAttribute) value = coerceSingleValue(subAttribute, raw, label, undeclared);
  else if (attribute.multiValued && !path.valueFilter) value = coerceAttributeValue(attribute, raw, label, undeclared);
  else value = coerceSingleValue(attribute, raw, label, undeclared);

  if (value !== undefined) return [{ op, path, value }];
  // null is "unassigned" (RFC 7643 §2.5): replace with null clears the target; add of nothing changes nothing.
  if (op === 'replace' && (raw === null || Array.isArray(raw))) return [{ op: 'remove', path }];
  return [];
}

/**
 * Records of a multi-valued attribute that has a `value` sub-attribute (members, emails, …) must each carry a value:
 * `[{"$ref": null}]` or `[{"display": "x"}]` names no one, and read as "no value" it would turn a targeted remove or
 * replace into "all of them".
 */
function assertRecordsHaveValues(attribute: AttributeDefinition, raw: unknown, label: string): void {
  if (raw === undefined || raw === null || attribute.type !== 'complex') return;
  if (!attribute.subAttributes?.some((sub) => sub.name === 'value')) return;
  const records = Array.isArray(raw) ? raw : [raw];
  for (const record of records) {
    const value = isPlainObject(record) ? member(record, 'value') : undefined;
    if (value === undefined || value === null || value === '') {
      throw ScimError.invalidValue(`Each '${label}' record needs a 'value'`);
    }
  }
}

function member(object: Record<string, unknown>, name: string): unknown {
  const key = findKey(object, name);
  return key === undefined ? undefined : object[key];
}

function hasMember(object: Record<string, unknown>, name: string): boolean {
  return findKey(object, name) !== undefined;
}

/** Case-insensitive key lookup; the exact spelling wins when a body carries both. */
function findKey(object: Record<string, unknown>, name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(object, name)) return name;
  const wanted = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === wanted);
}
