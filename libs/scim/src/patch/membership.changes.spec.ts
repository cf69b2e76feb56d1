import { ScimError } from '../errors/scim-error';
import { GROUP_RESOURCE_TYPE } from '../schema/resource-types';
import { SCIM_URN } from '../schema/scim.urns';
import { membershipChanges } from './membership.changes';
import { parsePatchRequest } from './patch-request.parser';

const changes = (...operations: unknown[]) =>
  membershipChanges(parsePatchRequest({ schemas: [SCIM_URN.PATCH_OP], Operations: operations }, GROUP_RESOURCE_TYPE));

function errorOf(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('membershipChanges: Entra shapes', () => {
  it('add one member, with "$ref": null', () => {
    expect(
      changes({ op: 'Add', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] }),
    ).toStrictEqual({
      add: ['f648f8d5ea4e4cd38e9c'],
      remove: [],
      removeAll: false,
    });
  });

  it('several members in one op and in several ops, duplicates once', () => {
    expect(
      changes(
        { op: 'Add', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] },
        { op: 'Add', path: 'members', value: [{ value: 'u3' }, { value: 'u1' }] },
      ),
    ).toStrictEqual({ add: ['u1', 'u2', 'u3'], remove: [], removeAll: false });
  });

  it('remove with path "members" and a value list removes only those', () => {
    expect(
      changes({ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] }),
    ).toStrictEqual({
      add: [],
      remove: ['f648f8d5ea4e4cd38e9c'],
      removeAll: false,
    });
  });

  it('remove with a value filter path', () => {
    expect(changes({ op: 'remove', path: 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]' })).toStrictEqual({
      add: [],
      remove: ['7f4bc1a3-285e-48ae-8202-5accb43efb0e'],
      removeAll: false,
    });
    expect(changes({ op: 'remove', path: 'members[value eq "a" or value eq "b"]' }).remove).toEqual(['a', 'b']);
  });

  it('attribute names in the filter path are case-insensitive', () => {
    expect(changes({ op: 'Remove', path: 'Members[Value eq "u1"]' }).remove).toEqual(['u1']);
  });

  it('a single member record, not wrapped in a list, removes only that member', () => {
    expect(changes({ op: 'Remove', path: 'members', value: { value: 'u1' } })).toStrictEqual({
      add: [],
      remove: ['u1'],
      removeAll: false,
    });
  });

  it('remove "members" without a value removes everyone', () => {
    expect(changes({ op: 'Remove', path: 'members' })).toStrictEqual({
      add: [],
      remove: [],
      removeAll: true,
      replaceWith: [],
    });
  });

  it('replace members replaces the whole set', () => {
    expect(changes({ op: 'replace', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] })).toStrictEqual({
      add: ['u1', 'u2'],
      remove: [],
      removeAll: true,
      replaceWith: ['u1', 'u2'],
    });
  });

  it('path-less add with a members key is a member add', () => {
    expect(changes({ op: 'add', value: { members: [{ value: 'u1' }] } }).add).toEqual(['u1']);
  });

  it('ignores operations on other attributes', () => {
    expect(changes({ op: 'Replace', path: 'displayName', value: 'x' })).toStrictEqual({
      add: [],
      remove: [],
      removeAll: false,
    });
  });
});

describe('membershipChanges: composing operations in order', () => {
  it('add u1 then remove u1 is a net removal', () => {
    expect(
      changes(
        { op: 'add', path: 'members', value: [{ value: 'u1' }] },
        { op: 'remove', path: 'members[value eq "u1"]' },
      ),
    ).toStrictEqual({ add: [], remove: ['u1'], removeAll: false });
  });

  it('remove u1 then add u1 is a net add', () => {
    expect(
      changes(
        { op: 'remove', path: 'members', value: [{ value: 'u1' }] },
        { op: 'add', path: 'members', value: [{ value: 'u1' }] },
      ),
    ).toStrictEqual({ add: ['u1'], remove: [], removeAll: false });
  });

  it('remove-all then add u2 leaves exactly {u2}', () => {
    expect(
      changes(
        { op: 'add', path: 'members', value: [{ value: 'u1' }] },
        { op: 'remove', path: 'members' },
        { op: 'add', path: 'members', value: [{ value: 'u2' }] },
      ),
    ).toStrictEqual({ add: ['u2'], remove: [], removeAll: true, replaceWith: ['u2'] });
  });

  it('the two removal shapes compose with adds in one request', () => {
    expect(
      changes(
        { op: 'Add', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }, { value: 'u3' }] },
        { op: 'Remove', path: 'members', value: [{ $ref: null, value: 'u2' }] },
        { op: 'remove', path: 'members[value eq "u3"]' },
        { op: 'remove', path: 'members[value eq "u4"]' },
      ),
    ).toStrictEqual({ add: ['u1'], remove: ['u2', 'u3', 'u4'], removeAll: false });
  });

  it('replace then remove one then add another', () => {
    expect(
      changes(
        { op: 'replace', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] },
        { op: 'remove', path: 'members[value eq "u1"]' },
        { op: 'add', path: 'members', value: [{ value: 'u3' }] },
      ),
    ).toStrictEqual({ add: ['u2', 'u3'], remove: [], removeAll: true, replaceWith: ['u2', 'u3'] });
  });
});

describe('membershipChanges: refusals', () => {
  it('member values must be non-empty strings', () => {
    expect(errorOf(() => changes({ op: 'add', path: 'members', value: [{ value: '' }] })).scimType).toBe(
      'invalidValue',
    );
    expect(errorOf(() => changes({ op: 'add', path: 'members', value: [{ value: '  ' }] })).scimType).toBe(
      'invalidValue',
    );
    expect(errorOf(() => changes({ op: 'add', path: 'members', value: [{ $ref: '../Users/u1' }] })).scimType).toBe(
      'invalidValue',
    );
    expect(errorOf(() => changes({ op: 'add', path: 'members', value: [{ value: 42 }] })).scimType).toBe(
      'invalidValue',
    );
    expect(errorOf(() => changes({ op: 'remove', path: 'members[value eq ""]' })).scimType).toBe('invalidValue');
  });

  it('filters other than "value eq" cannot become deltas', () => {
    expect(errorOf(() => changes({ op: 'remove', path: 'members[type eq "User"]' })).scimType).toBe('invalidPath');
    expect(errorOf(() => changes({ op: 'remove', path: 'members[value co "u"]' })).scimType).toBe('invalidPath');
  });

  it('member records cannot be edited in place', () => {
    expect(
      errorOf(() => changes({ op: 'replace', path: 'members[value eq "u1"]', value: { value: 'u2' } })).scimType,
    ).toBe('mutability');
    expect(errorOf(() => changes({ op: 'remove', path: 'members.type' })).scimType).toBe('invalidPath');
  });
});
