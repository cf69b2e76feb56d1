import { findAttribute, resolveAttribute, schemasOf, splitSchemaPrefix } from '../schema/schema.registry';
import type { AttributeDefinition, ResourceTypeDefinition } from '../schema/schema.types';
import { isForbiddenKey, isPlainObject } from './safe-object.util';
import type { ScimObject, ScimValue } from './scim-value.types';

export interface ProjectionOptions {
  /** RFC 7644 §3.4.2.5 `attributes`: only these (plus `returned: always`) come back. */
  attributes?: readonly string[];
  /** RFC 7644 §3.4.2.5 `excludedAttributes`: these are removed, except `returned: always`. */
  excludedAttributes?: readonly string[];
}

/** Per schema URN (lower case): attribute name (lower case) → whole attribute, or a set of sub-attribute names. */
type Selection = Map<string, Map<string, 'whole' | Set<string>>>;

interface Selections {
  included?: Selection;
  /** Extensions named by URN alone in `attributes` are included whole. */
  includedSchemas: Set<string>;
  excluded: Selection;
  excludedSchemas: Set<string>;
}

/**
 * Applies `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5) and `returned` (RFC 7643 §7) to a rendered resource.
 * Paths are case-insensitive, may be URN-qualified and may name a sub-attribute (`name.givenName`, `emails.value`).
 * Unknown paths select nothing. `schemas` and `id` always come back; `password` (returned never) never does.
 */
export function projectResource(
  resource: ScimObject,
  resourceType: ResourceTypeDefinition,
  options: ProjectionOptions = {},
): ScimObject {
  const included: Selection | undefined = options.attributes && options.attributes.length > 0 ? new Map() : undefined;
  const selections: Selections = {
    included,
    includedSchemas: new Set(),
    excluded: new Map(),
    excludedSchemas: new Set(),
  };
  if (included)
    for (const path of options.attributes ?? []) select(resourceType, path, included, selections.includedSchemas);
  for (const path of options.excludedAttributes ?? [])
    select(resourceType, path, selections.excluded, selections.excludedSchemas);

  const { core, extensions } = schemasOf(resourceType);
  const result: ScimObject = {};
  for (const [key, value] of Object.entries(resource)) {
    if (isForbiddenKey(key)) continue;
    if (key.toLowerCase() === 'schemas') {
      result[key] = value;
      continue;
    }
    const extension = extensions.find((candidate) => candidate.id.toLowerCase() === key.toLowerCase());
    if (extension) {
      if (!isPlainObject(value)) continue;
      const projected = projectAttributes(value as ScimObject, extension.id, selections, (name) =>
        findAttribute(extension.attributes, name),
      );
      if (Object.keys(projected).length > 0) result[key] = projected;
      continue;
    }
    const projected = projectAttributes(
      { [key]: value },
      core.id,
      selections,
      (name) => resolveAttribute(resourceType, name, core.id)?.definition,
    );
    if (key in projected) result[key] = projected[key];
  }
  return result;
}

function projectAttributes(
  values: ScimObject,
  schemaUrn: string,
  selections: Selections,
  lookup: (name: string) => AttributeDefinition | undefined,
): ScimObject {
  const schemaKey = schemaUrn.toLowerCase();
  const wholeSchemaIncluded = selections.includedSchemas.has(schemaKey);
  const wholeSchemaExcluded = selections.excludedSchemas.has(schemaKey);
  const result: ScimObject = {};
  for (const [key, value] of Object.entries(values)) {
    if (isForbiddenKey(key)) continue;
    const definition = lookup(key);
    if (!definition) {
      // Not in the schema: treated like a `returned: default` attribute without sub-attributes.
      if (!selections.included && !wholeSchemaExcluded) result[key] = value;
      continue;
    }
    if (definition.returned === 'never') continue;
    if (definition.returned === 'always') {
      result[key] = value;
      continue;
    }
    const nameKey = definition.name.toLowerCase();
    const included = wholeSchemaIncluded ? 'whole' : selections.included?.get(schemaKey)?.get(nameKey);
    const excluded = wholeSchemaExcluded ? 'whole' : selections.excluded.get(schemaKey)?.get(nameKey);
    if (excluded === 'whole') continue;
    if (selections.included) {
      if (!included) continue;
    } else if (definition.returned === 'request') {
      continue;
    }
    const projected = projectSubAttributes(definition, value, included, excluded);
    if (projected !== undefined) result[key] = projected;
  }
  return result;
}

function projectSubAttributes(
  definition: AttributeDefinition,
  value: ScimValue,
  included: 'whole' | Set<string> | undefined,
  excluded: Set<string> | undefined,
): ScimValue | undefined {
  if (definition.type !== 'complex') return value;
  const projectOne = (element: ScimValue): ScimValue | undefined => {
    if (!isPlainObject(element)) return element;
    const out: ScimObject = {};
    for (const [key, child] of Object.entries(element as ScimObject)) {
      if (isForbiddenKey(key)) continue;
      const sub = findAttribute(definition.subAttributes, key);
      if (sub?.returned === 'never') continue;
      const name = (sub?.name ?? key).toLowerCase();
      const always = sub?.returned === 'always';
      if (!always && excluded?.has(name)) continue;
      if (!always && included instanceof Set && !included.has(name)) continue;
      if (!always && included === undefined && sub?.returned === 'request') continue;
      if (!always && included === 'whole' && sub?.returned === 'request') continue;
      out[key] = child;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  };
  if (Array.isArray(value)) {
    const elements = value.map(projectOne).filter((element): element is ScimValue => element !== undefined);
    return elements.length > 0 || value.length === 0 ? elements : undefined;
  }
  return projectOne(value);
}

/** Records one attribute path in a selection; paths that name nothing in the schema are ignored. */
function select(
  resourceType: ResourceTypeDefinition,
  path: string,
  selection: Selection,
  wholeSchemas: Set<string>,
): void {
  const split = splitSchemaPrefix(resourceType, path.trim());
  if (split.kind === 'unknownUrn') return;
  if (split.kind === 'qualified' && split.rest === '') {
    wholeSchemas.add(split.schema.toLowerCase());
    return;
  }
  const segments = split.rest.split('.');
  if (segments.length > 2) return;
  const resolved = resolveAttribute(resourceType, segments[0], split.kind === 'qualified' ? split.schema : undefined);
  if (!resolved) return;
  const schemaKey = resolved.schema.toLowerCase();
  const attributes = selection.get(schemaKey) ?? new Map<string, 'whole' | Set<string>>();
  selection.set(schemaKey, attributes);
  const nameKey = resolved.definition.name.toLowerCase();
  if (segments.length === 1) {
    attributes.set(nameKey, 'whole');
    return;
  }
  const sub = findAttribute(resolved.definition.subAttributes, segments[1]);
  if (!sub) return;
  const current = attributes.get(nameKey);
  if (current === 'whole') return;
  const subs = current ?? new Set<string>();
  subs.add(sub.name.toLowerCase());
  attributes.set(nameKey, subs);
}
