import { ScimError } from '../errors/scim-error';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../schema/resource-types';
import { SCIM_URN } from '../schema/scim.urns';
import { parsePatchPath } from './patch-path.parser';

const ENTERPRISE = SCIM_URN.ENTERPRISE_USER;
const pathOf = (text: string, resourceType = USER_RESOURCE_TYPE) => {
  const target = parsePatchPath(text, resourceType);
  if (target.kind !== 'attribute') throw new Error('expected an attribute target');
  return target.path;
};

function expectInvalidPath(text: string, resourceType = USER_RESOURCE_TYPE): void {
  try {
    parsePatchPath(text, resourceType);
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).scimType).toBe('invalidPath');
    // The detail is a fixed sentence: nothing of the hostile text comes back.
    expect((error as ScimError).detail).not.toContain('proto');
    return;
  }
  throw new Error(`expected invalidPath for ${text.slice(0, 40)}`);
}

describe('parsePatchPath: what Entra sends', () => {
  it('plain and dotted paths, canonicalised (RFC 7643 §2.1)', () => {
    expect(pathOf('userName')).toEqual({ schema: SCIM_URN.USER, attribute: 'userName' });
    expect(pathOf('NAME.GIVENNAME')).toEqual({ schema: SCIM_URN.USER, attribute: 'name', subAttribute: 'givenName' });
    expect(pathOf('externalId')).toEqual({ schema: SCIM_URN.USER, attribute: 'externalId' });
  });

  it('value filter paths with a sub-attribute (Entra’s mappings `.Value`, `.Formatted`)', () => {
    expect(pathOf('emails[type eq "work"].value')).toEqual({
      schema: SCIM_URN.USER,
      attribute: 'emails',
      subAttribute: 'value',
      valueFilter: { kind: 'compare', path: { attribute: 'type' }, op: 'eq', value: 'work' },
    });
    expect(pathOf('emails[Type EQ "other"].Value').subAttribute).toBe('value');
    expect(pathOf('addresses[type eq "other"].Formatted')).toMatchObject({
      attribute: 'addresses',
      subAttribute: 'formatted',
    });
    expect(pathOf('phoneNumbers[type eq "mobile"].value').attribute).toBe('phoneNumbers');
  });

  it('value filter paths without a sub-attribute', () => {
    expect(pathOf('phoneNumbers[type eq "fax"]')).toEqual({
      schema: SCIM_URN.USER,
      attribute: 'phoneNumbers',
      valueFilter: { kind: 'compare', path: { attribute: 'type' }, op: 'eq', value: 'fax' },
    });
    expect(pathOf('members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]', GROUP_RESOURCE_TYPE)).toEqual({
      schema: SCIM_URN.GROUP,
      attribute: 'members',
      valueFilter: {
        kind: 'compare',
        path: { attribute: 'value' },
        op: 'eq',
        value: '7f4bc1a3-285e-48ae-8202-5accb43efb0e',
      },
    });
  });

  it('a "]" inside a quoted filter value does not close the bracket', () => {
    expect(pathOf('emails[value eq "a]b\\"c"].type').valueFilter).toEqual({
      kind: 'compare',
      path: { attribute: 'value' },
      op: 'eq',
      value: 'a]b"c',
    });
  });

  it('logical value filters keep their shape with canonical names', () => {
    expect(pathOf('emails[TYPE eq "work" and not (Primary eq false)]').valueFilter).toEqual({
      kind: 'and',
      left: { kind: 'compare', path: { attribute: 'type' }, op: 'eq', value: 'work' },
      right: { kind: 'not', filter: { kind: 'compare', path: { attribute: 'primary' }, op: 'eq', value: false } },
    });
  });

  it('URN-qualified extension paths and the unqualified manager', () => {
    expect(pathOf(`${ENTERPRISE}:employeeNumber`)).toEqual({ schema: ENTERPRISE, attribute: 'employeeNumber' });
    expect(pathOf(`${ENTERPRISE}:manager`)).toEqual({ schema: ENTERPRISE, attribute: 'manager' });
    expect(pathOf(`${ENTERPRISE.toLowerCase()}:MANAGER.value`)).toEqual({
      schema: ENTERPRISE,
      attribute: 'manager',
      subAttribute: 'value',
    });
    expect(pathOf('manager')).toEqual({ schema: ENTERPRISE, attribute: 'manager' });
    expect(pathOf(`${SCIM_URN.USER}:name.familyName`)).toEqual({
      schema: SCIM_URN.USER,
      attribute: 'name',
      subAttribute: 'familyName',
    });
  });

  it('a bare extension URN targets the whole extension', () => {
    expect(parsePatchPath(ENTERPRISE, USER_RESOURCE_TYPE)).toEqual({ kind: 'schema', schema: ENTERPRISE });
  });
});

describe('parsePatchPath: refusals', () => {
  it('a broken filter inside the path', () => {
    expectInvalidPath('emails[type eq ]');
    expectInvalidPath('emails[type eq "work"');
    expectInvalidPath('emails[]');
  });

  it('unknown attributes, sub-attributes and schemas are well-formed paths to something undeclared', () => {
    const undeclared = (text: string, name: string, resourceType = USER_RESOURCE_TYPE) =>
      expect(parsePatchPath(text, resourceType)).toEqual({ kind: 'undeclared', name });
    undeclared('isAdmin', 'isAdmin');
    undeclared('name.nickname', 'name.nickname');
    undeclared('urn:example:custom:User:tag', 'urn:example:custom:User:tag');
    undeclared(
      'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User:costCenter',
      'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User:costCenter',
    );
    undeclared(`${SCIM_URN.GROUP}:displayName`, `${SCIM_URN.GROUP}:displayName`);
    undeclared(`${ENTERPRISE}:badge`, `${ENTERPRISE}:badge`);
    undeclared('manager', 'manager', GROUP_RESOURCE_TYPE);
  });

  it('a sub-attribute of a simple attribute, a malformed URN and unknown filter names are wrong paths', () => {
    expectInvalidPath('userName.x');
    expectInvalidPath('urn:');
    expectInvalidPath('urn:x::y');
    expectInvalidPath('emails[kind eq "work"].value');
    expectInvalidPath('emails[type.x eq "work"]');
    expectInvalidPath(`emails[${SCIM_URN.USER}:type eq "work"]`);
  });

  it('brackets where they cannot go', () => {
    expectInvalidPath('name[givenName eq "x"]');
    expectInvalidPath('userName[value eq "x"]');
    expectInvalidPath('emails[type eq "work"]value');
    expectInvalidPath('emails[type eq "work"].value.x');
    expectInvalidPath('emails.value[type eq "work"]');
    expectInvalidPath('emails[type eq "work"][value eq "x"]');
    expectInvalidPath('emails]');
    expectInvalidPath(`${ENTERPRISE}[value eq "x"]`);
  });

  it('hostile paths', () => {
    expectInvalidPath('__proto__');
    expectInvalidPath('__proto__.isAdmin');
    expectInvalidPath('constructor.prototype.isAdmin');
    expectInvalidPath('prototype');
    expectInvalidPath('constructor');
    expectInvalidPath('name.constructor');
    expectInvalidPath('name.givenName.foo.bar.baz');
    expectInvalidPath('emails[__proto__ eq "x"]');
    expectInvalidPath('');
    expectInvalidPath(`members[value eq "x" and ${'('.repeat(50)}value eq "y"${')'.repeat(50)}]`, GROUP_RESOURCE_TYPE);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('10 KB of brackets is refused fast', () => {
    const hostile = [
      `members${'['.repeat(10_000)}`,
      `members[${'('.repeat(5_000)}`,
      'a'.repeat(10_000),
      `emails[value eq "${'x'.repeat(10_000)}"]`,
    ];
    const started = Date.now();
    for (const text of hostile) expectInvalidPath(text, GROUP_RESOURCE_TYPE);
    expect(Date.now() - started).toBeLessThan(100);
  });
});
