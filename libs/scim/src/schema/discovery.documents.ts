import { listResponse, type ListResponse } from '../paging/list-response.builder';
import { RESOURCE_TYPES } from './resource-types';
import { requireResourceType, requireSchema, SCHEMAS } from './schema.registry';
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './schema.types';
import { SCIM_URN } from './scim.urns';

/*
 * Discovery documents (RFC 7643 §5–§7, RFC 7644 §4). Entra requires: no null anywhere, camelCase values, and a
 * ListResponse for /Schemas and /ResourceTypes . Optional members are omitted, never null.
 */

export interface ResourceMeta {
  resourceType: string;
  location: string;
}

export interface AttributeDocument {
  name: string;
  type: AttributeDefinition['type'];
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: AttributeDefinition['mutability'];
  returned: AttributeDefinition['returned'];
  uniqueness: AttributeDefinition['uniqueness'];
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDocument[];
}

export interface SchemaDocument {
  schemas: [typeof SCIM_URN.SCHEMA];
  id: string;
  name: string;
  description: string;
  attributes: AttributeDocument[];
  meta: ResourceMeta;
}

export interface ResourceTypeDocument {
  schemas: [typeof SCIM_URN.RESOURCE_TYPE];
  id: string;
  name: string;
  description: string;
  endpoint: string;
  schema: string;
  schemaExtensions: { schema: string; required: boolean }[];
  meta: ResourceMeta;
}

export interface AuthenticationScheme {
  type: string;
  name: string;
  description: string;
  primary: boolean;
}

export interface ServiceProviderConfigDocument {
  schemas: [typeof SCIM_URN.SERVICE_PROVIDER_CONFIG];
  documentationUri?: string;
  patch: { supported: boolean };
  bulk: { supported: boolean; maxOperations: number; maxPayloadSize: number };
  filter: { supported: boolean; maxResults: number };
  changePassword: { supported: boolean };
  sort: { supported: boolean };
  etag: { supported: boolean };
  authenticationSchemes: AuthenticationScheme[];
  meta: ResourceMeta;
}

export interface ServiceProviderConfigOptions {
  /** The SCIM root, e.g. `https://host/api/scim/v2`; used for `meta.location`. */
  baseUrl: string;
  /** The most resources a query returns (`filter.maxResults`); `count` is clamped to it. */
  maxResults: number;
  documentationUri?: string;
}

function joinUrl(baseUrl: string, ...segments: string[]): string {
  return [baseUrl.replace(/\/+$/, ''), ...segments].join('/');
}

function attributeDocument(attribute: AttributeDefinition): AttributeDocument {
  const document: AttributeDocument = {
    name: attribute.name,
    type: attribute.type,
    multiValued: attribute.multiValued,
    description: attribute.description,
    required: attribute.required,
    caseExact: attribute.caseExact,
    mutability: attribute.mutability,
    returned: attribute.returned,
    uniqueness: attribute.uniqueness,
  };
  if (attribute.canonicalValues) document.canonicalValues = [...attribute.canonicalValues];
  if (attribute.referenceTypes) document.referenceTypes = [...attribute.referenceTypes];
  if (attribute.subAttributes) document.subAttributes = attribute.subAttributes.map(attributeDocument);
  return document;
}

function renderSchema(schema: SchemaDefinition, baseUrl: string): SchemaDocument {
  return {
    schemas: [SCIM_URN.SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeDocument),
    meta: { resourceType: 'Schema', location: joinUrl(baseUrl, 'Schemas', schema.id) },
  };
}

function renderResourceType(resourceType: ResourceTypeDefinition, baseUrl: string): ResourceTypeDocument {
  return {
    schemas: [SCIM_URN.RESOURCE_TYPE],
    id: resourceType.id,
    name: resourceType.name,
    description: resourceType.description,
    endpoint: resourceType.endpoint,
    schema: resourceType.schema,
    schemaExtensions: resourceType.schemaExtensions.map(({ schema, required }) => ({ schema, required })),
    meta: { resourceType: 'ResourceType', location: joinUrl(baseUrl, 'ResourceTypes', resourceType.id) },
  };
}

/** GET /Schemas. */
export function schemasListResponse(baseUrl: string): ListResponse<SchemaDocument> {
  const documents = SCHEMAS.map((schema) => renderSchema(schema, baseUrl));
  return listResponse(documents, documents.length, 1);
}

/** GET /Schemas/{urn}; the URN is matched case-insensitively, unknown → 404. */
export function schemaDocument(urn: string, baseUrl: string): SchemaDocument {
  return renderSchema(requireSchema(urn), baseUrl);
}

/** GET /ResourceTypes. */
export function resourceTypesListResponse(baseUrl: string): ListResponse<ResourceTypeDocument> {
  const documents = RESOURCE_TYPES.map((resourceType) => renderResourceType(resourceType, baseUrl));
  return listResponse(documents, documents.length, 1);
}

/** GET /ResourceTypes/{name}; `User`/`Group`, case-insensitive, unknown → 404. */
export function resourceTypeDocument(name: string, baseUrl: string): ResourceTypeDocument {
  return renderResourceType(requireResourceType(name), baseUrl);
}

/** GET /ServiceProviderConfig: a single resource, not a ListResponse (RFC 7644 §4). */
export function serviceProviderConfig(options: ServiceProviderConfigOptions): ServiceProviderConfigDocument {
  const document: ServiceProviderConfigDocument = {
    schemas: [SCIM_URN.SERVICE_PROVIDER_CONFIG],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: options.maxResults },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'A user token of an administrator, sent as Authorization: Bearer',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: joinUrl(options.baseUrl, 'ServiceProviderConfig') },
  };
  if (options.documentationUri) document.documentationUri = options.documentationUri;
  return document;
}
