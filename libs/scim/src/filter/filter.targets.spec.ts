import type { AttrPath } from './filter.ast';
import { createFilterTargets, MultiValuedTarget, ScalarTarget } from './filter.targets';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const OTHER = 'urn:example:params:scim:schemas:extension:other:2.0:User';

const col = (column: string): ScalarTarget => ({ kind: 'scalar', column, type: 'string', caseExact: false });

describe('createFilterTargets', () => {
  const emails: MultiValuedTarget = {
    kind: 'multi',
    table: 'emails',
    correlate: (a) => `${a}.user_id = u.id`,
    subAttributes: { value: col('$.value'), Type: col('$.type') },
    defaultSubAttribute: 'value',
  };
  const targets = createFilterTargets(CORE, [ENTERPRISE, OTHER], {
    userName: col('u.user_name'),
    'name.givenName': col('u.given_name'),
    emails,
    title: col('u.title'),
    [`${ENTERPRISE}:employeeNumber`]: col('u.employee_number'),
    [`${ENTERPRISE}:department`]: col('u.ent_department'),
    [`${OTHER}:department`]: col('u.other_department'),
    [`${ENTERPRISE}:title`]: col('u.ent_title'),
    [`${ENTERPRISE.toUpperCase()}:MANAGER`]: col('u.manager_id'),
  });
  const column = (path: AttrPath) => {
    const target = targets.resolve(path);
    return target?.kind === 'scalar' ? target.column : target?.kind;
  };

  it('resolves short core paths whatever their case (RFC 7643 §2.1)', () => {
    expect(column({ attribute: 'userName' })).toBe('u.user_name');
    expect(column({ attribute: 'USERNAME' })).toBe('u.user_name');
    expect(column({ attribute: 'Name', subAttribute: 'GivenName' })).toBe('u.given_name');
  });

  it('resolves URN-qualified paths, comparing the URN case-insensitively', () => {
    expect(column({ schema: CORE, attribute: 'userName' })).toBe('u.user_name');
    expect(column({ schema: CORE.toLowerCase(), attribute: 'name', subAttribute: 'givenName' })).toBe('u.given_name');
    expect(column({ schema: ENTERPRISE, attribute: 'employeeNumber' })).toBe('u.employee_number');
    expect(column({ schema: ENTERPRISE.toUpperCase(), attribute: 'EMPLOYEENUMBER' })).toBe('u.employee_number');
    expect(column({ schema: ENTERPRISE, attribute: 'manager' })).toBe('u.manager_id');
    expect(column({ schema: OTHER, attribute: 'department' })).toBe('u.other_department');
  });

  it('resolves the short path of an extension attribute only when exactly one extension has it', () => {
    expect(column({ attribute: 'employeeNumber' })).toBe('u.employee_number');
    expect(column({ attribute: 'manager' })).toBe('u.manager_id');
    expect(column({ attribute: 'department' })).toBeUndefined();
  });

  it('prefers the core attribute for a short path that an extension also defines', () => {
    expect(column({ attribute: 'title' })).toBe('u.title');
    expect(column({ schema: ENTERPRISE, attribute: 'title' })).toBe('u.ent_title');
  });

  it('does not look a core attribute up under an extension URN, nor under an unknown one', () => {
    expect(column({ schema: ENTERPRISE, attribute: 'userName' })).toBeUndefined();
    expect(column({ schema: 'urn:example:unknown:2.0:User', attribute: 'userName' })).toBeUndefined();
  });

  it('falls back from a sub-attribute path to its multi-valued parent, never to a scalar one', () => {
    expect(targets.resolve({ attribute: 'emails', subAttribute: 'type' })).toBe(emails);
    expect(targets.resolve({ attribute: 'EMAILS', subAttribute: 'anything' })).toBe(emails);
    expect(targets.resolve({ attribute: 'userName', subAttribute: 'value' })).toBeUndefined();
    expect(targets.resolve({ attribute: 'name' })).toBeUndefined();
  });

  it('knows nothing of Object.prototype', () => {
    for (const attribute of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      expect(targets.resolve({ attribute })).toBeUndefined();
      expect(targets.resolve({ attribute: 'name', subAttribute: attribute })).toBeUndefined();
    }
  });

  it('refuses inconsistent maps when built', () => {
    expect(() => createFilterTargets(CORE, [], { 'urn:example:x:User:foo': col('x') })).toThrow('unknown schema');
    expect(() => createFilterTargets(CORE, [], { userName: col('a'), USERNAME: col('b') })).toThrow('defined twice');
    expect(() => createFilterTargets(CORE, [], { userName: col('a'), [`${CORE}:userName`]: col('b') })).toThrow(
      'defined twice',
    );
    expect(() =>
      createFilterTargets(CORE, [], { userName: { ...col('a'), normalize: (v: string) => v.toLowerCase() } }),
    ).toThrow('normalizedColumn and normalize go together');
    expect(() => createFilterTargets(CORE, [], { emails: { ...emails, defaultSubAttribute: 'display' } })).toThrow(
      'unknown default sub-attribute',
    );
    expect(() =>
      createFilterTargets(CORE, [], { emails: { ...emails, subAttributes: { value: col('a'), VALUE: col('b') } } }),
    ).toThrow('duplicate sub-attribute');
  });
});
