import { ScimError } from '../errors/scim-error';
import type { AttrPath, FilterNode } from '../filter/filter.ast';
import { parseFilter } from '../filter/filter.parser';
import { isForbiddenKey } from '../resource/safe-object.util';
import { findAttribute, resolveAttribute, splitSchemaPrefix } from '../schema/schema.registry';
import type { AttributeDefinition, ResourceTypeDefinition } from '../schema/schema.types';
import type { PatchPath } from './patch.types';

/*
 * The PATCH `path` grammar of RFC 7644 §3.5.2: `attrPath` / `valuePath [subAttr]`, optionally URN-qualified.
 * Hostile paths are refused cheaply: a length cap before anything else, no bracket nesting, at most one sub-attribute
 * level, and the value filter goes to the shared filter parser with a small depth cap.
 */

/** Entra's longest real paths are URN-qualified names or `members[value eq "<guid>"]`, well under this. */
export const MAX_PATCH_PATH_LENGTH = 1024;
/** Real value filters are one or two comparisons; nesting is a probe, not a request. */
export const MAX_VALUE_FILTER_DEPTH = 8;

// ATTRNAME of RFC 7643 §2.1 (plus `$ref`); rules out `__proto__` and every other name starting with `_`.
const ATTRNAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;
/** A URN-qualified attribute path (`urn:…:User:costCenter`, `…:User:name.givenName`), segments as RFC 8141 allows. */
const URN_PATH = /^urn:[A-Za-z0-9][A-Za-z0-9-]*(?::[A-Za-z0-9$_.-]+)+$/i;

export type PatchTarget =
  | {
      readonly kind: 'attribute';
      readonly path: PatchPath;
      readonly attribute: AttributeDefinition;
      readonly subAttribute?: AttributeDefinition;
    }
  /** A path that is exactly an extension (or core) schema URN: the whole extension object. */
  | { readonly kind: 'schema'; readonly schema: string }
  /**
   * A well-formed path to something the schema does not declare: an attribute of an extension this resource type does
   * not have, an unknown attribute or sub-attribute. The caller decides whether that is ignored or refused.
   */
  | { readonly kind: 'undeclared'; readonly name: string };

const invalidPath = (): ScimError => ScimError.invalidPath('The path is not a valid attribute path of this resource');

export function parsePatchPath(text: string, resourceType: ResourceTypeDefinition): PatchTarget {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_PATCH_PATH_LENGTH) throw invalidPath();
  const { head, filterText, tail } = splitBrackets(text.trim());

  const split = splitSchemaPrefix(resourceType, head);
  if (split.kind === 'unknownUrn') {
    if (!URN_PATH.test(head)) throw invalidPath();
    return { kind: 'undeclared', name: head };
  }
  const schemaUrn = split.kind === 'qualified' ? split.schema : undefined;
  if (schemaUrn !== undefined && split.rest === '') {
    if (filterText !== undefined) throw invalidPath();
    return { kind: 'schema', schema: schemaUrn };
  }

  const names = split.rest.split('.');
  if (filterText !== undefined) {
    // `attr[filter]` or `attr[filter].sub`: the sub-attribute comes after the bracket, not before it.
    if (names.length !== 1) throw invalidPath();
    if (tail !== '') names.push(tail);
  }
  // `constructor` and `prototype` fit ATTRNAME but are probes, not attributes someone forgot to declare.
  if (names.length > 2 || !names.every((name) => ATTRNAME.test(name) && !isForbiddenKey(name))) throw invalidPath();

  const resolved = resolveAttribute(resourceType, names[0], schemaUrn);
  if (!resolved) return { kind: 'undeclared', name: head };
  const attribute = resolved.definition;
  let subAttribute: AttributeDefinition | undefined;
  if (names.length === 2) {
    subAttribute = findAttribute(attribute.subAttributes, names[1]);
    if (!subAttribute) {
      // A simple attribute has no sub-attributes to name: `userName.x` is a wrong path, not an unknown attribute.
      if (attribute.type !== 'complex') throw invalidPath();
      return { kind: 'undeclared', name: `${attribute.name}.${names[1]}` };
    }
  }

  let valueFilter: FilterNode | undefined;
  if (filterText !== undefined) {
    if (!attribute.multiValued) throw invalidPath();
    valueFilter = parseValueFilter(filterText, attribute);
  }

  const path: PatchPath = {
    schema: resolved.schema,
    attribute: attribute.name,
    ...(subAttribute ? { subAttribute: subAttribute.name } : {}),
    ...(valueFilter ? { valueFilter } : {}),
  };
  return { kind: 'attribute', path, attribute, ...(subAttribute ? { subAttribute } : {}) };
}

/**
 * Splits `head[filter]tail` without interpreting the filter, skipping over JSON strings so a `]` inside a quoted
 * value does not end the bracket. `tail` is what follows `].` (the sub-attribute), '' when nothing does.
 */
function splitBrackets(text: string): { head: string; filterText?: string; tail: string } {
  const open = text.indexOf('[');
  if (open < 0) {
    if (text.includes(']')) throw invalidPath();
    return { head: text, tail: '' };
  }
  let index = open + 1;
  let close = -1;
  while (index < text.length) {
    const c = text.charAt(index);
    if (c === '"') {
      index++;
      while (index < text.length && text.charAt(index) !== '"') index += text.charAt(index) === '\\' ? 2 : 1;
      if (index >= text.length) throw invalidPath();
    } else if (c === '[') {
      throw invalidPath();
    } else if (c === ']') {
      close = index;
      break;
    }
    index++;
  }
  if (close < 0) throw invalidPath();
  const after = text.slice(close + 1);
  if (after !== '' && !after.startsWith('.')) throw invalidPath();
  return { head: text.slice(0, open), filterText: text.slice(open + 1, close), tail: after.slice(1) };
}

/** Parses the bracket content with the shared filter parser and checks every name against the sub-attributes. */
function parseValueFilter(text: string, attribute: AttributeDefinition): FilterNode {
  let parsed: FilterNode;
  try {
    parsed = parseFilter(text, { maxLength: MAX_PATCH_PATH_LENGTH, maxDepth: MAX_VALUE_FILTER_DEPTH });
  } catch {
    // A bad filter inside a path is a bad path; the filter error's offset means nothing here.
    throw ScimError.invalidPath('The value filter in the path is not valid');
  }
  return canonicalise(parsed, attribute);
}

/** Rewrites filter paths to canonical sub-attribute names; anything but a plain sub-attribute name is refused. */
function canonicalise(node: FilterNode, attribute: AttributeDefinition): FilterNode {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, left: canonicalise(node.left, attribute), right: canonicalise(node.right, attribute) };
    case 'not':
      return { kind: 'not', filter: canonicalise(node.filter, attribute) };
    case 'present':
      return { kind: 'present', path: canonicalPath(node.path, attribute) };
    case 'compare':
      return { kind: 'compare', path: canonicalPath(node.path, attribute), op: node.op, value: node.value };
    case 'valuePath':
      throw invalidPath();
  }
}

function canonicalPath(path: AttrPath, attribute: AttributeDefinition): AttrPath {
  if (path.schema !== undefined || path.subAttribute !== undefined || path.valueFilter !== undefined)
    throw invalidPath();
  // A multi-valued attribute without sub-attributes is filtered on its elements as `value`.
  if (!attribute.subAttributes) {
    if (path.attribute.toLowerCase() !== 'value') throw invalidPath();
    return { attribute: 'value' };
  }
  const sub = findAttribute(attribute.subAttributes, path.attribute);
  if (!sub) throw invalidPath();
  return { attribute: sub.name };
}
