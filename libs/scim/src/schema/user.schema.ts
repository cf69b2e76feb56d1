import {
  attribute,
  complexAttribute,
  defineSchema,
  stringAttribute,
  typedMultiValuedAttribute,
} from './attribute.factory';
import { SCIM_URN } from './scim.urns';

const readOnly = { mutability: 'readOnly' } as const;

/** The core User schema, RFC 7643 §4.1 and §8.7.1, complete. */
export const USER_SCHEMA = defineSchema({
  id: SCIM_URN.USER,
  name: 'User',
  description: 'User Account',
  attributes: [
    stringAttribute('userName', 'Unique identifier for the User, used to sign in; unique per service provider.', {
      required: true,
      uniqueness: 'server',
    }),
    complexAttribute('name', "The components of the user's real name.", [
      stringAttribute('formatted', 'The full name, formatted for display.'),
      stringAttribute('familyName', 'The family name (last name in most Western languages).'),
      stringAttribute('givenName', 'The given name (first name in most Western languages).'),
      stringAttribute('middleName', 'The middle name(s).'),
      stringAttribute('honorificPrefix', 'The honorific prefix(es), e.g. "Ms.".'),
      stringAttribute('honorificSuffix', 'The honorific suffix(es), e.g. "III".'),
    ]),
    stringAttribute('displayName', 'The name of the User, suitable for display to end-users.'),
    stringAttribute('nickName', 'The casual way to address the user.'),
    attribute('profileUrl', 'reference', "A URI pointing to the user's online profile.", {
      referenceTypes: ['external'],
    }),
    stringAttribute('title', "The user's title, such as 'Vice President'."),
    stringAttribute('userType', "The relationship between the organization and the user, e.g. 'Employee'."),
    stringAttribute('preferredLanguage', "The user's preferred written or spoken language (RFC 7231 language tag)."),
    stringAttribute('locale', "The user's default location for localizing items such as currency and dates."),
    stringAttribute('timezone', "The user's time zone in IANA Time Zone database format."),
    attribute('active', 'boolean', "The user's administrative status."),
    stringAttribute('password', "The user's cleartext password; never returned.", {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    typedMultiValuedAttribute(
      'emails',
      'Email addresses for the user.',
      { type: 'string', description: 'Email address, canonicalized per RFC 5321.' },
      ['work', 'home', 'other'],
    ),
    typedMultiValuedAttribute(
      'phoneNumbers',
      'Phone numbers for the user.',
      { type: 'string', description: 'Phone number, stored as sent.' },
      ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
    ),
    typedMultiValuedAttribute(
      'ims',
      'Instant messaging addresses for the user.',
      { type: 'string', description: 'Instant messaging address.' },
      ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'],
    ),
    typedMultiValuedAttribute(
      'photos',
      'URLs of photos of the user.',
      { type: 'reference', description: 'URL of a photo of the user.', referenceTypes: ['external'] },
      ['photo', 'thumbnail'],
    ),
    complexAttribute(
      'addresses',
      'Physical mailing addresses for the user.',
      [
        stringAttribute('formatted', 'The full mailing address, formatted for display.'),
        stringAttribute('streetAddress', 'The full street address component.'),
        stringAttribute('locality', 'The city or locality component.'),
        stringAttribute('region', 'The state or region component.'),
        stringAttribute('postalCode', 'The zip code or postal code component.'),
        stringAttribute('country', 'The country name component (ISO 3166-1 alpha-2).'),
        stringAttribute('type', 'A label indicating the function of the address.', {
          canonicalValues: ['work', 'home', 'other'],
        }),
        attribute('primary', 'boolean', 'Whether this is the preferred address; at most one address may be primary.'),
      ],
      { multiValued: true },
    ),
    complexAttribute(
      'groups',
      'Groups the user belongs to, directly or indirectly; maintained by the service provider.',
      [
        stringAttribute('value', 'The id of the Group.', readOnly),
        attribute('$ref', 'reference', 'The URI of the Group.', { ...readOnly, referenceTypes: ['User', 'Group'] }),
        stringAttribute('display', 'A human-readable name of the Group.', readOnly),
        stringAttribute('type', "How the membership was derived: 'direct' or 'indirect'.", {
          ...readOnly,
          canonicalValues: ['direct', 'indirect'],
        }),
      ],
      { multiValued: true, ...readOnly },
    ),
    typedMultiValuedAttribute('entitlements', 'Entitlements of the user.', {
      type: 'string',
      description: 'The value of an entitlement.',
    }),
    typedMultiValuedAttribute('roles', 'Roles of the user.', { type: 'string', description: 'The value of a role.' }),
    typedMultiValuedAttribute('x509Certificates', 'X.509 certificates issued to the user.', {
      type: 'binary',
      description: 'The value of an X.509 certificate (DER, base64).',
    }),
  ],
});
