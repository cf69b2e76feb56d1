import { ScimError } from '../errors/scim-error';
import type { ScimResourceData } from '../resource/scim-value.types';
import { deepFreeze } from '../schema/attribute.factory';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../schema/resource-types';
import type { ResourceTypeDefinition } from '../schema/schema.types';
import { SCIM_URN } from '../schema/scim.urns';
import { applyPatch, type ApplyPatchOptions } from './patch.engine';
import { parsePatchRequest } from './patch-request.parser';

const ENTERPRISE = SCIM_URN.ENTERPRISE_USER;

/** Runs a PATCH body the way the service will: parse, then apply. The input is frozen to prove it is not mutated. */
function patch(
  resource: ScimResourceData,
  operations: unknown[],
  resourceType: ResourceTypeDefinition = USER_RESOURCE_TYPE,
  options?: ApplyPatchOptions,
) {
  const ops = parsePatchRequest({ schemas: [SCIM_URN.PATCH_OP], Operations: operations }, resourceType);
  return applyPatch(deepFreeze(structuredClone(resource)), ops, resourceType, options);
}

function errorOf(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

const user = (
  core: ScimResourceData['core'] = {},
  extensions: ScimResourceData['extensions'] = {},
): ScimResourceData => ({
  core: { userName: 'alice@contoso.com', ...core },
  extensions,
});

describe('applyPatch: Entra user updates', () => {
  it('replace the work email and the family name', () => {
    const before = user({
      name: { givenName: 'Alice', familyName: 'Old' },
      emails: [
        { type: 'work', value: 'old@contoso.com', primary: true },
        { type: 'home', value: 'a@home.net' },
      ],
    });
    const result = patch(before, [
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
    ]);
    expect(result).toStrictEqual({
      changed: true,
      resource: user({
        name: { givenName: 'Alice', familyName: 'updatedFamilyName' },
        emails: [
          { type: 'work', value: 'updatedEmail@microsoft.com', primary: true },
          { type: 'home', value: 'a@home.net' },
        ],
      }),
    });
  });

  it('replace userName', () => {
    expect(patch(user(), [{ op: 'Replace', path: 'userName', value: '5b50642d@testuser.com' }]).resource).toStrictEqual(
      {
        core: { userName: '5b50642d@testuser.com' },
        extensions: {},
      },
    );
  });

  it('disable and re-enable, with booleans or Entra strings', () => {
    expect(patch(user({ active: true }), [{ op: 'Replace', path: 'active', value: false }]).resource.core.active).toBe(
      false,
    );
    expect(
      patch(user({ active: true }), [{ op: 'replace', path: 'active', value: 'False' }]).resource.core.active,
    ).toBe(false);
    expect(patch(user({ active: false }), [{ op: 'Replace', path: 'active', value: true }]).resource.core.active).toBe(
      true,
    );
    expect(
      patch(user({ active: false }), [{ op: 'Replace', path: 'active', value: 'True' }]).resource.core.active,
    ).toBe(true);
    expect(patch(user({ active: true }), [{ op: 'Replace', value: { active: 'False' } }]).resource.core.active).toBe(
      false,
    );
  });

  it('add manager in the reference-array form', () => {
    const result = patch(user(), [
      {
        op: 'Add',
        path: 'manager',
        value: [
          {
            $ref: 'http://h/scim/Users/00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
            value: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
          },
        ],
      },
    ]);
    expect(result.resource).toStrictEqual(
      user(
        {},
        {
          [ENTERPRISE]: {
            manager: {
              $ref: 'http://h/scim/Users/00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
              value: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
            },
          },
        },
      ),
    );
  });

  it('enterprise paths; a new manager id does not keep the old $ref', () => {
    const before = user({}, { [ENTERPRISE]: { department: 'Old', manager: { value: 'm0', $ref: '../Users/m0' } } });
    const result = patch(before, [
      { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: '701984' },
      { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Tour Operations' },
      { op: 'Replace', path: `${ENTERPRISE}:manager`, value: 'm1' },
    ]);
    expect(result.resource).toStrictEqual(
      user({}, { [ENTERPRISE]: { department: 'Tour Operations', manager: { value: 'm1' }, employeeNumber: '701984' } }),
    );
  });

  it('remove the manager clears it, and an emptied extension disappears', () => {
    const before = user({}, { [ENTERPRISE]: { manager: { value: 'm1' } } });
    expect(patch(before, [{ op: 'Remove', path: `${ENTERPRISE}:manager` }]).resource).toStrictEqual(user());
    // Entra sometimes names the old manager in the value; a single-valued remove ignores it.
    expect(
      patch(before, [{ op: 'Remove', path: `${ENTERPRISE}:manager`, value: [{ value: 'm1' }] }]).resource,
    ).toStrictEqual(user());
  });

  it('several simple replaces (default dialect)', () => {
    const before = user({
      displayName: 'Old',
      externalId: 'old',
      name: { givenName: 'G', familyName: 'F' },
      emails: [{ type: 'work', value: 'o@x' }],
    });
    const result = patch(before, [
      { op: 'Replace', path: 'displayName', value: 'Pvlo' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
      { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
      { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
      { op: 'Replace', path: 'externalId', value: 'Eqpj' },
      { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'Eqpj' },
    ]);
    expect(result.resource).toStrictEqual(
      user(
        {
          displayName: 'Pvlo',
          externalId: 'Eqpj',
          name: { givenName: 'Gtfd', familyName: 'Pkqf' },
          emails: [{ type: 'work', value: 'TestBcwqnm@test.microsoft.com' }],
        },
        { [ENTERPRISE]: { employeeNumber: 'Eqpj' } },
      ),
    );
  });

  it('path-less replace with dotted and URN keys (aadOptscim062020)', () => {
    const before = user({ displayName: 'Old', name: { givenName: 'G', familyName: 'F', formatted: 'G F' } });
    const result = patch(before, [
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
      {
        op: 'replace',
        value: {
          displayName: 'Bjfe',
          'name.givenName': 'Kkom',
          'name.familyName': 'Unua',
          [`${ENTERPRISE}:employeeNumber`]: 'Aklq',
        },
      },
    ]);
    expect(result.resource).toStrictEqual(
      user(
        {
          displayName: 'Bjfe',
          name: { givenName: 'Kkom', familyName: 'Unua', formatted: 'G F' },
          emails: [{ type: 'work', value: 'TestMhvaes@test.microsoft.com' }],
        },
        { [ENTERPRISE]: { employeeNumber: 'Aklq' } },
      ),
    );
    expect(Object.keys(result.resource.core)).not.toContain('name.givenName');
  });

  it('replacing the work email when there is none adds it', () => {
    expect(
      patch(user(), [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'x@y.com' }]).resource,
    ).toStrictEqual(user({ emails: [{ type: 'work', value: 'x@y.com' }] }));
  });

  it('a filter that matches nothing and names no record is noTarget (RFC 7644 §3.5.2.3)', () => {
    const error = errorOf(() => patch(user(), [{ op: 'replace', path: 'emails[value co "x"].type', value: 'work' }]));
    expect(error.scimType).toBe('noTarget');
  });

  it('add a single-valued string', () => {
    for (const op of ['Add', 'add']) {
      expect(patch(user(), [{ op, path: 'nickName', value: 'Babs' }]).resource).toStrictEqual(
        user({ nickName: 'Babs' }),
      );
    }
    expect(
      patch(user({ nickName: 'Old' }), [{ op: 'add', path: 'nickName', value: 'Babs' }]).resource.core.nickName,
    ).toBe('Babs');
  });

  it('add through a typed filter path creates, then updates, the typed entry', () => {
    const created = patch(user(), [
      { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '312-320-1707' },
      { op: 'Add', path: 'addresses[type eq "work"].postalCode', value: '98052' },
    ]).resource;
    expect(created).toStrictEqual(
      user({
        phoneNumbers: [{ type: 'mobile', value: '312-320-1707' }],
        addresses: [{ type: 'work', postalCode: '98052' }],
      }),
    );
    const updated = patch(created, [
      { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 312-320-0000' },
      { op: 'Add', path: 'addresses[type eq "work"].streetAddress', value: '1 Microsoft Way' },
    ]).resource;
    expect(updated).toStrictEqual(
      user({
        phoneNumbers: [{ type: 'mobile', value: '+1 312-320-0000' }],
        addresses: [{ type: 'work', postalCode: '98052', streetAddress: '1 Microsoft Way' }],
      }),
    );
  });

  it('remove with a filter removes the entry, or only its sub-attribute', () => {
    const before = user({
      phoneNumbers: [
        { type: 'fax', value: '1' },
        { type: 'work', value: '2' },
      ],
    });
    expect(patch(before, [{ op: 'Remove', path: 'phoneNumbers[type eq "fax"]' }]).resource).toStrictEqual(
      user({ phoneNumbers: [{ type: 'work', value: '2' }] }),
    );
    expect(patch(before, [{ op: 'Remove', path: 'phoneNumbers[type eq "fax"].value' }]).resource).toStrictEqual(
      user({ phoneNumbers: [{ type: 'fax' }, { type: 'work', value: '2' }] }),
    );
    // Removing what is not there is a no-op, so Entra's retries stay idempotent.
    expect(patch(before, [{ op: 'Remove', path: 'phoneNumbers[type eq "pager"]' }])).toStrictEqual({
      resource: before,
      changed: false,
    });
    expect(
      patch(user({ phoneNumbers: [{ type: 'fax', value: '1' }] }), [
        { op: 'remove', path: 'phoneNumbers[type eq "fax"]' },
      ]).resource,
    ).toStrictEqual(user());
  });

  it('the mapping table capitalisation: `.Value`, `.Formatted`', () => {
    const result = patch(user(), [
      { op: 'Add', path: 'emails[type eq "other"].Value', value: 'proxy@contoso.com' },
      { op: 'Add', path: 'addresses[type eq "other"].Formatted', value: 'Building 4' },
    ]);
    expect(result.resource).toStrictEqual(
      user({
        emails: [{ type: 'other', value: 'proxy@contoso.com' }],
        addresses: [{ type: 'other', formatted: 'Building 4' }],
      }),
    );
  });
});

describe('applyPatch: RFC 7644 §3.5.2 semantics', () => {
  it('add to a multi-valued attribute appends, without duplicating an identical value', () => {
    const before = user({ emails: [{ type: 'work', value: 'a@x' }] });
    const result = patch(before, [
      {
        op: 'add',
        path: 'emails',
        value: [
          { type: 'work', value: 'a@x' },
          { type: 'home', value: 'b@x' },
        ],
      },
    ]);
    expect(result.resource.core.emails).toStrictEqual([
      { type: 'work', value: 'a@x' },
      { type: 'home', value: 'b@x' },
    ]);
  });

  it('a new primary value demotes the old one (RFC 7644 §3.5.2)', () => {
    const before = user({ emails: [{ type: 'work', value: 'a@x', primary: true }] });
    const result = patch(before, [
      { op: 'add', path: 'emails', value: [{ type: 'home', value: 'b@x', primary: 'True' }] },
    ]);
    expect(result.resource.core.emails).toStrictEqual([
      { type: 'work', value: 'a@x', primary: false },
      { type: 'home', value: 'b@x', primary: true },
    ]);
  });

  it('replace of a multi-valued attribute replaces all values; with a filter, the matching records', () => {
    const before = user({
      emails: [
        { type: 'work', value: 'a@x' },
        { type: 'home', value: 'b@x' },
      ],
    });
    expect(
      patch(before, [{ op: 'replace', path: 'emails', value: [{ type: 'other', value: 'c@x' }] }]).resource.core.emails,
    ).toStrictEqual([{ type: 'other', value: 'c@x' }]);
    expect(
      patch(before, [{ op: 'replace', path: 'emails[type eq "home"]', value: { type: 'home', value: 'd@x' } }]).resource
        .core.emails,
    ).toStrictEqual([
      { type: 'work', value: 'a@x' },
      { type: 'home', value: 'd@x' },
    ]);
  });

  it('add/replace on a complex attribute merge sub-attributes; path-less add sets attributes', () => {
    const before = user({ name: { givenName: 'A', familyName: 'B' } });
    expect(
      patch(before, [{ op: 'replace', path: 'name', value: { familyName: 'C' } }]).resource.core.name,
    ).toStrictEqual({ givenName: 'A', familyName: 'C' });
    expect(
      patch(before, [{ op: 'add', value: { name: { middleName: 'M' }, title: 'T' } }]).resource.core,
    ).toStrictEqual({
      userName: 'alice@contoso.com',
      name: { givenName: 'A', familyName: 'B', middleName: 'M' },
      title: 'T',
    });
  });

  it('remove of a whole multi-valued attribute, of a single attribute, and of listed values', () => {
    const before = user({ title: 'T', emails: [{ value: 'a@x' }, { value: 'b@x' }] });
    expect(patch(before, [{ op: 'remove', path: 'emails' }]).resource).toStrictEqual(user({ title: 'T' }));
    expect(patch(before, [{ op: 'remove', path: 'title' }]).resource).toStrictEqual(
      user({ emails: [{ value: 'a@x' }, { value: 'b@x' }] }),
    );
    expect(
      patch(before, [{ op: 'remove', path: 'emails', value: [{ value: 'A@X' }] }]).resource.core.emails,
    ).toStrictEqual([{ value: 'b@x' }]);
  });

  it('remove of a bare extension URN clears the extension', () => {
    const before = user({}, { [ENTERPRISE]: { department: 'D', manager: { value: 'm' } } });
    expect(patch(before, [{ op: 'remove', path: ENTERPRISE }]).resource).toStrictEqual(user());
  });

  it('removing a required attribute is invalidValue', () => {
    expect(errorOf(() => patch(user(), [{ op: 'remove', path: 'userName' }])).detail).toBe(
      "Attribute 'userName' is required",
    );
    expect(errorOf(() => patch(user(), [{ op: 'replace', path: 'userName', value: '' }])).scimType).toBe(
      'invalidValue',
    );
  });

  it('reports changed: false when nothing changed', () => {
    const before = user({ nickName: 'N', emails: [{ value: 'a@x' }] });
    expect(patch(before, [{ op: 'replace', path: 'nickName', value: 'N' }]).changed).toBe(false);
    expect(patch(before, [{ op: 'add', path: 'emails', value: [{ value: 'a@x' }] }]).changed).toBe(false);
    expect(patch(before, [{ op: 'remove', path: 'title' }]).changed).toBe(false);
    expect(patch(before, [{ op: 'replace', path: 'nickName', value: 'M' }]).changed).toBe(true);
  });

  it('preserves what it was not asked to touch, including an id the caller keeps in core', () => {
    const before: ScimResourceData = {
      core: { id: 'u1', userName: 'a', title: 'T' },
      extensions: { [ENTERPRISE]: { department: 'D' } },
    };
    expect(patch(before, [{ op: 'replace', path: 'title', value: 'U' }]).resource).toStrictEqual({
      core: { id: 'u1', userName: 'a', title: 'U' },
      extensions: { [ENTERPRISE]: { department: 'D' } },
    });
  });
});

describe('applyPatch: all or nothing (RFC 7644 §3.5.2)', () => {
  it('a failure in operation 3 of 5 throws and leaves the input untouched', () => {
    const before = user({ displayName: 'Before', active: true });
    const snapshot = structuredClone(before);
    const ops = parsePatchRequest(
      {
        schemas: [SCIM_URN.PATCH_OP],
        Operations: [
          { op: 'replace', path: 'displayName', value: 'After' },
          { op: 'replace', path: 'active', value: false },
          { op: 'replace', path: 'emails[value co "nobody"].type', value: 'work' },
          { op: 'add', path: 'nickName', value: 'N' },
          { op: 'add', path: 'title', value: 'T' },
        ],
      },
      USER_RESOURCE_TYPE,
    );
    expect(() => applyPatch(before, ops, USER_RESOURCE_TYPE)).toThrow(ScimError);
    expect(before).toStrictEqual(snapshot);
  });

  it('a second operation that violates mutability fails the whole request at parse time', () => {
    expect(
      errorOf(() =>
        patch(user({ displayName: 'Before' }), [
          { op: 'replace', path: 'displayName', value: 'After' },
          { op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' },
        ]),
      ).scimType,
    ).toBe('mutability');
  });

  it('refuses read-only targets in hand-built operations too', () => {
    const ops = [
      { op: 'replace' as const, path: { schema: SCIM_URN.USER, attribute: 'groups' }, value: [{ value: 'g' }] },
    ];
    expect(errorOf(() => applyPatch(user(), ops, USER_RESOURCE_TYPE)).scimType).toBe('mutability');
  });

  it('never mutates its input, even on success (the input here is deep-frozen)', () => {
    const before = user(
      { name: { givenName: 'A' }, emails: [{ value: 'a@x', primary: true }] },
      { [ENTERPRISE]: { department: 'D' } },
    );
    expect(() =>
      patch(before, [
        { op: 'add', path: 'emails', value: [{ value: 'b@x', primary: true }] },
        { op: 'replace', path: 'name.givenName', value: 'B' },
        { op: 'remove', path: 'department' },
      ]),
    ).not.toThrow();
  });
});

describe('applyPatch: Groups', () => {
  const group: ScimResourceData = { core: { displayName: 'Engineering', members: [{ value: 'u1' }] }, extensions: {} };

  it('replace displayName', () => {
    expect(
      patch(group, [{ op: 'Replace', path: 'displayName', value: '1879db59updatedDisplayName' }], GROUP_RESOURCE_TYPE)
        .resource,
    ).toStrictEqual({
      core: { displayName: '1879db59updatedDisplayName', members: [{ value: 'u1' }] },
      extensions: {},
    });
  });

  it('leaves members alone when the caller handles them elsewhere (a rename beside member changes)', () => {
    const result = patch(
      group,
      [
        { op: 'replace', path: 'displayName', value: 'New' },
        { op: 'add', path: 'members', value: [{ value: 'nonexistent' }] },
        { op: 'remove', path: 'members' },
      ],
      GROUP_RESOURCE_TYPE,
      { handledElsewhere: ['members'] },
    );
    expect(result.resource).toStrictEqual({ core: { displayName: 'New', members: [{ value: 'u1' }] }, extensions: {} });
  });

  it('applies members in memory when asked to: append without duplicates, remove listed values', () => {
    const result = patch(
      group,
      [
        { op: 'Add', path: 'members', value: [{ $ref: null, value: 'u1' }, { value: 'u2' }] },
        { op: 'Remove', path: 'members', value: [{ value: 'u1' }] },
      ],
      GROUP_RESOURCE_TYPE,
    );
    expect(result.resource.core.members).toStrictEqual([{ value: 'u2' }]);
  });

  it('refuses to change an existing member record in place (immutable value)', () => {
    const error = errorOf(() =>
      patch(group, [{ op: 'add', path: 'members[value eq "u1"]', value: { value: 'u9' } }], GROUP_RESOURCE_TYPE),
    );
    expect(error.scimType).toBe('mutability');
  });
});
