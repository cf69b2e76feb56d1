import { SCIM_ERROR_SCHEMA } from '../errors/scim-error';

/** Every schema and message URN the module speaks (RFC 7643 §3, §8.7; RFC 7644 §3.4.2, §3.5.2, §3.12). */
export const SCIM_URN = {
  USER: 'urn:ietf:params:scim:schemas:core:2.0:User',
  GROUP: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  ENTERPRISE_USER: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  SCHEMA: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
  RESOURCE_TYPE: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  SERVICE_PROVIDER_CONFIG: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  LIST_RESPONSE: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  PATCH_OP: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  SEARCH_REQUEST: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  ERROR: SCIM_ERROR_SCHEMA,
} as const;
