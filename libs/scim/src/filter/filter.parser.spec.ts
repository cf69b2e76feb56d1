import fc from 'fast-check';
import { ScimError } from '../errors/scim-error';
import { AttrPath, attrPathKey, COMPARE_OPERATORS, CompareValue, FilterNode } from './filter.ast';
import { formatFilter } from './filter.formatter';
import { FilterLimits, parseFilter } from './filter.parser';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

function refusal(text: unknown, limits?: FilterLimits): ScimError {
  try {
    parseFilter(text as string, limits);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('the filter was accepted');
}

function detailOf(text: unknown, limits?: FilterLimits): string {
  const error = refusal(text, limits);
  expect(error.status).toBe(400);
  expect(error.scimType).toBe('invalidFilter');
  return error.detail;
}

function eq(path: AttrPath, value: CompareValue): FilterNode {
  return { kind: 'compare', path, op: 'eq', value };
}

const pr = (attribute: string): FilterNode => ({ kind: 'present', path: { attribute } });

/** Asserts the AST, and that writing it back out and reading it again gives the same AST. */
function expectParse(text: string, ast: FilterNode): void {
  const parsed = parseFilter(text);
  expect(parsed).toEqual(ast);
  expect(parseFilter(formatFilter(parsed))).toEqual(ast);
}

describe('parseFilter', () => {
  describe('comparisons', () => {
    it.each(COMPARE_OPERATORS)('reads the %s operator', (op) => {
      expectParse(`userName ${op} "x"`, { kind: 'compare', path: { attribute: 'userName' }, op, value: 'x' });
    });

    it('reads pr', () => {
      expectParse('title pr', pr('title'));
    });

    it('reads operators and literals in any case (RFC 7644 §3.4.2.2)', () => {
      expect(parseFilter('userName EQ "x"')).toEqual(eq({ attribute: 'userName' }, 'x'));
      expect(parseFilter('title PR')).toEqual(pr('title'));
      expect(parseFilter('active Eq TRUE')).toEqual(eq({ attribute: 'active' }, true));
      expect(parseFilter('active eq False')).toEqual(eq({ attribute: 'active' }, false));
      expect(parseFilter('title eq NULL')).toEqual(eq({ attribute: 'title' }, null));
      expect(parseFilter('a pr AND b pr Or c pr')).toEqual({
        kind: 'or',
        left: { kind: 'and', left: pr('a'), right: pr('b') },
        right: pr('c'),
      });
      expect(parseFilter('NOT (a pr)')).toEqual({ kind: 'not', filter: pr('a') });
    });

    it('keeps attribute names as written, for the compiler to match case-insensitively', () => {
      expect(parseFilter('UserName eq "x"')).toEqual(eq({ attribute: 'UserName' }, 'x'));
      expect(parseFilter('emails[Type eq "work"].Value eq "x"')).toEqual(
        eq({ attribute: 'emails', subAttribute: 'Value', valueFilter: eq({ attribute: 'Type' }, 'work') }, 'x'),
      );
    });

    it('offers a lower-cased key for case-insensitive lookups', () => {
      const key = (text: string) => {
        const node = parseFilter(text);
        return node.kind === 'compare' || node.kind === 'present' ? attrPathKey(node.path) : undefined;
      };
      expect(key('UserName eq "x"')).toBe('username');
      expect(key('Name.GivenName pr')).toBe('name.givenname');
      expect(key(`${ENTERPRISE}:Manager pr`)).toBe(`${ENTERPRISE.toLowerCase()}:manager`);
      expect(key('emails[type eq "work"].Value eq "x"')).toBe('emails.value');
    });

    it('reads JSON numbers, booleans and null', () => {
      expect(parseFilter('n eq 42')).toEqual(eq({ attribute: 'n' }, 42));
      expect(parseFilter('n eq -1.5e3')).toEqual(eq({ attribute: 'n' }, -1500));
      expect(parseFilter('n eq 0.25')).toEqual(eq({ attribute: 'n' }, 0.25));
      expect(parseFilter('n eq 0')).toEqual(eq({ attribute: 'n' }, 0));
      expect(parseFilter('b eq true')).toEqual(eq({ attribute: 'b' }, true));
      expect(parseFilter('b eq false')).toEqual(eq({ attribute: 'b' }, false));
      expect(parseFilter('b eq null')).toEqual(eq({ attribute: 'b' }, null));
    });

    it('reads a value right before a closing parenthesis or bracket', () => {
      expect(parseFilter('(n eq 1)')).toEqual(eq({ attribute: 'n' }, 1));
      expect(parseFilter('(b eq true)')).toEqual(eq({ attribute: 'b' }, true));
      expect(parseFilter('emails[primary eq true]')).toEqual({
        kind: 'valuePath',
        path: { attribute: 'emails' },
        filter: eq({ attribute: 'primary' }, true),
      });
    });

    it('tolerates extra whitespace and none around punctuation', () => {
      expect(parseFilter('  userName   eq\t"x"  ')).toEqual(eq({ attribute: 'userName' }, 'x'));
      expect(parseFilter('(a pr)and(b pr)')).toEqual({ kind: 'and', left: pr('a'), right: pr('b') });
    });
  });

  describe('the filters Entra ID sends', () => {
    it('Test Connection and user lookup by userName (cases 1, 12, 13)', () => {
      expectParse(
        'userName eq "0f1c4a4e-1b2c-4d5e-8f90-123456789abc"',
        eq({ attribute: 'userName' }, '0f1c4a4e-1b2c-4d5e-8f90-123456789abc'),
      );
      expectParse('userName eq "non-existent user"', eq({ attribute: 'userName' }, 'non-existent user'));
    });

    it('mixed-case attribute and operator (case 16)', () => {
      expect(parseFilter('UserName EQ "x"')).toEqual(eq({ attribute: 'UserName' }, 'x'));
      expect(parseFilter('userName EQ "x"')).toEqual(eq({ attribute: 'userName' }, 'x'));
    });

    it('an unquoted externalId, as printed in the tutorial (case 14)', () => {
      expect(parseFilter('externalId eq jyoung')).toEqual(eq({ attribute: 'externalId' }, 'jyoung'));
      expect(parseFilter('externalId eq jyoung@testuser.com')).toEqual(
        eq({ attribute: 'externalId' }, 'jyoung@testuser.com'),
      );
      expect(parseFilter('externalId eq jyoung and active eq true')).toEqual({
        kind: 'and',
        left: eq({ attribute: 'externalId' }, 'jyoung'),
        right: eq({ attribute: 'active' }, true),
      });
    });

    it('the work email (case 17)', () => {
      expectParse(
        'emails[type eq "work"].value eq "user@contoso.com"',
        eq(
          { attribute: 'emails', subAttribute: 'value', valueFilter: eq({ attribute: 'type' }, 'work') },
          'user@contoso.com',
        ),
      );
    });

    it('id and manager, in either order (case 18)', () => {
      const id = eq({ attribute: 'id' }, 'a0a0');
      const manager = eq({ attribute: 'manager' }, '00aa00aa-bb11-cc22-dd33-44ee44ee44ee');
      expectParse('id eq "a0a0" and manager eq "00aa00aa-bb11-cc22-dd33-44ee44ee44ee"', {
        kind: 'and',
        left: id,
        right: manager,
      });
      expectParse('manager eq "00aa00aa-bb11-cc22-dd33-44ee44ee44ee" and id eq "a0a0"', {
        kind: 'and',
        left: manager,
        right: id,
      });
    });

    it('group membership check (case 61) and group by displayName (cases 2, 50)', () => {
      expectParse('id eq "g" and members eq "u"', {
        kind: 'and',
        left: eq({ attribute: 'id' }, 'g'),
        right: eq({ attribute: 'members' }, 'u'),
      });
      expectParse('displayName eq "x"', eq({ attribute: 'displayName' }, 'x'));
    });

    it('URN-qualified paths: the URN is everything before the last colon', () => {
      expectParse(
        `${ENTERPRISE}:employeeNumber eq "701984"`,
        eq({ schema: ENTERPRISE, attribute: 'employeeNumber' }, '701984'),
      );
      expectParse(
        `${CORE_USER}:name.givenName eq "Barbara"`,
        eq({ schema: CORE_USER, attribute: 'name', subAttribute: 'givenName' }, 'Barbara'),
      );
      expectParse(
        'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:tag eq "t"',
        eq({ schema: 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User', attribute: 'tag' }, 't'),
      );
      expectParse(`${ENTERPRISE}:manager pr`, {
        kind: 'present',
        path: { schema: ENTERPRISE, attribute: 'manager' },
      });
    });
  });

  describe('the examples of RFC 7644 §3.4.2.2', () => {
    it.each([
      'userName eq "bjensen"',
      `name.familyName co "O'Malley"`,
      'userName sw "J"',
      'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
      'title pr',
      'meta.lastModified gt "2011-05-13T04:42:34Z"',
      'meta.lastModified ge "2011-05-13T04:42:34Z"',
      'meta.lastModified lt "2011-05-13T04:42:34Z"',
      'meta.lastModified le "2011-05-13T04:42:34Z"',
      'title pr and userType eq "Employee"',
      'title pr or userType eq "Intern"',
      'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      'userType eq "Employee" and (emails.type eq "work")',
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    ])('%s', (text) => {
      const ast = parseFilter(text);
      expect(parseFilter(formatFilter(ast))).toEqual(ast);
    });

    it('builds the RFC example with not and a value path as expected', () => {
      expect(
        parseFilter('userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")'),
      ).toEqual({
        kind: 'and',
        left: { kind: 'compare', path: { attribute: 'userType' }, op: 'ne', value: 'Employee' },
        right: {
          kind: 'not',
          filter: {
            kind: 'or',
            left: { kind: 'compare', path: { attribute: 'emails' }, op: 'co', value: 'example.com' },
            right: {
              kind: 'compare',
              path: { attribute: 'emails', subAttribute: 'value' },
              op: 'co',
              value: 'example.org',
            },
          },
        },
      });
    });

    it('allows grouping and not inside a value filter (RFC 7644 errata 7322)', () => {
      expectParse('emails[type eq "work" or (type eq "home" and value ew "@example.com")]', {
        kind: 'valuePath',
        path: { attribute: 'emails' },
        filter: {
          kind: 'or',
          left: eq({ attribute: 'type' }, 'work'),
          right: {
            kind: 'and',
            left: eq({ attribute: 'type' }, 'home'),
            right: { kind: 'compare', path: { attribute: 'value' }, op: 'ew', value: '@example.com' },
          },
        },
      });
      expectParse('emails[not (type eq "work")]', {
        kind: 'valuePath',
        path: { attribute: 'emails' },
        filter: { kind: 'not', filter: eq({ attribute: 'type' }, 'work') },
      });
    });
  });

  describe('precedence and grouping', () => {
    it('and binds tighter than or, on either side', () => {
      expectParse('a pr or b pr and c pr', {
        kind: 'or',
        left: pr('a'),
        right: { kind: 'and', left: pr('b'), right: pr('c') },
      });
      expectParse('a pr and b pr or c pr', {
        kind: 'or',
        left: { kind: 'and', left: pr('a'), right: pr('b') },
        right: pr('c'),
      });
    });

    it('chains associate to the left', () => {
      expectParse('a pr or b pr or c pr', {
        kind: 'or',
        left: { kind: 'or', left: pr('a'), right: pr('b') },
        right: pr('c'),
      });
      expectParse('a pr and b pr and c pr', {
        kind: 'and',
        left: { kind: 'and', left: pr('a'), right: pr('b') },
        right: pr('c'),
      });
    });

    it('parentheses override precedence and leave no node of their own', () => {
      expectParse('(a pr or b pr) and c pr', {
        kind: 'and',
        left: { kind: 'or', left: pr('a'), right: pr('b') },
        right: pr('c'),
      });
      expectParse('a pr or (b pr or c pr)', {
        kind: 'or',
        left: pr('a'),
        right: { kind: 'or', left: pr('b'), right: pr('c') },
      });
      expect(parseFilter('((a pr))')).toEqual(pr('a'));
    });

    it('not binds tighter than and', () => {
      expectParse('not (a pr) and b pr', { kind: 'and', left: { kind: 'not', filter: pr('a') }, right: pr('b') });
      expectParse('b pr or not (a pr or c pr)', {
        kind: 'or',
        left: pr('b'),
        right: { kind: 'not', filter: { kind: 'or', left: pr('a'), right: pr('c') } },
      });
      expect(parseFilter('not(a pr)')).toEqual({ kind: 'not', filter: pr('a') });
    });
  });

  describe('string literals are JSON strings', () => {
    it.each([
      [String.raw`"a\"b"`, 'a"b'],
      [String.raw`"\\"`, '\\'],
      [String.raw`"\/"`, '/'],
      [String.raw`"\b\f\n\r\t"`, '\b\f\n\r\t'],
      [String.raw`"\u00e9\u00C9"`, 'éÉ'],
      [String.raw`"\ud83d\ude00"`, '😀'],
      ['"é 😀 漢字"', 'é 😀 漢字'],
      ['""', ''],
      ['"with spaces and (parens) [brackets] and or not"', 'with spaces and (parens) [brackets] and or not'],
    ])('%s', (literal, value) => {
      expect(parseFilter(`displayName eq ${literal}`)).toEqual(eq({ attribute: 'displayName' }, value));
    });
  });

  describe('refusals', () => {
    it.each<[string, string]>([
      ['userName zz "x"', 'Invalid filter: expected a comparison operator at position 9'],
      ['userName', 'Invalid filter: expected a comparison operator at position 8'],
      ['userName "x"', 'Invalid filter: expected a comparison operator at position 9'],
      ['userName eq', 'Invalid filter: expected a comparison value at position 11'],
      ['userName eq )', 'Invalid filter: expected a comparison value at position 12'],
      ['(userName eq)', 'Invalid filter: expected a comparison value at position 12'],
      ['userName eq "abc', 'Invalid filter: unterminated string at position 12'],
      ['userName eq "abc\\"', 'Invalid filter: unterminated string at position 12'],
      ['userName eq "x" garbage', "Invalid filter: expected 'and', 'or' or the end of the filter at position 16"],
      ['userName eq "x" "y"', "Invalid filter: expected 'and', 'or' or the end of the filter at position 16"],
      ['userName eq "x")', "Invalid filter: expected 'and', 'or' or the end of the filter at position 15"],
      ['userName eq "x"]', "Invalid filter: expected 'and', 'or' or the end of the filter at position 15"],
      ['(userName eq "x"', "Invalid filter: expected 'and', 'or' or ')' at position 16"],
      ['userName eq "x" and', "Invalid filter: expected an attribute name, 'not' or '(' at position 19"],
      ['userName eq "x" or 5', "Invalid filter: expected an attribute name, 'not' or '(' at position 19"],
      ['and userName eq "x"', 'Invalid filter: expected a comparison operator at position 4'],
      [')', "Invalid filter: expected an attribute name, 'not' or '(' at position 0"],
      ['()', "Invalid filter: expected an attribute name, 'not' or '(' at position 1"],
      ['not userName eq "x"', "Invalid filter: expected '(' after 'not' at position 4"],
      ['not', "Invalid filter: expected '(' after 'not' at position 3"],
      ['userName # "x"', 'Invalid filter: unexpected character at position 9'],
      ['userName eq "x" && b pr', 'Invalid filter: unexpected character at position 16'],
      ['emails[type eq "work"', "Invalid filter: expected 'and', 'or' or ']' at position 21"],
      ['emails[type eq "work")', "Invalid filter: expected 'and', 'or' or ']' at position 21"],
      ['emails[]', "Invalid filter: expected an attribute name, 'not' or '(' at position 7"],
      ['emails[value[type eq "x"]]', 'Invalid filter: value filters cannot be nested at position 12'],
      [
        'emails[emails.type eq "work"]',
        'Invalid filter: expected a sub-attribute name inside a value filter at position 7',
      ],
      [
        `emails[${ENTERPRISE}:type eq "x"]`,
        'Invalid filter: expected a sub-attribute name inside a value filter at position 7',
      ],
      ['emails[type eq "work"].', 'Invalid filter: expected a sub-attribute name at position 23'],
      ['emails[type eq "work"].value', 'Invalid filter: expected a comparison operator at position 28'],
      ['emails[type eq "work"].value.x eq "y"', 'Invalid filter: expected a sub-attribute name at position 23'],
      ['emails[type eq "work"] eq "y"', "Invalid filter: expected 'and', 'or' or the end of the filter at position 23"],
      ['name.givenName[x eq "y"]', "Invalid filter: '[' must follow an attribute name at position 14"],
      ['name.givenName.x eq "a"', 'Invalid filter: invalid attribute path at position 0'],
      ['name..x eq "a"', 'Invalid filter: invalid attribute path at position 0'],
      ['name. eq "a"', 'Invalid filter: invalid attribute path at position 0'],
      ['foo:bar eq "a"', 'Invalid filter: invalid attribute path at position 0'],
      ['urn:x: eq "a"', 'Invalid filter: invalid attribute path at position 0'],
      ['a-b eq "x" and _x eq "y"', 'Invalid filter: unexpected character at position 15'],
      ['userName eq "\\x"', 'Invalid filter: invalid escape sequence at position 13'],
      ['userName eq "\\u12"', 'Invalid filter: invalid unicode escape at position 13'],
      ['userName eq "\\ud800"', 'Invalid filter: unpaired surrogate in a unicode escape at position 13'],
      ['userName eq "\\udc00\\ud800"', 'Invalid filter: unpaired surrogate in a unicode escape at position 13'],
      ['userName eq "a\u0001b"', 'Invalid filter: control character in a string at position 14'],
      [String.raw`userName co "\u0000"`, 'Invalid filter: NUL character in a string at position 13'],
      [String.raw`userName ew "a\u0000"`, 'Invalid filter: NUL character in a string at position 14'],
      ['userName eq "a\nb"', 'Invalid filter: control character in a string at position 14'],
      ['userName eq 01', 'Invalid filter: invalid number at position 12'],
      ['userName eq 1.', 'Invalid filter: invalid number at position 12'],
      ['userName eq -', 'Invalid filter: invalid number at position 12'],
      ['userName eq 12abc', 'Invalid filter: invalid number at position 12'],
      ['userName eq 1e999', 'Invalid filter: number out of range at position 12'],
      ['', 'Invalid filter: the filter is empty'],
      ['   ', 'Invalid filter: the filter is empty'],
    ])('%j', (text, detail) => {
      expect(detailOf(text)).toBe(detail);
    });

    it('refuses a filter given as anything but one string (a repeated query parameter)', () => {
      expect(detailOf(['userName eq "a"', 'userName eq "b"'])).toBe(
        'Invalid filter: the filter must be a single string',
      );
      expect(detailOf(undefined)).toBe('Invalid filter: the filter must be a single string');
    });

    it('never echoes the filter text in the detail', () => {
      const canary = 'hunter2';
      for (const text of [
        `password eq "${canary}`,
        `${canary} zz "x"`,
        `userName eq "x" ${canary}`,
        `userName eq ${canary} ${canary}`,
        `userName eq "${canary}\\q"`,
        `(userName eq "${canary}"`,
        `userName eq "${canary}" and ${canary}:x eq "y"`,
        `emails[value eq "${canary}"`,
        `${canary}[value[x eq "${canary}"]]`,
        `userName eq "${canary}" ${'or a pr '.repeat(600)}`,
      ]) {
        expect(detailOf(text)).not.toContain(canary);
      }
    });
  });

  describe('limits', () => {
    const timed = (run: () => void): number => {
      const started = process.hrtime.bigint();
      run();
      return Number(process.hrtime.bigint() - started) / 1e6;
    };

    it('accepts 4096 characters and refuses 4097 by default', () => {
      const exactly = (n: number) => `userName eq "${'a'.repeat(n - 'userName eq ""'.length)}"`;
      expect(exactly(4096)).toHaveLength(4096);
      expect(() => parseFilter(exactly(4096))).not.toThrow();
      expect(detailOf(exactly(4097))).toBe('Invalid filter: the filter is longer than 4096 characters');
    });

    it('honours a caller-supplied maxLength', () => {
      expect(detailOf('userName eq "abc"', { maxLength: 10 })).toBe(
        'Invalid filter: the filter is longer than 10 characters',
      );
    });

    it('refuses 10,000 or-clauses by length, quickly', () => {
      const text = Array.from({ length: 10_000 }, (_, i) => `userName eq "u${i}"`).join(' or ');
      let detail = '';
      expect(timed(() => (detail = detailOf(text)))).toBeLessThan(200);
      expect(detail).toBe('Invalid filter: the filter is longer than 4096 characters');
    });

    it('reads a long flat chain without recursion when the caller allows the length', () => {
      const text = Array.from({ length: 10_000 }, (_, i) => `userName eq "u${i}"`).join(' or ');
      const ast = parseFilter(text, { maxLength: Infinity });
      let clauses = 1;
      for (let node = ast; node.kind === 'or'; node = node.left) clauses++;
      expect(clauses).toBe(10_000);
    });

    it('accepts 32 levels of parentheses and refuses the 33rd where it opens', () => {
      expect(parseFilter(`${'('.repeat(32)}a pr${')'.repeat(32)}`)).toEqual(pr('a'));
      expect(detailOf(`${'('.repeat(33)}a pr${')'.repeat(33)}`)).toBe(
        'Invalid filter: nesting deeper than 32 levels at position 32',
      );
    });

    it('counts not, its parenthesis and value-path brackets as levels', () => {
      expect(() => parseFilter(`${'not ('.repeat(16)}a pr${')'.repeat(16)}`)).not.toThrow();
      expect(detailOf(`${'not ('.repeat(16)}not (a pr)${')'.repeat(16)}`)).toBe(
        'Invalid filter: nesting deeper than 32 levels at position 80',
      );
      expect(() => parseFilter(`${'('.repeat(31)}emails[type pr]${')'.repeat(31)}`)).not.toThrow();
      expect(detailOf(`${'('.repeat(32)}emails[type pr]${')'.repeat(32)}`)).toBe(
        'Invalid filter: nesting deeper than 32 levels at position 38',
      );
      expect(detailOf(`emails[${'('.repeat(32)}type pr${')'.repeat(32)}]`)).toBe(
        'Invalid filter: nesting deeper than 32 levels at position 38',
      );
    });

    it('honours a caller-supplied maxDepth, up to a hard ceiling of 256', () => {
      expect(detailOf('((a pr))', { maxDepth: 1 })).toBe('Invalid filter: nesting deeper than 1 levels at position 1');
      const deep = (n: number) => `${'('.repeat(n)}a pr${')'.repeat(n)}`;
      expect(() => parseFilter(deep(256), { maxDepth: 1e9, maxLength: Infinity })).not.toThrow();
      expect(detailOf(deep(257), { maxDepth: 1e9, maxLength: Infinity })).toBe(
        'Invalid filter: nesting deeper than 256 levels at position 256',
      );
    });

    it('refuses 100 KB of "(" in milliseconds, by length and, with no length cap, by depth', () => {
      const text = '('.repeat(100_000);
      let detail = '';
      expect(timed(() => (detail = detailOf(text)))).toBeLessThan(200);
      expect(detail).toBe('Invalid filter: the filter is longer than 4096 characters');
      expect(timed(() => (detail = detailOf(text, { maxLength: Infinity })))).toBeLessThan(200);
      expect(detail).toBe('Invalid filter: nesting deeper than 32 levels at position 32');
    });

    it('refuses 100 KB of "not (not (…" in milliseconds', () => {
      const text = `${'not ('.repeat(20_000)}a pr${')'.repeat(20_000)}`;
      let detail = '';
      expect(timed(() => (detail = detailOf(text, { maxLength: Infinity })))).toBeLessThan(200);
      expect(detail).toBe('Invalid filter: nesting deeper than 32 levels at position 80');
      expect(detailOf(text)).toBe('Invalid filter: the filter is longer than 4096 characters');
    });

    it('refuses 1,000 nested value-filter groups and nested value paths', () => {
      const groups = `emails[${'value eq "a" and ('.repeat(1000)}type pr${')'.repeat(1000)}]`;
      expect(detailOf(groups, { maxLength: Infinity })).toMatch(/^Invalid filter: nesting deeper than 32 levels/);
      const paths = `${'emails[value eq "a" and '.repeat(1000)}type pr${']'.repeat(1000)}`;
      expect(detailOf(paths, { maxLength: Infinity })).toBe(
        'Invalid filter: value filters cannot be nested at position 30',
      );
    });
  });

  describe('hostile values are read as plain data', () => {
    it.each<[string, CompareValue]>([
      [String.raw`userName eq "x\" or 1 eq 1"`, 'x" or 1 eq 1'],
      [`userName eq "a' OR '1'='1"`, "a' OR '1'='1"],
      [String.raw`userName eq "\u0001\u001f"`, '\u0001\u001f'],
      [String.raw`displayName eq "x\"); DROP TABLE users;--"`, 'x"); DROP TABLE users;--'],
      ['userName sw "%"', '%'],
      ['userName co "_"', '_'],
      [String.raw`userName ew "\\"`, '\\'],
      ['userName eq 123', 123],
      ['userName eq true', true],
      ['userName eq null', null],
      ['meta.lastModified gt "not-a-date"', 'not-a-date'],
      ['active eq "yes"', 'yes'],
    ])('%s', (text, value) => {
      const ast = parseFilter(text);
      expect(ast.kind === 'compare' && ast.value).toEqual(value);
    });

    it('reads an injection attempt written as a bare word as one string, not as filter syntax', () => {
      expect(parseFilter("userName eq a'OR'1'='1")).toEqual(eq({ attribute: 'userName' }, "a'OR'1'='1"));
      expect(detailOf('userName eq x or 1 eq 1')).toBe(
        "Invalid filter: expected an attribute name, 'not' or '(' at position 17",
      );
    });
  });

  describe('properties', () => {
    const name = fc.constantFrom('userName', 'DISPLAYNAME', 'title', 'x509Certificates', 'a-b_c', '$ref');
    const value: fc.Arbitrary<CompareValue> = fc.oneof(
      // Any text but NUL, which filters refuse.
      fc.string({ unit: 'binary', maxLength: 12 }).map((t) => t.split('\u0000').join('')),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const op = fc.constantFrom(...COMPARE_OPERATORS);
    const path: fc.Arbitrary<AttrPath> = fc.record(
      {
        schema: fc.constantFrom(ENTERPRISE, CORE_USER),
        attribute: name,
        subAttribute: name,
      },
      { requiredKeys: ['attribute'] },
    );
    const simple = (p: fc.Arbitrary<AttrPath>): fc.Arbitrary<FilterNode> =>
      fc.oneof(
        fc.record({ kind: fc.constant('present' as const), path: p }),
        fc.record({ kind: fc.constant('compare' as const), path: p, op, value }),
      );
    const inner = fc.letrec<{ node: FilterNode }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        simple(fc.record({ attribute: name })),
        fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('node'), right: tie('node') }),
        fc.record({ kind: fc.constant('not' as const), filter: tie('node') }),
      ),
    })).node;
    const filter = fc.letrec<{ node: FilterNode }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        simple(path),
        fc.record({ kind: fc.constant('valuePath' as const), path: fc.record({ attribute: name }), filter: inner }),
        fc.tuple(name, name, inner, op, value).map(([attribute, subAttribute, valueFilter, o, v]): FilterNode => ({
          kind: 'compare',
          path: { attribute, subAttribute, valueFilter },
          op: o,
          value: v,
        })),
        fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('node'), right: tie('node') }),
        fc.record({ kind: fc.constant('not' as const), filter: tie('node') }),
      ),
    })).node;

    it('reads back what formatFilter writes', () => {
      fc.assert(
        fc.property(filter, (ast) => {
          expect(parseFilter(formatFilter(ast), { maxLength: Infinity, maxDepth: 256 })).toEqual(ast);
        }),
        { numRuns: 500 },
      );
    });

    it('either returns an AST or throws a 400 invalidFilter, whatever the input', () => {
      const alphabet = fc.constantFrom(...'ab eqornt()[]."\\:u0-1 pr'.split(''), 'and ', 'not (', 'emails[', '"x"');
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string({ unit: 'binary' }),
            fc.array(alphabet).map((a) => a.join('')),
          ),
          (text) => {
            try {
              parseFilter(text);
            } catch (error) {
              expect(error).toBeInstanceOf(ScimError);
              expect((error as ScimError).scimType).toBe('invalidFilter');
            }
          },
        ),
        { numRuns: 2000 },
      );
    });
  });
});
