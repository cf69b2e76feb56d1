import { ScimError } from '../errors/scim-error';
import { COMMON_ATTRIBUTES } from './common.attributes';
import { ENTERPRISE_USER_SCHEMA } from './enterprise-user.schema';
import { GROUP_SCHEMA } from './group.schema';
import { RESOURCE_TYPES } from './resource-types';
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './schema.types';
import { USER_SCHEMA } from './user.schema';

/** Every schema served from /Schemas, in the order they are listed. */
export const SCHEMAS: readonly SchemaDefinition[] = [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA];

const schemasByUrn = new Map(SCHEMAS.map((schema) => [schema.id.toLowerCase(), schema]));

/** Schema URNs are compared case-insensitively (RFC 7643 §2.1 applies to attribute names; Entra varies URN case). */
export function findSchema(urn: string): SchemaDefinition | undefined {
  return schemasByUrn.get(urn.toLowerCase());
}

export function findResourceType(name: string): ResourceTypeDefinition | undefined {
  const wanted = name.toLowerCase();
  return RESOURCE_TYPES.find((type) => type.id.toLowerCase() === wanted);
}

/**
 * Attribute lists by lower-cased name, indexed on first use. Schemas are constants: rendering, projecting and coercing
 * a resource look up every attribute it holds, and searching the list, lower-casing each name, did this per request.
 */
const attributeIndexes = new WeakMap<readonly AttributeDefinition[], Map<string, AttributeDefinition>>();

/** Case-insensitive attribute lookup (RFC 7643 §2.1: attribute names are case-insensitive). */
export function findAttribute(
  attributes: readonly AttributeDefinition[] | undefined,
  name: string,
): AttributeDefinition | undefined {
  if (!attributes) return undefined;
  let byName = attributeIndexes.get(attributes);
  if (!byName) {
    byName = new Map();
    // The first of a name wins, as a search of the list would find it.
    for (const attribute of attributes) {
      const key = attribute.name.toLowerCase();
      if (!byName.has(key)) byName.set(key, attribute);
    }
    attributeIndexes.set(attributes, byName);
  }
  return byName.get(name.toLowerCase());
}

export interface ResourceTypeSchemas {
  readonly core: SchemaDefinition;
  readonly extensions: readonly SchemaDefinition[];
}

/** Each resource type's schemas and the attribute lists `resolveAttribute` searches, found once. */
const resourceTypeSchemas = new WeakMap<ResourceTypeDefinition, KnownSchemas>();

interface KnownSchemas {
  readonly schemas: ResourceTypeSchemas;
  readonly searched: readonly SearchedSchema[];
}

interface SearchedSchema {
  readonly schema: SchemaDefinition;
  readonly key: string;
  readonly attributes: readonly AttributeDefinition[];
}

export function schemasOf(resourceType: ResourceTypeDefinition): ResourceTypeSchemas {
  return knownSchemasOf(resourceType).schemas;
}

function knownSchemasOf(resourceType: ResourceTypeDefinition): KnownSchemas {
  const known = resourceTypeSchemas.get(resourceType);
  if (known) return known;
  const found = findSchemasOf(resourceType);
  const searched = [found.core, ...found.extensions].map((schema) => ({
    schema,
    key: schema.id.toLowerCase(),
    attributes: schema === found.core ? [...COMMON_ATTRIBUTES, ...found.core.attributes] : schema.attributes,
  }));
  const entry = { schemas: found, searched };
  resourceTypeSchemas.set(resourceType, entry);
  return entry;
}

function findSchemasOf(resourceType: ResourceTypeDefinition): ResourceTypeSchemas {
  const core = findSchema(resourceType.schema);
  if (!core) throw new Error(`Resource type ${resourceType.id} names an unknown schema`);
  const extensions = resourceType.schemaExtensions.map(({ schema }) => {
    const extension = findSchema(schema);
    if (!extension) throw new Error(`Resource type ${resourceType.id} names an unknown extension`);
    return extension;
  });
  return { core, extensions };
}

/** An attribute located in the schema that owns it. Common attributes (id, externalId, meta) live in the core schema. */
export interface ResolvedAttribute {
  /** URN of the owning schema: the core schema or one of the resource type's extensions. */
  readonly schema: string;
  readonly definition: AttributeDefinition;
}

/**
 * Finds a top-level attribute by name. With `schemaUrn`, only that schema is searched. Without it, the core schema and the
 * common attributes come first, then the extensions: Entra writes the Enterprise `manager` unqualified.
 */
export function resolveAttribute(
  resourceType: ResourceTypeDefinition,
  name: string,
  schemaUrn?: string,
): ResolvedAttribute | undefined {
  const wanted = schemaUrn?.toLowerCase();
  for (const { schema, key, attributes } of knownSchemasOf(resourceType).searched) {
    if (wanted !== undefined && key !== wanted) continue;
    const definition = findAttribute(attributes, name);
    if (definition) return { schema: schema.id, definition };
  }
  return undefined;
}

/** The outcome of splitting a `urn:…:Attr` prefix off an attribute path (RFC 7644 §3.10). */
export type SchemaPrefixSplit =
  | { readonly kind: 'plain'; readonly rest: string }
  | { readonly kind: 'qualified'; readonly schema: string; readonly rest: string }
  | { readonly kind: 'unknownUrn' };

/**
 * Splits a schema URN prefix off `text` if it names a schema of this resource type (longest match, case-insensitive).
 * `rest` is '' when `text` is exactly the URN.
 */
export function splitSchemaPrefix(resourceType: ResourceTypeDefinition, text: string): SchemaPrefixSplit {
  if (!text.toLowerCase().startsWith('urn:')) return { kind: 'plain', rest: text };
  const { core, extensions } = schemasOf(resourceType);
  const lowered = text.toLowerCase();
  let best: SchemaDefinition | undefined;
  for (const schema of [core, ...extensions]) {
    const urn = schema.id.toLowerCase();
    const matches = lowered === urn || lowered.startsWith(`${urn}:`);
    if (matches && (!best || schema.id.length > best.id.length)) best = schema;
  }
  if (!best) return { kind: 'unknownUrn' };
  return { kind: 'qualified', schema: best.id, rest: text.slice(best.id.length + 1) };
}

/** Looks a schema up for /Schemas/{id}; unknown → 404 (RFC 7644 §4). */
export function requireSchema(urn: string): SchemaDefinition {
  const schema = findSchema(urn);
  if (!schema) throw ScimError.notFound('Schema not found');
  return schema;
}

export function requireResourceType(name: string): ResourceTypeDefinition {
  const resourceType = findResourceType(name);
  if (!resourceType) throw ScimError.notFound('Resource type not found');
  return resourceType;
}
