import { attribute, complexAttribute, defineSchema, stringAttribute } from './attribute.factory';
import { SCIM_URN } from './scim.urns';

/**
 * The core Group schema, RFC 7643 §4.2 and §8.7.1. Departs from the RFC where Entra needs it: displayName is required
 * and unique per server (Entra: "displayName must be unique"); members carry a readOnly `display`.
 */
export const GROUP_SCHEMA = defineSchema({
  id: SCIM_URN.GROUP,
  name: 'Group',
  description: 'Group',
  attributes: [
    stringAttribute('displayName', 'A human-readable name for the Group.', { required: true, uniqueness: 'server' }),
    complexAttribute(
      'members',
      'A list of members of the Group.',
      [
        stringAttribute('value', 'Identifier of the member of this Group.', { mutability: 'immutable' }),
        attribute('$ref', 'reference', 'The URI of the member resource.', {
          mutability: 'immutable',
          referenceTypes: ['User', 'Group'],
        }),
        stringAttribute('display', 'A human-readable name of the member; maintained by the service provider.', {
          mutability: 'readOnly',
        }),
        stringAttribute('type', 'The type of the member.', {
          mutability: 'immutable',
          canonicalValues: ['User', 'Group'],
        }),
      ],
      { multiValued: true },
    ),
  ],
});
