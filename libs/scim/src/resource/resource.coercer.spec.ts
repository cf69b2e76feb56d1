import { ScimError } from '../errors/scim-error';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../schema/resource-types';
import { SCIM_URN } from '../schema/scim.urns';
import { MAX_STRING_LENGTH } from './attribute-value.coercer';
import { coerceResource } from './resource.coercer';
import { UndeclaredAttributes } from './undeclared-attributes';

const ENTERPRISE = SCIM_URN.ENTERPRISE_USER;
const create = (body: unknown) => coerceResource(body, USER_RESOURCE_TYPE, { forUpdate: false });
const user = (attributes: Record<string, unknown>) => ({ schemas: [SCIM_URN.USER], userName: 'alice', ...attributes });

function errorOf(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('coerceResource: Entra request shapes', () => {
  it('the Create User body, with client meta and empty roles ignored', () => {
    const body = {
      schemas: [SCIM_URN.USER, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    };
    expect(create(body)).toStrictEqual({
      core: {
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
        active: true,
        emails: [{ primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' }],
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      },
      extensions: {},
    });
  });

  it('nulls are unassigned and the misspelled enterprise URN is tolerated', () => {
    const body = {
      schemas: [SCIM_URN.USER, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
      addresses: null,
      phoneNumbers: null,
      preferredLanguage: null,
      title: null,
      department: null,
      manager: null,
      displayName: 'Joy Young',
      externalId: 'jyoung',
      userName: 'jyoung@testuser.com',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0User': { department: 'lost in the typo' },
    };
    expect(create(body)).toStrictEqual({
      core: { displayName: 'Joy Young', externalId: 'jyoung', userName: 'jyoung@testuser.com' },
      extensions: {},
    });
  });

  it('active "True" becomes the boolean true; any case of true/false is accepted', () => {
    expect(create(user({ active: 'True' })).core.active).toBe(true);
    expect(create(user({ active: 'FALSE' })).core.active).toBe(false);
    expect(create(user({ active: 'false' })).core.active).toBe(false);
  });

  it('a missing or blank userName is invalidValue naming the attribute', () => {
    for (const body of [
      { schemas: [SCIM_URN.USER] },
      user({ userName: '' }),
      user({ userName: '   ' }),
      user({ userName: null }),
    ]) {
      const error = errorOf(() => create(body));
      expect(error.scimType).toBe('invalidValue');
      expect(error.detail).toBe("Attribute 'userName' is required");
    }
  });

  it('a body that is not a JSON object is invalidSyntax', () => {
    for (const body of ['junk', 42, null, [user({})]])
      expect(errorOf(() => create(body)).scimType).toBe('invalidSyntax');
  });

  it('refuses a body whose schemas do not name the core schema', () => {
    expect(errorOf(() => create({ userName: 'alice' })).scimType).toBe('invalidSyntax');
    expect(errorOf(() => create({ schemas: [SCIM_URN.GROUP], userName: 'alice' })).scimType).toBe('invalidSyntax');
    expect(errorOf(() => create({ schemas: SCIM_URN.USER, userName: 'alice' })).scimType).toBe('invalidSyntax');
  });

  it('unknown and misspelled attributes are ignored, not echoed', () => {
    expect(create(user({ Adresses: [{ locality: 'x' }], isAdmin: true, permissions: ['admin'] }))).toStrictEqual({
      core: { userName: 'alice' },
      extensions: {},
    });
  });

  it('a Group with the extra Microsoft schema URN', () => {
    const body = {
      schemas: [SCIM_URN.GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    };
    expect(coerceResource(body, GROUP_RESOURCE_TYPE, { forUpdate: false })).toStrictEqual({
      core: { externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'displayName' },
      extensions: {},
    });
  });

  it('requires the Group displayName', () => {
    const error = errorOf(() =>
      coerceResource({ schemas: [SCIM_URN.GROUP] }, GROUP_RESOURCE_TYPE, { forUpdate: true }),
    );
    expect(error.detail).toBe("Attribute 'displayName' is required");
  });

  it('keeps members on a Group PUT, dropping their readOnly display and null $ref', () => {
    const body = {
      schemas: [SCIM_URN.GROUP],
      displayName: 'g',
      members: [{ value: 'u1', display: 'Alice', $ref: null }],
    };
    expect(coerceResource(body, GROUP_RESOURCE_TYPE, { forUpdate: true }).core).toStrictEqual({
      displayName: 'g',
      members: [{ value: 'u1' }],
    });
  });
});

describe('coerceResource: names, extensions and readOnly input', () => {
  it('matches attribute and sub-attribute names case-insensitively and stores canonical names (RFC 7643 §2.1)', () => {
    const body = {
      SCHEMAS: [SCIM_URN.USER.toUpperCase()],
      UserName: 'alice',
      Emails: [{ Value: 'a@x.com', TYPE: 'work' }],
      NAME: { Formatted: 'A' },
    };
    expect(create(body).core).toStrictEqual({
      userName: 'alice',
      emails: [{ value: 'a@x.com', type: 'work' }],
      name: { formatted: 'A' },
    });
  });

  it('reads the Enterprise extension from its URN-keyed object', () => {
    const body = user({
      [ENTERPRISE]: {
        employeeNumber: '701984',
        department: 'Tour Operations',
        manager: { value: 'm1', displayName: 'Boss' },
      },
    });
    expect(create(body).extensions).toStrictEqual({
      [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: 'm1' } },
    });
  });

  it('takes unqualified and URN-qualified extension attributes too', () => {
    const body = user({ department: 'Sales', [`${ENTERPRISE}:employeeNumber`]: '42' });
    expect(create(body).extensions).toStrictEqual({ [ENTERPRISE]: { department: 'Sales', employeeNumber: '42' } });
  });

  it('normalises the manager from a string, an object or a one-element array', () => {
    const expected = { [ENTERPRISE]: { manager: { value: 'm1' } } };
    expect(create(user({ [ENTERPRISE]: { manager: 'm1' } })).extensions).toStrictEqual(expected);
    expect(create(user({ [ENTERPRISE]: { manager: { value: 'm1' } } })).extensions).toStrictEqual(expected);
    expect(
      create(user({ [ENTERPRISE]: { manager: [{ value: 'm1', $ref: '../Users/m1' }] } })).extensions,
    ).toStrictEqual({
      [ENTERPRISE]: { manager: { value: 'm1', $ref: '../Users/m1' } },
    });
    expect(errorOf(() => create(user({ [ENTERPRISE]: { manager: [{ value: 'a' }, { value: 'b' }] } }))).scimType).toBe(
      'invalidValue',
    );
  });

  it('ignores readOnly input (RFC 7644 §3.5.1): id, meta, groups, members.display', () => {
    const body = user({
      id: 'chosen-by-client',
      meta: { created: '2020-01-01T00:00:00Z' },
      groups: [{ value: 'admins' }],
    });
    expect(create(body)).toStrictEqual({ core: { userName: 'alice' }, extensions: {} });
  });

  it('refuses the same attribute twice under different spellings', () => {
    expect(errorOf(() => create(user({ USERNAME: 'bob' }))).scimType).toBe('invalidSyntax');
  });
});

describe('coerceResource: types', () => {
  it('refuses a boolean it cannot read, naming only the attribute', () => {
    const error = errorOf(() => create(user({ active: 'maybe' })));
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toBe("Attribute 'active' must be a boolean");
    expect(errorOf(() => create(user({ emails: [{ value: 'a', primary: 'yes' }] }))).detail).toBe(
      "Attribute 'emails.primary' must be a boolean",
    );
  });

  it('refuses numbers for strings and scalars for complex attributes', () => {
    expect(errorOf(() => create(user({ userName: 123 }))).detail).toBe("Attribute 'userName' must be a string");
    expect(errorOf(() => create(user({ name: 'Alice' }))).detail).toBe("Attribute 'name' must be an object");
    expect(errorOf(() => create(user({ emails: ['a@x.com'] }))).detail).toBe("Attribute 'emails' must be an object");
    expect(errorOf(() => create(user({ x509Certificates: [{ value: 'not base64!' }] }))).scimType).toBe('invalidValue');
  });

  it('wraps a single object given for a multi-valued attribute', () => {
    expect(create(user({ emails: { value: 'a@x.com', type: 'work' } })).core.emails).toStrictEqual([
      { value: 'a@x.com', type: 'work' },
    ]);
  });

  it('drops null elements, empty lists and empty objects as unassigned (RFC 7643 §2.5)', () => {
    expect(create(user({ emails: [null, { value: null }], roles: [], name: {} })).core).toStrictEqual({
      userName: 'alice',
    });
  });

  it('keeps type values as sent and allows one primary at most (RFC 7643 §2.4)', () => {
    expect(
      create(
        user({
          emails: [
            { value: 'a', type: 'Work', primary: 'True' },
            { value: 'b', type: 'custom' },
          ],
        }),
      ).core.emails,
    ).toStrictEqual([
      { value: 'a', type: 'Work', primary: true },
      { value: 'b', type: 'custom' },
    ]);
    const error = errorOf(() =>
      create(
        user({
          emails: [
            { value: 'a', primary: true },
            { value: 'b', primary: true },
          ],
        }),
      ),
    );
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toBe("Attribute 'emails' may have at most one primary value");
  });

  it('never echoes the client value in an error detail', () => {
    const error = errorOf(() => create(user({ active: 'hunter2-secret' })));
    expect(JSON.stringify(error.toBody())).not.toContain('hunter2');
  });
});

describe('coerceResource: prototype pollution', () => {
  afterEach(() => {
    // Belt and braces: if a test ever pollutes, do not let it leak into other suites.
    delete (Object.prototype as Record<string, unknown>).isAdmin;
  });

  it('does not copy __proto__, constructor or prototype keys anywhere', () => {
    const hostile = JSON.parse(
      `{"schemas":["${SCIM_URN.USER}"],"userName":"mallory","__proto__":{"isAdmin":true},` +
        `"constructor":{"prototype":{"isAdmin":true}},"name":{"__proto__":{"isAdmin":true},"givenName":"M"},` +
        `"emails":[{"__proto__":{"isAdmin":true},"value":"m@x.com"}],` +
        `"${ENTERPRISE}":{"__proto__":{"isAdmin":true},"department":"D"}}`,
    ) as unknown;
    const result = create(hostile);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(result).toStrictEqual({
      core: { userName: 'mallory', name: { givenName: 'M' }, emails: [{ value: 'm@x.com' }] },
      extensions: { [ENTERPRISE]: { department: 'D' } },
    });
    expect(Object.getPrototypeOf(result.core)).toBe(Object.prototype);
  });
});

describe('coerceResource: hostile shapes', () => {
  const deep = (depth: number): unknown => {
    let value: unknown = 'leaf';
    for (let level = 0; level < depth; level++) value = { a: value };
    return value;
  };

  it('never walks deeper than the schema: 10,000 levels of nesting cost nothing', () => {
    const started = Date.now();
    expect(create(user({ unknownAttribute: deep(10_000) })).core).toStrictEqual({ userName: 'alice' });
    expect(create(user({ name: { familyName: 'L', unknownSub: deep(10_000) } })).core).toStrictEqual({
      userName: 'alice',
      name: { familyName: 'L' },
    });
    expect(errorOf(() => create(user({ name: { givenName: deep(10_000) } }))).detail).toBe(
      "Attribute 'name.givenName' must be a string",
    );
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('treats PUT like POST (forUpdate): readOnly ignored, required enforced', () => {
    const put = (body: unknown) => coerceResource(body, USER_RESOURCE_TYPE, { forUpdate: true });
    expect(put(user({ id: 'x', meta: {}, title: 'T' }))).toStrictEqual({
      core: { userName: 'alice', title: 'T' },
      extensions: {},
    });
    expect(errorOf(() => put({ schemas: [SCIM_URN.USER], title: 'T' })).scimType).toBe('invalidValue');
  });
});

describe('coerceResource: what the schema does not declare', () => {
  const body = user({
    isAdmin: true,
    name: { givenName: 'Alice', middle: 'M' },
    [`${ENTERPRISE}:badge`]: 'b',
    [ENTERPRISE]: { schemas: [ENTERPRISE], employeeNumber: '42', floor: 3 },
    'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User': { costCenter: 'cc' },
  });

  it('ignores each undeclared attribute and notes its name, never its value', () => {
    const undeclared = new UndeclaredAttributes();
    const data = coerceResource(body, USER_RESOURCE_TYPE, { forUpdate: false, undeclared });
    expect(data).toStrictEqual({
      core: { userName: 'alice', name: { givenName: 'Alice' } },
      extensions: { [ENTERPRISE]: { employeeNumber: '42' } },
    });
    expect(undeclared.names).toEqual([
      'isAdmin',
      'name.middle',
      `${ENTERPRISE}:badge`,
      `${ENTERPRISE}:floor`,
      'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User',
    ]);
  });

  it('refuses in strict mode with invalidValue, naming nothing the client wrote', () => {
    for (const attributes of [{ isAdmin: true }, { name: { middle: 'M' } }, { [ENTERPRISE]: { floor: 3 } }]) {
      const error = errorOf(() =>
        coerceResource(user(attributes), USER_RESOURCE_TYPE, {
          forUpdate: true,
          undeclared: new UndeclaredAttributes(true),
        }),
      );
      expect(error.scimType).toBe('invalidValue');
      expect(error.detail).not.toMatch(/isAdmin|middle|floor/);
    }
    // A schemas key inside an extension object is not an attribute: strict mode accepts it.
    expect(
      coerceResource(user({ [ENTERPRISE]: { schemas: [ENTERPRISE], employeeNumber: '1' } }), USER_RESOURCE_TYPE, {
        forUpdate: false,
        undeclared: new UndeclaredAttributes(true),
      }).extensions,
    ).toEqual({ [ENTERPRISE]: { employeeNumber: '1' } });
  });
});

describe('coerceResource: one length limit for every string', () => {
  it(`accepts ${MAX_STRING_LENGTH} characters, counted as code points, and refuses one more`, () => {
    const astral = '😀'.repeat(MAX_STRING_LENGTH);
    expect(create(user({ externalId: astral })).core.externalId).toBe(astral);
    expect(create(user({ displayName: 'x'.repeat(MAX_STRING_LENGTH) })).core.displayName).toHaveLength(255);
    for (const attributes of [
      { externalId: 'x'.repeat(MAX_STRING_LENGTH + 1) },
      { externalId: `${astral}😀` },
      { emails: [{ value: 'a@b.c', type: 't'.repeat(300) }] },
      { [ENTERPRISE]: { employeeNumber: 'n'.repeat(300) } },
    ]) {
      expect(errorOf(() => create(user(attributes))).scimType).toBe('invalidValue');
    }
    const group = { schemas: [SCIM_URN.GROUP], displayName: 'g', externalId: 'x'.repeat(300) };
    expect(errorOf(() => coerceResource(group, GROUP_RESOURCE_TYPE, { forUpdate: false })).scimType).toBe(
      'invalidValue',
    );
  });
});
