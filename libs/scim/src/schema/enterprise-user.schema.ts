import { attribute, complexAttribute, defineSchema, stringAttribute } from './attribute.factory';
import { SCIM_URN } from './scim.urns';

/** The Enterprise User extension, RFC 7643 §4.3 and §8.7.1. */
export const ENTERPRISE_USER_SCHEMA = defineSchema({
  id: SCIM_URN.ENTERPRISE_USER,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    stringAttribute('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person by the organization.'),
    stringAttribute('costCenter', 'Identifies the name of a cost center.'),
    stringAttribute('organization', 'Identifies the name of an organization.'),
    stringAttribute('division', 'Identifies the name of a division.'),
    stringAttribute('department', 'Identifies the name of a department.'),
    complexAttribute('manager', "The user's manager.", [
      stringAttribute('value', 'The id of the SCIM resource representing the manager.'),
      attribute('$ref', 'reference', 'The URI of the SCIM resource representing the manager.', {
        referenceTypes: ['User'],
      }),
      stringAttribute('displayName', 'The displayName of the manager; maintained by the service provider.', {
        mutability: 'readOnly',
      }),
    ]),
  ],
});
