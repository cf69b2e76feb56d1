import { attribute, complexAttribute, deepFreeze, stringAttribute } from './attribute.factory';
import type { AttributeDefinition } from './schema.types';

/**
 * The common attributes of RFC 7643 §3.1. They belong to no schema and are therefore not listed in /Schemas documents
 * (RFC 7643 §3.1 "… are not defined in any particular schema"), but coercion, projection and PATCH treat them like
 * core attributes of every resource type.
 */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = deepFreeze([
  stringAttribute('id', 'Unique identifier of the resource, assigned by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  stringAttribute('externalId', 'Identifier of the resource as defined by the provisioning client.', {
    caseExact: true,
  }),
  complexAttribute(
    'meta',
    'Resource metadata maintained by the service provider.',
    [
      stringAttribute('resourceType', 'Name of the resource type of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
      attribute('created', 'dateTime', 'When the resource was added to the service provider.', {
        mutability: 'readOnly',
      }),
      attribute('lastModified', 'dateTime', 'When the resource was last updated.', { mutability: 'readOnly' }),
      attribute('location', 'reference', 'URI of the resource being returned.', {
        caseExact: true,
        mutability: 'readOnly',
        referenceTypes: ['uri'],
      }),
      stringAttribute('version', 'Version (entity tag) of the resource.', { caseExact: true, mutability: 'readOnly' }),
    ],
    { mutability: 'readOnly' },
  ),
]);
