import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../schema/resource-types';
import { SCIM_URN } from '../schema/scim.urns';
import { parseAttributeList } from './attribute-list.parser';
import { projectResource } from './resource.projector';
import type { ScimObject } from './scim-value.types';

const ENTERPRISE = SCIM_URN.ENTERPRISE_USER;
const meta = {
  resourceType: 'User',
  created: '2024-01-01T00:00:00Z',
  lastModified: '2024-01-02T00:00:00Z',
  location: 'https://h/Users/u1',
};
const alice: ScimObject = {
  schemas: [SCIM_URN.USER, ENTERPRISE],
  id: 'u1',
  externalId: 'alice-ext',
  userName: 'alice@example.com',
  name: { givenName: 'Alice', familyName: 'Liddell' },
  active: true,
  password: 'never-returned',
  emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
  [ENTERPRISE]: { department: 'R&D', manager: { value: 'm1' } },
  meta,
};

describe('projectResource', () => {
  it('returns everything but returned:never attributes by default', () => {
    const { password, ...visible } = alice;
    expect(password).toBeDefined();
    expect(projectResource(alice, USER_RESOURCE_TYPE)).toStrictEqual(visible);
  });

  it('attributes=userName,emails gives those plus id and schemas', () => {
    expect(projectResource(alice, USER_RESOURCE_TYPE, { attributes: ['userName', 'emails'] })).toStrictEqual({
      schemas: alice.schemas,
      id: 'u1',
      userName: 'alice@example.com',
      emails: alice.emails,
    });
  });

  it('attributes=id gives id and schemas only', () => {
    expect(projectResource(alice, USER_RESOURCE_TYPE, { attributes: ['id'] })).toStrictEqual({
      schemas: alice.schemas,
      id: 'u1',
    });
    expect(projectResource(alice, USER_RESOURCE_TYPE, { attributes: ['ID'] })).toStrictEqual({
      schemas: alice.schemas,
      id: 'u1',
    });
  });

  it('selects sub-attributes, case-insensitively and URN-qualified', () => {
    const projected = projectResource(alice, USER_RESOURCE_TYPE, {
      attributes: ['NAME.givenname', 'emails.value', `${SCIM_URN.USER}:meta.lastModified`, `${ENTERPRISE}:manager`],
    });
    expect(projected).toStrictEqual({
      schemas: alice.schemas,
      id: 'u1',
      name: { givenName: 'Alice' },
      emails: [{ value: 'alice@example.com' }],
      [ENTERPRISE]: { manager: { value: 'm1' } },
      meta: { lastModified: '2024-01-02T00:00:00Z' },
    });
  });

  it('selects a whole extension by its URN', () => {
    expect(projectResource(alice, USER_RESOURCE_TYPE, { attributes: [ENTERPRISE] })).toStrictEqual({
      schemas: alice.schemas,
      id: 'u1',
      [ENTERPRISE]: alice[ENTERPRISE],
    });
  });

  it('never returns the password, even when asked for', () => {
    expect(projectResource(alice, USER_RESOURCE_TYPE, { attributes: ['password'] })).toStrictEqual({
      schemas: alice.schemas,
      id: 'u1',
    });
  });

  it('excludedAttributes removes attributes and sub-attributes but never id or schemas', () => {
    const projected = projectResource(alice, USER_RESOURCE_TYPE, {
      excludedAttributes: ['id', 'schemas', 'emails', 'name.familyName', 'manager', 'meta'],
    });
    expect(projected).toStrictEqual({
      schemas: alice.schemas,
      id: 'u1',
      externalId: 'alice-ext',
      userName: 'alice@example.com',
      name: { givenName: 'Alice' },
      active: true,
      [ENTERPRISE]: { department: 'R&D' },
    });
  });

  it('drops an extension object that projection leaves empty', () => {
    const projected = projectResource(alice, USER_RESOURCE_TYPE, { excludedAttributes: [`${ENTERPRISE}`] });
    expect(projected[ENTERPRISE]).toBeUndefined();
  });

  it('excludedAttributes=members on a Group', () => {
    const group: ScimObject = {
      schemas: [SCIM_URN.GROUP],
      id: 'g1',
      externalId: 'obj-1',
      displayName: 'Engineering',
      members: [{ value: 'u1', display: 'Alice' }],
      meta: { resourceType: 'Group' },
    };
    expect(
      projectResource(group, GROUP_RESOURCE_TYPE, { excludedAttributes: parseAttributeList('members') }),
    ).toStrictEqual({
      schemas: [SCIM_URN.GROUP],
      id: 'g1',
      externalId: 'obj-1',
      displayName: 'Engineering',
      meta: { resourceType: 'Group' },
    });
  });

  it('keeps an empty members list (a new group answers "members":[])', () => {
    const group: ScimObject = { schemas: [SCIM_URN.GROUP], id: 'g1', displayName: 'New', members: [] };
    expect(projectResource(group, GROUP_RESOURCE_TYPE).members).toEqual([]);
  });

  it('ignores attribute paths that name nothing', () => {
    expect(
      projectResource(alice, USER_RESOURCE_TYPE, { attributes: ['nope', 'name.givenName.x', 'urn:x:y'] }),
    ).toStrictEqual({
      schemas: alice.schemas,
      id: 'u1',
    });
  });
});

describe('parseAttributeList', () => {
  it('splits on commas and trims', () => {
    expect(parseAttributeList(' userName , emails,,name.givenName ')).toEqual(['userName', 'emails', 'name.givenName']);
    expect(parseAttributeList(undefined)).toEqual([]);
    expect(parseAttributeList('')).toEqual([]);
  });
});
