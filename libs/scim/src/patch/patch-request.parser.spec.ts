import { ScimError } from '../errors/scim-error';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../schema/resource-types';
import { SCIM_URN } from '../schema/scim.urns';
import { UndeclaredAttributes } from '../resource/undeclared-attributes';
import { parsePatchRequest } from './patch-request.parser';

const ENTERPRISE = SCIM_URN.ENTERPRISE_USER;
const body = (...operations: unknown[]) => ({ schemas: [SCIM_URN.PATCH_OP], Operations: operations });
const parse = (...operations: unknown[]) => parsePatchRequest(body(...operations), USER_RESOURCE_TYPE);

function errorOf(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('parsePatchRequest: the envelope', () => {
  it('Operations before schemas is fine', () => {
    const request = JSON.parse(
      `{"Operations":[{"op":"Replace","path":"active","value":false}],"schemas":["${SCIM_URN.PATCH_OP}"]}`,
    ) as unknown;
    expect(parsePatchRequest(request, USER_RESOURCE_TYPE)).toEqual([
      { op: 'replace', path: { schema: SCIM_URN.USER, attribute: 'active' }, value: false },
    ]);
  });

  it('reads structural names case-insensitively', () => {
    const request = {
      SCHEMAS: [SCIM_URN.PATCH_OP.toUpperCase()],
      operations: [{ OP: 'add', Path: 'nickName', VALUE: 'Babs' }],
    };
    expect(parsePatchRequest(request, USER_RESOURCE_TYPE)).toEqual([
      { op: 'add', path: { schema: SCIM_URN.USER, attribute: 'nickName' }, value: 'Babs' },
    ]);
  });

  it('a body without the PatchOp schema, or without operations, is invalidSyntax', () => {
    for (const request of [
      'junk',
      null,
      [],
      { Operations: [{ op: 'add', path: 'nickName', value: 'x' }] },
      { schemas: [SCIM_URN.USER], Operations: [{ op: 'add', path: 'nickName', value: 'x' }] },
      { schemas: [SCIM_URN.PATCH_OP] },
      { schemas: [SCIM_URN.PATCH_OP], Operations: [] },
      { schemas: [SCIM_URN.PATCH_OP], Operations: { op: 'add' } },
      { schemas: [SCIM_URN.PATCH_OP], Operations: ['add'] },
    ]) {
      expect(errorOf(() => parsePatchRequest(request, USER_RESOURCE_TYPE)).scimType).toBe('invalidSyntax');
    }
  });

  it('more operations than the cap is tooMany, before any is read', () => {
    const operations = Array.from({ length: 1001 }, () => ({ op: 'frobnicate' }));
    expect(errorOf(() => parsePatchRequest(body(...operations), USER_RESOURCE_TYPE)).scimType).toBe('tooMany');
    const few = Array.from({ length: 3 }, () => ({ op: 'add', path: 'nickName', value: 'x' }));
    expect(errorOf(() => parsePatchRequest(body(...few), USER_RESOURCE_TYPE, { maxOperations: 2 })).scimType).toBe(
      'tooMany',
    );
  });
});

describe('parsePatchRequest: operations', () => {
  it('op names in any case', () => {
    const ops = parse(
      { op: 'Add', path: 'nickName', value: 'a' },
      { op: 'ADD', path: 'nickName', value: 'b' },
      { op: 'Replace', path: 'title', value: 'c' },
      { op: 'REPLACE', path: 'title', value: 'd' },
      { op: 'Remove', path: 'title' },
      { op: 'remove', path: 'nickName' },
    );
    expect(ops.map((operation) => operation.op)).toEqual(['add', 'add', 'replace', 'replace', 'remove', 'remove']);
  });

  it('an unknown op, or a missing one, is invalidSyntax', () => {
    expect(errorOf(() => parse({ op: 'frobnicate', path: 'title', value: 'x' })).scimType).toBe('invalidSyntax');
    expect(errorOf(() => parse({ path: 'title', value: 'x' })).scimType).toBe('invalidSyntax');
    expect(errorOf(() => parse({ op: 1, path: 'title', value: 'x' })).scimType).toBe('invalidSyntax');
  });

  it('remove without a path is noTarget', () => {
    expect(errorOf(() => parse({ op: 'remove' })).scimType).toBe('noTarget');
    expect(errorOf(() => parse({ op: 'Remove', value: { title: 'x' } })).scimType).toBe('noTarget');
  });

  it('booleans coerce from "True"/"False"; anything else is invalidValue', () => {
    expect(parse({ op: 'Replace', path: 'active', value: 'False' })[0].value).toBe(false);
    expect(parse({ op: 'Replace', path: 'active', value: 'true' })[0].value).toBe(true);
    const error = errorOf(() => parse({ op: 'replace', path: 'active', value: 'maybe' }));
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toBe("Attribute 'active' must be a boolean");
  });

  it('add and replace need a value; replace with null unassigns; add of null changes nothing', () => {
    expect(errorOf(() => parse({ op: 'add', path: 'title' })).scimType).toBe('invalidSyntax');
    expect(parse({ op: 'replace', path: 'title', value: null })).toEqual([
      { op: 'remove', path: { schema: SCIM_URN.USER, attribute: 'title' } },
    ]);
    expect(parse({ op: 'add', path: 'title', value: null })).toEqual([]);
  });

  it('refuses path values that are not strings or are empty', () => {
    expect(errorOf(() => parse({ op: 'add', path: 42, value: 'x' })).scimType).toBe('invalidPath');
    expect(errorOf(() => parse({ op: 'add', path: '', value: 'x' })).scimType).toBe('invalidPath');
  });
});

describe('parsePatchRequest: mutability', () => {
  it.each([
    ['replace', 'id'],
    ['replace', 'meta.created'],
    ['add', 'meta'],
    ['remove', 'meta.lastModified'],
    ['add', 'groups'],
    ['remove', 'groups'],
    ['replace', `${SCIM_URN.USER}:id`],
  ])('%s %s is mutability', (op, path) => {
    expect(errorOf(() => parse({ op, path, value: 'x' })).scimType).toBe('mutability');
  });

  it('a read-only key in a path-less value is mutability too', () => {
    expect(errorOf(() => parse({ op: 'replace', value: { displayName: 'x', id: 'y' } })).scimType).toBe('mutability');
  });

  it('member values are immutable: may be added, not replaced', () => {
    const group = (...operations: unknown[]) => parsePatchRequest(body(...operations), GROUP_RESOURCE_TYPE);
    expect(group({ op: 'add', path: 'members', value: [{ value: 'u1' }] })).toHaveLength(1);
    expect(errorOf(() => group({ op: 'replace', path: 'members[value eq "u1"].value', value: 'u2' })).scimType).toBe(
      'mutability',
    );
    expect(errorOf(() => group({ op: 'replace', path: 'members.value', value: 'u2' })).scimType).toBe('mutability');
    expect(errorOf(() => group({ op: 'remove', path: 'members.display' })).scimType).toBe('mutability');
  });

  it('unknown paths are ignored and noted, or invalidPath in strict mode; a role given as a bare string is invalidValue', () => {
    const noted = new UndeclaredAttributes();
    expect(
      parsePatchRequest(body({ op: 'replace', path: 'isAdmin', value: true }), USER_RESOURCE_TYPE, {}, noted),
    ).toEqual([]);
    expect(parse({ op: 'add', path: 'permissions', value: ['admin'] })).toEqual([]);
    expect(noted.names).toEqual(['isAdmin']);
    const strict = (operation: unknown) =>
      parsePatchRequest(body(operation), USER_RESOURCE_TYPE, {}, new UndeclaredAttributes(true));
    expect(errorOf(() => strict({ op: 'replace', path: 'isAdmin', value: true })).scimType).toBe('invalidPath');
    expect(errorOf(() => strict({ op: 'remove', path: `${ENTERPRISE}:badge` })).scimType).toBe('invalidPath');
    expect(errorOf(() => parse({ op: 'replace', path: 'roles', value: ['super_admin'] })).scimType).toBe(
      'invalidValue',
    );
  });
});

describe('parsePatchRequest: path-less values', () => {
  it('expands dotted and URN-prefixed keys into one operation each', () => {
    const ops = parse(
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
    );
    expect(ops).toEqual([
      {
        op: 'replace',
        path: {
          schema: SCIM_URN.USER,
          attribute: 'emails',
          subAttribute: 'value',
          valueFilter: { kind: 'compare', path: { attribute: 'type' }, op: 'eq', value: 'work' },
        },
        value: 'TestMhvaes@test.microsoft.com',
      },
      { op: 'replace', path: { schema: SCIM_URN.USER, attribute: 'displayName' }, value: 'Bjfe' },
      { op: 'replace', path: { schema: SCIM_URN.USER, attribute: 'name', subAttribute: 'givenName' }, value: 'Kkom' },
      { op: 'replace', path: { schema: SCIM_URN.USER, attribute: 'name', subAttribute: 'familyName' }, value: 'Unua' },
      { op: 'replace', path: { schema: ENTERPRISE, attribute: 'employeeNumber' }, value: 'Aklq' },
    ]);
  });

  it('expands a URN key holding an object, and a bare URN path', () => {
    const expected = [
      { op: 'add', path: { schema: ENTERPRISE, attribute: 'department' }, value: 'Sales' },
      { op: 'add', path: { schema: ENTERPRISE, attribute: 'manager' }, value: { value: 'm1' } },
    ];
    expect(parse({ op: 'add', value: { [ENTERPRISE]: { department: 'Sales', manager: 'm1' } } })).toEqual(expected);
    expect(parse({ op: 'add', path: ENTERPRISE, value: { department: 'Sales', manager: 'm1' } })).toEqual(expected);
  });

  it('replace with no path and {"active": false}', () => {
    expect(parse({ op: 'Replace', value: { active: 'False' } })).toEqual([
      { op: 'replace', path: { schema: SCIM_URN.USER, attribute: 'active' }, value: false },
    ]);
  });

  it('ignores a schemas key; unknown keys are ignored, or invalidValue (never invalidPath) in strict mode', () => {
    expect(parse({ op: 'replace', value: { schemas: [SCIM_URN.USER], nickName: 'n' } })).toHaveLength(1);
    const noted = new UndeclaredAttributes();
    const ops = parsePatchRequest(
      body({ op: 'replace', value: { nickName: 'n', isAdmin: true, name: { givenName: 'g', middle: 'm' } } }),
      USER_RESOURCE_TYPE,
      {},
      noted,
    );
    expect(ops.map((o) => o.path.attribute)).toEqual(['nickName', 'name']);
    expect(noted.names).toEqual(['isAdmin', 'name.middle']);
    const strict = (operation: unknown) =>
      parsePatchRequest(body(operation), USER_RESOURCE_TYPE, {}, new UndeclaredAttributes(true));
    expect(errorOf(() => strict({ op: 'replace', value: { nickName: 'n', isAdmin: true } })).scimType).toBe(
      'invalidValue',
    );
    expect(errorOf(() => strict({ op: 'add', path: ENTERPRISE, value: { badge: 'c' } })).scimType).toBe('invalidValue');
  });

  it('a schemas key inside an extension value is skipped, as a PUT body skips it', () => {
    expect(parse({ op: 'add', path: ENTERPRISE, value: { schemas: [ENTERPRISE], employeeNumber: '42' } })).toEqual([
      { op: 'add', path: { schema: ENTERPRISE, attribute: 'employeeNumber' }, value: '42' },
    ]);
  });

  it('what is wrong with a key of a value is an invalidValue, never a path the client did not write', () => {
    expect(errorOf(() => parse({ op: 'add', value: { 'emails[': 'x' } })).scimType).toBe('invalidValue');
    expect(errorOf(() => parse({ op: 'add', path: ENTERPRISE, value: { [ENTERPRISE]: {} } })).scimType).toBe(
      'invalidValue',
    );
    expect(errorOf(() => parse({ op: 'add', path: ENTERPRISE, value: { 'manager.x.y': 'm' } })).scimType).toBe(
      'invalidValue',
    );
  });

  it('a path-less add/replace needs an object', () => {
    expect(errorOf(() => parse({ op: 'add', value: 'x' })).scimType).toBe('invalidSyntax');
    expect(errorOf(() => parse({ op: 'replace', value: [{ nickName: 'x' }] })).scimType).toBe('invalidSyntax');
  });

  it('__proto__ keys are refused and pollute nothing', () => {
    const request = JSON.parse(
      `{"schemas":["${SCIM_URN.PATCH_OP}"],"Operations":[{"op":"add","value":{"__proto__":{"isAdmin":true}}}]}`,
    ) as unknown;
    expect(errorOf(() => parsePatchRequest(request, USER_RESOURCE_TYPE)).scimType).toBe('invalidValue');
    const nested = JSON.parse(
      `{"schemas":["${SCIM_URN.PATCH_OP}"],"Operations":[{"op":"add","path":"name","value":{"__proto__":{"isAdmin":true},"givenName":"x"}}]}`,
    ) as unknown;
    expect(parsePatchRequest(nested, USER_RESOURCE_TYPE)[0].value).toStrictEqual({ givenName: 'x' });
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});

describe('parsePatchRequest: records of a multi-valued attribute must name a value', () => {
  const group = (operation: unknown) => parsePatchRequest(body(operation), GROUP_RESOURCE_TYPE);

  it.each([[[{ $ref: null }]], [[{ display: 'x' }]], [[{}]], [[null]], [[{ value: '' }]]])(
    'refuses remove/replace/add of members with %j as invalidValue, never as "all members"',
    (value) => {
      for (const op of ['Remove', 'Replace', 'Add']) {
        const thrown = (() => {
          try {
            group({ op, path: 'members', value });
          } catch (error) {
            return error;
          }
        })();
        expect(thrown).toBeInstanceOf(ScimError);
        expect(thrown).toMatchObject({ status: 400, scimType: 'invalidValue' });
      }
    },
  );

  it('reads an empty remove list as "remove no one", and a missing value as "remove all" (RFC 7644 §3.5.2.2)', () => {
    expect(group({ op: 'remove', path: 'members', value: [] })).toEqual([]);
    expect(group({ op: 'remove', path: 'members' })).toEqual([
      { op: 'remove', path: expect.objectContaining({ attribute: 'members' }) },
    ]);
  });
});
