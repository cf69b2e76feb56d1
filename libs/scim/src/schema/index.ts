export type {
  AttributeDefinition,
  AttributeType,
  Mutability,
  ResourceTypeDefinition,
  Returned,
  SchemaDefinition,
  Uniqueness,
} from './schema.types';
export { SCIM_URN } from './scim.urns';
export { COMMON_ATTRIBUTES } from './common.attributes';
export { USER_SCHEMA } from './user.schema';
export { ENTERPRISE_USER_SCHEMA } from './enterprise-user.schema';
export { GROUP_SCHEMA } from './group.schema';
export { GROUP_RESOURCE_TYPE, RESOURCE_TYPES, USER_RESOURCE_TYPE } from './resource-types';
export {
  findAttribute,
  findResourceType,
  findSchema,
  resolveAttribute,
  schemasOf,
  SCHEMAS,
  splitSchemaPrefix,
} from './schema.registry';
export type { ResolvedAttribute, ResourceTypeSchemas, SchemaPrefixSplit } from './schema.registry';
export {
  resourceTypeDocument,
  resourceTypesListResponse,
  schemaDocument,
  schemasListResponse,
  serviceProviderConfig,
} from './discovery.documents';
export type {
  AttributeDocument,
  AuthenticationScheme,
  ResourceMeta,
  ResourceTypeDocument,
  SchemaDocument,
  ServiceProviderConfigDocument,
  ServiceProviderConfigOptions,
} from './discovery.documents';
