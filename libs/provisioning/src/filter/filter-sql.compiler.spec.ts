import fc from 'fast-check';
import {
  COMPARE_OPERATORS,
  createFilterTargets,
  FilterNode,
  FilterTargets,
  formatFilter,
  parseFilter,
  ScalarTarget,
  ScimError,
} from '@nest-scim/scim';
import { CompiledFilter, compileFilter, CompileFilterOptions } from './filter-sql.compiler';
import { ACME, ENTERPRISE, TableNames, userTargets } from './filter-database.fixture';
import * as publicApi from '../index';

const TABLES: TableNames = { users: 'users', emails: 'user_emails', groups: 'groups', members: 'group_members' };
const users = userTargets(TABLES);

function compile(filter: string, options?: CompileFilterOptions, targets: FilterTargets = users): CompiledFilter {
  return compileFilter(parseFilter(filter, { maxLength: Infinity }), targets, options);
}

function refusal(filter: string, targets: FilterTargets = users): ScimError {
  try {
    compile(filter, {}, targets);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('the filter was accepted');
}

function invalid(filter: string, targets?: FilterTargets): string {
  const error = refusal(filter, targets);
  expect([error.status, error.scimType]).toEqual([400, 'invalidFilter']);
  return error.detail;
}

/** Text equality as compiled: the values and their lengths (MySQL's collations pad with spaces). */
const EQ = (column: string, param: string) => `(${column} = ${param} AND LENGTH(${column}) = LENGTH(${param}))`;
const NE = (column: string, param: string) =>
  `(${column} IS NULL OR ${column} <> ${param} OR LENGTH(${column}) <> LENGTH(${param}))`;

const EMAILS = (where: string, alias = 'f_m0') =>
  `EXISTS (SELECT 1 FROM user_emails ${alias} WHERE ${alias}.user_id = u.id${where})`;

describe('compileFilter', () => {
  describe('strings', () => {
    it('compares a case-insensitive attribute through its normalised column when it has one', () => {
      expect(compile('userName eq "Bob@Contoso.COM"')).toEqual({
        where: EQ('u.user_name_lower', ':f0'),
        params: { f0: 'bob@contoso.com' },
      });
      expect(compile('UserName NE "Bob"')).toEqual({
        where: NE('u.user_name_lower', ':f0'),
        params: { f0: 'bob' },
      });
    });

    it('lower-cases both sides of a case-insensitive attribute without one', () => {
      expect(compile('displayName eq "Joy"')).toEqual({
        where: 'LOWER(u.display_name) = LOWER(:f0)',
        params: { f0: 'Joy' },
      });
      expect(compile('displayName gt "J"').where).toBe('LOWER(u.display_name) > LOWER(:f0)');
      expect(compile('displayName ge "J"').where).toBe('LOWER(u.display_name) >= LOWER(:f0)');
      expect(compile('displayName lt "J"').where).toBe('LOWER(u.display_name) < LOWER(:f0)');
      expect(compile('displayName le "J"').where).toBe('LOWER(u.display_name) <= LOWER(:f0)');
    });

    it('compares a case-exact attribute as it is', () => {
      expect(compile('externalId eq "Bob-Ext"')).toEqual({
        where: EQ('u.external_id', ':f0'),
        params: { f0: 'Bob-Ext' },
      });
      expect(compile('externalId ne "x"').where).toBe(NE('u.external_id', ':f0'));
      // Ordered by UTF-8 bytes: code point order on both databases, whatever the collation pads.
      expect(compile('externalId gt "x"').where).toBe('(u.external_id IS NOT NULL AND HEX(u.external_id) > HEX(:f0))');
      expect(compile('externalId le "x"').where).toBe('(u.external_id IS NOT NULL AND HEX(u.external_id) <= HEX(:f0))');
    });

    it('uses LIKE with ! escaping for case-insensitive substring matches', () => {
      const like = "LOWER(u.display_name) LIKE LOWER(:f0) ESCAPE '!'";
      expect(compile('displayName co "a%b_c!d"')).toEqual({ where: like, params: { f0: '%a!%b!_c!!d%' } });
      expect(compile('displayName sw "%"')).toEqual({ where: like, params: { f0: '!%%' } });
      expect(compile('displayName ew "_"')).toEqual({ where: like, params: { f0: '%!_' } });
      expect(compile(String.raw`displayName ew "\\"`)).toEqual({ where: like, params: { f0: '%\\' } });
    });

    it('avoids LIKE for case-exact substring matches, since SQLite LIKE ignores case', () => {
      expect(compile('externalId co "a%"')).toEqual({ where: 'INSTR(u.external_id, :f0) > 0', params: { f0: 'a%' } });
      expect(compile('externalId sw "a_"')).toEqual({ where: 'INSTR(u.external_id, :f0) = 1', params: { f0: 'a_' } });
      expect(compile('externalId ew "é😀x"')).toEqual({
        where: 'SUBSTR(u.external_id, :f0) = :f1',
        params: { f0: -3, f1: 'é😀x' },
      });
      expect(compile('externalId ew ""')).toEqual({ where: 'u.external_id IS NOT NULL', params: {} });
    });

    it('treats a reference like a string', () => {
      expect(compile('manager eq "u1"')).toEqual({ where: EQ('u.manager_id', ':f0'), params: { f0: 'u1' } });
    });

    it('refuses numbers, booleans against a string', () => {
      expect(invalid('userName eq 123')).toBe('Invalid filter: userName must be compared with a string');
      expect(invalid('userName eq true')).toBe('Invalid filter: userName must be compared with a string');
      expect(invalid('emails[type eq 1]')).toBe('Invalid filter: emails.type must be compared with a string');
    });
  });

  describe('null and pr', () => {
    it('turns eq null / ne null into IS NULL / IS NOT NULL', () => {
      expect(compile('title eq null')).toEqual({ where: 'u.title IS NULL', params: {} });
      expect(compile('title ne NULL')).toEqual({ where: 'u.title IS NOT NULL', params: {} });
      expect(compile('active eq null').where).toBe('u.active IS NULL');
    });

    it('refuses null with any other operator', () => {
      for (const op of ['co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']) {
        expect(invalid(`title ${op} null`)).toBe('Invalid filter: null can only be compared with eq or ne');
      }
    });

    it('treats an empty string as absent for pr on strings only', () => {
      expect(compile('title pr').where).toBe("(u.title IS NOT NULL AND u.title <> '')");
      expect(compile('active pr').where).toBe('u.active IS NOT NULL');
      expect(compile('meta.created pr').where).toBe('u.created IS NOT NULL');
    });
  });

  describe('booleans', () => {
    it('binds true and false', () => {
      expect(compile('active eq true')).toEqual({ where: 'u.active = :f0', params: { f0: true } });
      expect(compile('active ne false')).toEqual({
        where: '(u.active IS NULL OR u.active <> :f0)',
        params: { f0: false },
      });
    });

    it('accepts "true" and "false" as strings, in any case, because Entra writes booleans so', () => {
      expect(compile('active eq "False"').params).toEqual({ f0: false });
      expect(compile('active eq "TRUE"').params).toEqual({ f0: true });
    });

    it('refuses anything else, and operators other than eq and ne (RFC 7644 §3.4.2.2)', () => {
      expect(invalid('active eq "yes"')).toBe('Invalid filter: active must be compared with true or false');
      expect(invalid('active eq 1')).toBe('Invalid filter: active must be compared with true or false');
      for (const op of ['gt', 'ge', 'lt', 'le', 'co', 'sw', 'ew']) {
        expect(invalid(`active ${op} true`)).toBe(`Invalid filter: ${op} is not supported on boolean attribute active`);
      }
    });
  });

  describe('numbers', () => {
    it('binds integers and decimals', () => {
      expect(compile('level ge 3')).toEqual({ where: 'u.level >= :f0', params: { f0: 3 } });
      expect(compile('score lt 2.5')).toEqual({ where: 'u.score < :f0', params: { f0: 2.5 } });
      expect(compile('score eq 2')).toEqual({ where: 'u.score = :f0', params: { f0: 2 } });
    });

    it('refuses fractions for integers, strings for numbers, and substring operators', () => {
      const level = `${ACME}:level`;
      expect(invalid(`${level} eq 1.5`)).toBe(`Invalid filter: ${level} must be compared with an integer`);
      expect(invalid('level eq "3"')).toBe('Invalid filter: level must be compared with an integer');
      expect(invalid('level eq 1e300')).toBe('Invalid filter: level must be compared with an integer');
      expect(invalid('score eq "2.5"')).toBe('Invalid filter: score must be compared with a number');
      expect(invalid('level co 3')).toBe('Invalid filter: co is not supported on number attribute level');
    });
  });

  describe('dateTime', () => {
    it('binds a Date, or what formatDate makes of it', () => {
      expect(compile('meta.created gt "2011-05-13T04:42:34Z"')).toEqual({
        where: 'u.created > :f0',
        params: { f0: new Date('2011-05-13T04:42:34.000Z') },
      });
      const iso = { formatDate: (d: Date) => d.toISOString() };
      expect(compile('meta.created ge "2011-05-13T06:42:34.1234+02:00"', iso).params).toEqual({
        f0: '2011-05-13T04:42:34.123Z',
      });
      expect(compile('meta.created le "2011-05-13T00:00:00-05:30"', iso).params).toEqual({
        f0: '2011-05-13T05:30:00.000Z',
      });
      expect(compile('meta.created lt "2011-05-13t04:42:34"', iso).params).toEqual({ f0: '2011-05-13T04:42:34.000Z' });
      expect(compile('meta.created eq "2024-02-29T23:59:59.999Z"', iso).params).toEqual({
        f0: '2024-02-29T23:59:59.999Z',
      });
    });

    it.each([
      '"not-a-date"',
      '"2024-02-30T00:00:00Z"',
      '"2023-02-29T00:00:00Z"',
      '"2024-13-01T00:00:00Z"',
      '"2024-01-01T24:00:00Z"',
      '"2024-01-01T00:60:00Z"',
      '"2024-01-01T00:00:60Z"',
      '"2024-01-01T00:00:00+24:00"',
      '"2024-01-01"',
      '"2024-01-01 00:00:00"',
      '"1715000000"',
      '1715000000',
      'true',
    ])('refuses %s', (value) => {
      expect(invalid(`meta.created gt ${value}`)).toBe(
        'Invalid filter: meta.created must be compared with an ISO 8601 dateTime string',
      );
    });

    it('refuses substring operators', () => {
      expect(invalid('meta.created co "2024"')).toBe(
        'Invalid filter: co is not supported on dateTime attribute meta.created',
      );
    });
  });

  describe('logic', () => {
    it('keeps and/or grouping in parentheses and flattens chains of one operator', () => {
      expect(compile('title pr and active eq true').where).toBe(
        "((u.title IS NOT NULL AND u.title <> '') AND u.active = :f0)",
      );
      expect(compile('id eq "a" or id eq "b" or id eq "c"')).toEqual({
        where: `(${EQ('u.id', ':f0')} OR ${EQ('u.id', ':f1')} OR ${EQ('u.id', ':f2')})`,
        params: { f0: 'a', f1: 'b', f2: 'c' },
      });
      const [a, b, c] = [EQ('u.id', ':f0'), EQ('u.id', ':f1'), EQ('u.id', ':f2')];
      expect(compile('id eq "a" or id eq "b" and id eq "c"').where).toBe(`(${a} OR (${b} AND ${c}))`);
      expect(compile('(id eq "a" or id eq "b") and id eq "c"').where).toBe(`((${a} OR ${b}) AND ${c})`);
      expect(compile('id eq "a" or (id eq "b" or id eq "c")').where).toBe(`(${a} OR ${b} OR ${c})`);
    });

    it('compiles not so that an absent attribute counts as not matching', () => {
      expect(compile('not (title eq "x")').where).toBe('((LOWER(u.title) = LOWER(:f0)) IS NOT TRUE)');
      expect(compile('not (id eq "a" or id eq "b")').where).toBe(
        `(((${EQ('u.id', ':f0')} OR ${EQ('u.id', ':f1')})) IS NOT TRUE)`,
      );
    });

    it('compiles 10,000 or-clauses without deep recursion', () => {
      const filter = Array.from({ length: 10_000 }, (_, i) => `id eq "u${i}"`).join(' or ');
      const { where, params } = compile(filter);
      expect(Object.keys(params)).toHaveLength(10_000);
      expect(where.startsWith(`(${EQ('u.id', ':f0')} OR ${EQ('u.id', ':f1')} OR`)).toBe(true);
      expect(params.f9999).toBe('u9999');
    });
  });

  describe('multi-valued attributes', () => {
    it('puts the value filter and the compared sub-attribute in one EXISTS (Entra case 17)', () => {
      expect(compile('emails[type eq "work"].value eq "user@contoso.com"')).toEqual({
        where: EMAILS(' AND (LOWER(f_m0.type) = LOWER(:f0)) AND (LOWER(f_m0.value) = LOWER(:f1))'),
        params: { f0: 'work', f1: 'user@contoso.com' },
      });
    });

    it('puts a whole value filter in one EXISTS', () => {
      expect(compile('emails[type eq "work" and value co "@x"]')).toEqual({
        where: EMAILS(" AND ((LOWER(f_m0.type) = LOWER(:f0) AND LOWER(f_m0.value) LIKE LOWER(:f1) ESCAPE '!'))"),
        params: { f0: 'work', f1: '%@x%' },
      });
      expect(compile('emails[not (primary eq true)]').where).toBe(
        EMAILS(' AND (((f_m0.is_primary = :f0) IS NOT TRUE))'),
      );
    });

    it('compares the default sub-attribute when only the attribute is named', () => {
      expect(compile('emails eq "x"').where).toBe(EMAILS(' AND (LOWER(f_m0.value) = LOWER(:f0))'));
      expect(compile('emails.TYPE eq "x"').where).toBe(EMAILS(' AND (LOWER(f_m0.type) = LOWER(:f0))'));
    });

    it('reads pr on the attribute as "has any value", and on a sub-attribute as that sub-attribute present', () => {
      expect(compile('emails pr')).toEqual({ where: EMAILS(''), params: {} });
      expect(compile('emails.value pr').where).toBe(EMAILS(" AND ((f_m0.value IS NOT NULL AND f_m0.value <> ''))"));
    });

    it('tests pr on the compared sub-attribute of a filtered value', () => {
      expect(compile('emails[type eq "work"].value pr').where).toBe(
        EMAILS(" AND (LOWER(f_m0.type) = LOWER(:f0)) AND ((f_m0.value IS NOT NULL AND f_m0.value <> ''))"),
      );
    });

    it('refuses hand-built ASTs that the parser would not produce', () => {
      const typeEq: FilterNode = { kind: 'compare', path: { attribute: 'type' }, op: 'eq', value: 'x' };
      const nested: FilterNode = {
        kind: 'valuePath',
        path: { attribute: 'emails' },
        filter: { kind: 'valuePath', path: { attribute: 'emails' }, filter: typeEq },
      };
      expect(() => compileFilter(nested, users)).toThrow('Invalid filter: value filters cannot be nested');
      const qualified: FilterNode = {
        kind: 'valuePath',
        path: { attribute: 'emails' },
        filter: { ...typeEq, path: { attribute: 'emails', subAttribute: 'type' } },
      };
      expect(() => compileFilter(qualified, users)).toThrow(
        'Invalid filter: paths inside a value filter must be sub-attribute names',
      );
    });

    it('gives every EXISTS its own alias', () => {
      expect(compile('emails[type eq "work"] and emails[type eq "home"]').where).toBe(
        `(${EMAILS(' AND (LOWER(f_m0.type) = LOWER(:f0))')} AND ${EMAILS(' AND (LOWER(f_m1.type) = LOWER(:f1))', 'f_m1')})`,
      );
    });

    it('names parameters and aliases after the prefix, so two filters can share a query', () => {
      expect(compile('emails[type eq "work"].value eq "x"', { paramPrefix: 'q1' })).toEqual({
        where: EMAILS(' AND (LOWER(q1_m0.type) = LOWER(:q10)) AND (LOWER(q1_m0.value) = LOWER(:q11))', 'q1_m0'),
        params: { q10: 'work', q11: 'x' },
      });
      expect(() => compile('id pr', { paramPrefix: 'a; DROP' })).toThrow('paramPrefix must be an SQL identifier');
      expect(() => compile('id pr', { paramPrefix: '' })).toThrow('paramPrefix must be an SQL identifier');
    });

    it('refuses a multi-valued attribute without a default sub-attribute when compared as a whole', () => {
      const phones = createFilterTargets('urn:ietf:params:scim:schemas:core:2.0:User', [], {
        phoneNumbers: {
          kind: 'multi',
          table: 'phones',
          correlate: (a) => `${a}.user_id = u.id`,
          subAttributes: { value: { kind: 'scalar', column: '$.value', type: 'string', caseExact: false } },
        },
      });
      expect(invalid('phoneNumbers eq "1"', phones)).toBe(
        'Invalid filter: phoneNumbers needs a sub-attribute to compare',
      );
      expect(compile('phoneNumbers pr', {}, phones).where).toBe(
        'EXISTS (SELECT 1 FROM phones f_m0 WHERE f_m0.user_id = u.id)',
      );
    });
  });

  describe('singular complex attributes', () => {
    it('compiles a value filter on one to its sub-attribute columns', () => {
      expect(compile('name[givenName eq "Joy"]').where).toBe('LOWER(u.given_name) = LOWER(:f0)');
      expect(compile('name[givenName eq "Joy" or familyName pr]').where).toBe(
        "(LOWER(u.given_name) = LOWER(:f0) OR (u.family_name IS NOT NULL AND u.family_name <> ''))",
      );
      expect(compile('name[givenName eq "Joy"].familyName eq "Young"').where).toBe(
        '(LOWER(u.given_name) = LOWER(:f0) AND LOWER(u.family_name) = LOWER(:f1))',
      );
    });
  });

  describe('paths', () => {
    it('resolves URN-qualified and short extension paths to the same column', () => {
      const long = compile(`${ENTERPRISE}:employeeNumber eq "1"`);
      expect(long.where).toBe(EQ('u.employee_number', ':f0'));
      expect(compile('EmployeeNumber eq "1"')).toEqual(long);
      expect(compile('urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "a"').where).toBe(
        'LOWER(u.given_name) = LOWER(:f0)',
      );
    });

    it('compiles the Entra lookups', () => {
      expect(compile('id eq "a" and manager eq "b"')).toEqual({
        where: `(${EQ('u.id', ':f0')} AND ${EQ('u.manager_id', ':f1')})`,
        params: { f0: 'a', f1: 'b' },
      });
      expect(compile('externalId eq jyoung')).toEqual({ where: EQ('u.external_id', ':f0'), params: { f0: 'jyoung' } });
    });
  });

  describe('the allow-list', () => {
    it.each<[string, string]>([
      ['foo eq "x"', 'foo'],
      ['Foo.Bar pr', 'Foo.Bar'],
      ['name eq "x"', 'name'],
      ['name.middleName eq "x"', 'name.middleName'],
      ['emails.foo eq "x"', 'emails.foo'],
      ['emails[foo eq "x"]', 'emails.foo'],
      ['emails[type eq "work"].display eq "x"', 'emails.display'],
      ['name[middleName eq "x"]', 'name.middleName'],
      ['constructor eq "x"', 'constructor'],
      ['toString pr', 'toString'],
      ['emails.constructor eq "x"', 'emails.constructor'],
      ['emails[hasOwnProperty pr]', 'emails.hasOwnProperty'],
      ['urn:example:unknown:2.0:User:userName eq "x"', 'urn:example:unknown:2.0:User:userName'],
      [`${ENTERPRISE}:userName eq "x"`, `${ENTERPRISE}:userName`],
    ])('refuses %s without echoing the name %s', (filter, path) => {
      expect(invalid(filter)).toBe('Invalid filter: Unsupported filter attribute');
      expect(invalid(filter)).not.toContain(path);
    });

    it('refuses a value filter on an attribute without sub-attributes', () => {
      expect(invalid('userName[value eq "x"]')).toBe('Invalid filter: userName has no sub-attributes to filter on');
    });

    it('refuses sensitive attributes with 403 sensitive, wherever they appear (RFC 7644 §7.5.2)', () => {
      const sensitive = (s: ScalarTarget): ScalarTarget => ({ ...s, sensitive: true });
      const text: ScalarTarget = { kind: 'scalar', column: '$.value', type: 'string', caseExact: true };
      const targets = createFilterTargets('urn:ietf:params:scim:schemas:core:2.0:User', [], {
        password: sensitive({ ...text, column: 'u.password' }),
        userName: { ...text, column: 'u.user_name' },
        x509Certificates: {
          kind: 'multi',
          table: 'certs',
          correlate: (a) => `${a}.user_id = u.id`,
          subAttributes: { value: sensitive(text), type: text },
          defaultSubAttribute: 'value',
        },
        secrets: {
          kind: 'multi',
          table: 'secrets',
          correlate: (a) => `${a}.user_id = u.id`,
          subAttributes: { type: text },
          sensitive: true,
        },
      });
      for (const filter of [
        'password eq "hunter2"',
        'PASSWORD pr',
        'userName eq "a" or not (password sw "hunter2")',
        'x509Certificates eq "hunter2"',
        'x509Certificates[value eq "hunter2"]',
        'x509Certificates[type eq "a"].value eq "hunter2"',
        'secrets pr',
        'secrets[type eq "hunter2"]',
      ]) {
        const error = refusal(filter, targets);
        expect(error.toBody()).toEqual({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
          status: '403',
          scimType: 'sensitive',
          detail: 'Filtering on a sensitive attribute is not allowed',
        });
      }
      expect(compile('x509Certificates.type eq "a"', {}, targets).params).toEqual({ f0: 'a' });
    });
  });

  describe('values never reach the SQL text', () => {
    it('gives the same SQL for any two values of the same filter shape', () => {
      const paths = ['userName', 'displayName', 'externalId', 'emails', 'emails[type eq "work"].value', 'manager'];
      // Any text but NUL, which filters refuse.
      const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).filter((t) => !t.includes('\u0000'));
      fc.assert(
        fc.property(fc.constantFrom(...paths), fc.constantFrom(...COMPARE_OPERATORS), text, text, (path, op, a, b) => {
          const first = compile(`${path} ${op} ${JSON.stringify(a)}`);
          const second = compile(`${path} ${op} ${JSON.stringify(b)}`);
          expect(first.where).toBe(second.where);
          expect(first.where).toMatch(/^[A-Za-z0-9_.:(),'!<>= ]+$/);
        }),
        { numRuns: 1000 },
      );
    });

    it('keeps injection attempts in the parameters', () => {
      expect(compile(String.raw`userName eq "x\" or 1 eq 1"`)).toEqual({
        where: EQ('u.user_name_lower', ':f0'),
        params: { f0: 'x" or 1 eq 1' },
      });
      expect(compile(String.raw`displayName eq "x\"); DROP TABLE users;--"`)).toEqual({
        where: 'LOWER(u.display_name) = LOWER(:f0)',
        params: { f0: 'x"); DROP TABLE users;--' },
      });
    });

    it('never echoes a value in an error detail', () => {
      for (const filter of [
        'userName eq 1234567',
        'active eq "hunter2"',
        'meta.created gt "hunter2"',
        'level eq "hunter2"',
        'foo eq "hunter2"',
        'emails[foo eq "hunter2"]',
        'emails[type eq "hunter2"].foo eq "hunter2"',
      ]) {
        expect(invalid(filter)).not.toMatch(/hunter2|1234567/);
      }
    });
  });

  it('is reachable through the package index', () => {
    const targets = createFilterTargets('urn:ietf:params:scim:schemas:core:2.0:User', [], {
      userName: { kind: 'scalar', column: 'u.user_name', type: 'string', caseExact: false },
    });
    expect(publicApi.compileFilter(parseFilter('userName sw "a"'), targets)).toEqual({
      where: "LOWER(u.user_name) LIKE LOWER(:f0) ESCAPE '!'",
      params: { f0: 'a%' },
    });
    expect(formatFilter(parseFilter('USERNAME SW "a"'))).toBe('USERNAME sw "a"');
  });
});
