import { COMMON_ATTRIBUTES } from './common.attributes';
import { ENTERPRISE_USER_SCHEMA } from './enterprise-user.schema';
import { GROUP_SCHEMA } from './group.schema';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from './resource-types';
import { findAttribute, resolveAttribute, splitSchemaPrefix } from './schema.registry';
import { SCIM_URN } from './scim.urns';
import { USER_SCHEMA } from './user.schema';

describe('schema constants', () => {
  it('define the whole core User schema of RFC 7643 §4.1', () => {
    expect(USER_SCHEMA.attributes.map((attribute) => attribute.name)).toEqual([
      'userName',
      'name',
      'displayName',
      'nickName',
      'profileUrl',
      'title',
      'userType',
      'preferredLanguage',
      'locale',
      'timezone',
      'active',
      'password',
      'emails',
      'phoneNumbers',
      'ims',
      'photos',
      'addresses',
      'groups',
      'entitlements',
      'roles',
      'x509Certificates',
    ]);
    expect(findAttribute(USER_SCHEMA.attributes, 'name')?.subAttributes?.map((sub) => sub.name)).toEqual([
      'formatted',
      'familyName',
      'givenName',
      'middleName',
      'honorificPrefix',
      'honorificSuffix',
    ]);
    expect(findAttribute(USER_SCHEMA.attributes, 'addresses')?.subAttributes?.map((sub) => sub.name)).toEqual([
      'formatted',
      'streetAddress',
      'locality',
      'region',
      'postalCode',
      'country',
      'type',
      'primary',
    ]);
  });

  it('give the characteristics the protocol relies on', () => {
    expect(findAttribute(USER_SCHEMA.attributes, 'userName')).toMatchObject({
      required: true,
      caseExact: false,
      uniqueness: 'server',
    });
    expect(findAttribute(USER_SCHEMA.attributes, 'password')).toMatchObject({
      mutability: 'writeOnly',
      returned: 'never',
    });
    expect(findAttribute(USER_SCHEMA.attributes, 'groups')).toMatchObject({
      mutability: 'readOnly',
      multiValued: true,
    });
    expect(findAttribute(USER_SCHEMA.attributes, 'x509Certificates')?.subAttributes?.[0].type).toBe('binary');
    expect(findAttribute(COMMON_ATTRIBUTES, 'id')).toMatchObject({
      mutability: 'readOnly',
      returned: 'always',
      caseExact: true,
    });
    expect(findAttribute(COMMON_ATTRIBUTES, 'externalId')).toMatchObject({ mutability: 'readWrite', caseExact: true });
    expect(findAttribute(COMMON_ATTRIBUTES, 'meta')?.mutability).toBe('readOnly');
    expect(ENTERPRISE_USER_SCHEMA.attributes.map((attribute) => attribute.name)).toEqual([
      'employeeNumber',
      'costCenter',
      'organization',
      'division',
      'department',
      'manager',
    ]);
    expect(findAttribute(GROUP_SCHEMA.attributes, 'displayName')).toMatchObject({
      required: true,
      uniqueness: 'server',
    });
    const members = findAttribute(GROUP_SCHEMA.attributes, 'members');
    expect(findAttribute(members?.subAttributes, 'value')?.mutability).toBe('immutable');
    expect(findAttribute(members?.subAttributes, 'display')?.mutability).toBe('readOnly');
  });

  it('are frozen: no caller can edit the source of truth', () => {
    expect(Object.isFrozen(USER_SCHEMA)).toBe(true);
    expect(Object.isFrozen(USER_SCHEMA.attributes[0])).toBe(true);
    expect(Object.isFrozen(findAttribute(USER_SCHEMA.attributes, 'emails')?.subAttributes)).toBe(true);
  });
});

describe('resolveAttribute', () => {
  it('is case-insensitive and returns canonical names (RFC 7643 §2.1)', () => {
    expect(resolveAttribute(USER_RESOURCE_TYPE, 'USERNAME')).toMatchObject({
      schema: SCIM_URN.USER,
      definition: { name: 'userName' },
    });
    expect(resolveAttribute(USER_RESOURCE_TYPE, 'externalid')?.definition.name).toBe('externalId');
  });

  it('resolves the unqualified `manager` to the Enterprise extension', () => {
    expect(resolveAttribute(USER_RESOURCE_TYPE, 'manager')?.schema).toBe(SCIM_URN.ENTERPRISE_USER);
  });

  it('searches only the named schema when one is given', () => {
    expect(resolveAttribute(USER_RESOURCE_TYPE, 'userName', SCIM_URN.ENTERPRISE_USER)).toBeUndefined();
    expect(resolveAttribute(GROUP_RESOURCE_TYPE, 'manager')).toBeUndefined();
  });

  it('never answers for prototype names', () => {
    for (const name of ['__proto__', 'constructor', 'prototype', 'toString']) {
      expect(resolveAttribute(USER_RESOURCE_TYPE, name)).toBeUndefined();
    }
  });
});

describe('splitSchemaPrefix', () => {
  it('splits a known URN off, case-insensitively', () => {
    expect(
      splitSchemaPrefix(USER_RESOURCE_TYPE, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager'),
    ).toEqual({
      kind: 'qualified',
      schema: SCIM_URN.ENTERPRISE_USER,
      rest: 'manager',
    });
    expect(splitSchemaPrefix(USER_RESOURCE_TYPE, 'URN:ietf:params:scim:schemas:core:2.0:user:name.givenName')).toEqual({
      kind: 'qualified',
      schema: SCIM_URN.USER,
      rest: 'name.givenName',
    });
    expect(splitSchemaPrefix(USER_RESOURCE_TYPE, SCIM_URN.ENTERPRISE_USER)).toEqual({
      kind: 'qualified',
      schema: SCIM_URN.ENTERPRISE_USER,
      rest: '',
    });
  });

  it('reports URNs that are not schemas of the resource type', () => {
    expect(splitSchemaPrefix(USER_RESOURCE_TYPE, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User')).toEqual({
      kind: 'unknownUrn',
    });
    expect(splitSchemaPrefix(GROUP_RESOURCE_TYPE, `${SCIM_URN.USER}:userName`)).toEqual({ kind: 'unknownUrn' });
    expect(splitSchemaPrefix(USER_RESOURCE_TYPE, 'userName')).toEqual({ kind: 'plain', rest: 'userName' });
  });
});
