import { DomainRuleError } from './domain-rule.error';
import { normalizeGroupName, normalizeLogin } from './normalization.util';

describe('normalizeLogin', () => {
  it.each([
    ['Alice', 'alice'],
    ['ALICE', 'alice'],
    ['Ａｌｉｃｅ', 'alice'],
    ['alice@Corp.Example', 'alice@corp.example'],
    ['ǅemal', 'džemal'],
  ])('folds %j to %j', (login, key) => {
    expect(normalizeLogin(login)).toBe(key);
  });

  it('is idempotent', () => {
    for (const value of ['Ａｌｉｃｅ', 'İstanbul', 'Straße', 'ﬁle']) {
      const once = normalizeLogin(value);
      expect(normalizeLogin(once)).toBe(once);
    }
  });

  it.each(['\u200d', '\u200e', '\u2060', '\u00ad', '\u2028', '\u0007', '\ud800'])(
    'refuses the invisible or control character U+%s',
    (char) => {
      expect(() => normalizeLogin(`ab${char}c`)).toThrow(
        new DomainRuleError('invalid', 'Login must not contain control or invisible characters'),
      );
    },
  );

  it('names what it refuses', () => {
    expect(() => normalizeGroupName(' team')).toThrow('Group name must not start or end with whitespace');
    expect(() => normalizeLogin('', 'External login')).toThrow('External login must not be empty');
  });
});
