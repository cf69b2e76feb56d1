import { deepFreeze } from './attribute.factory';
import type { ResourceTypeDefinition } from './schema.types';
import { SCIM_URN } from './scim.urns';

/** RFC 7643 §6: Users carry the optional Enterprise extension; Groups have none. */
export const USER_RESOURCE_TYPE: ResourceTypeDefinition = deepFreeze({
  id: 'User',
  name: 'User',
  description: 'User Account',
  endpoint: '/Users',
  schema: SCIM_URN.USER,
  schemaExtensions: [{ schema: SCIM_URN.ENTERPRISE_USER, required: false }],
});

export const GROUP_RESOURCE_TYPE: ResourceTypeDefinition = deepFreeze({
  id: 'Group',
  name: 'Group',
  description: 'Group',
  endpoint: '/Groups',
  schema: SCIM_URN.GROUP,
  schemaExtensions: [],
});

export const RESOURCE_TYPES: readonly ResourceTypeDefinition[] = deepFreeze([USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE]);
