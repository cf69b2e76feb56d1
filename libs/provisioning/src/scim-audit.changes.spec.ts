import { changedAttributes } from './scim-audit.changes';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('changedAttributes', () => {
  it('names what was set on create, sub-attributes of complex attributes included', () => {
    expect(
      changedAttributes(undefined, {
        core: { userName: 'a', name: { givenName: 'A' }, emails: [{ value: 'a@x' }] },
        extensions: { [ENTERPRISE]: { department: 'D', manager: { value: 'm' } } },
      }),
    ).toEqual(['emails', 'name.givenName', 'userName', `${ENTERPRISE}:department`, `${ENTERPRISE}:manager.value`]);
  });

  it('ignores key order and unchanged values, and names removed attributes', () => {
    const before = { core: { userName: 'a', name: { givenName: 'A', familyName: 'B' }, title: 'T' }, extensions: {} };
    const after = { core: { name: { familyName: 'B', givenName: 'A' }, userName: 'a' }, extensions: {} };
    expect(changedAttributes(before, after)).toEqual(['title']);
    expect(changedAttributes(before, before)).toEqual([]);
  });

  it('compares multi-valued attributes as a whole, and skips what is recorded elsewhere', () => {
    const before = { core: { displayName: 'G', members: [{ value: '1' }] }, extensions: {} };
    const after = { core: { displayName: 'H', members: [{ value: '2' }] }, extensions: {} };
    expect(changedAttributes(before, after)).toEqual(['displayName', 'members']);
    expect(changedAttributes(before, after, ['Members'])).toEqual(['displayName']);
  });

  it('returns names only, never a value', () => {
    const names = changedAttributes(undefined, {
      core: { password: 'hunter2', userName: 'secret-login' },
      extensions: {},
    });
    expect(JSON.stringify(names)).not.toMatch(/hunter2|secret-login/);
  });
});
