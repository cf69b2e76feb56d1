import type { FilterNode } from '../filter/filter.ast';
import { findAttribute } from '../schema/schema.registry';
import { USER_SCHEMA } from '../schema/user.schema';
import { matchesValueFilter, seedFromValueFilter } from './value-filter.evaluator';

const emails = findAttribute(USER_SCHEMA.attributes, 'emails')!;
const eq = (attribute: string, value: string | boolean | null): FilterNode => ({
  kind: 'compare',
  path: { attribute },
  op: 'eq',
  value,
});

describe('matchesValueFilter', () => {
  const work = { type: 'work', value: 'Alice@Contoso.com', primary: true };

  it('compares strings case-insensitively where the sub-attribute is not caseExact', () => {
    expect(matchesValueFilter(work, eq('type', 'WORK'), emails)).toBe(true);
    expect(
      matchesValueFilter(
        work,
        { kind: 'compare', path: { attribute: 'value' }, op: 'ew', value: '@contoso.com' },
        emails,
      ),
    ).toBe(true);
    expect(
      matchesValueFilter(work, { kind: 'compare', path: { attribute: 'value' }, op: 'sw', value: 'bob' }, emails),
    ).toBe(false);
  });

  it('handles booleans, null, presence and logic', () => {
    expect(matchesValueFilter(work, eq('primary', true), emails)).toBe(true);
    expect(matchesValueFilter(work, eq('primary', 'true'), emails)).toBe(false);
    expect(matchesValueFilter(work, eq('display', null), emails)).toBe(true);
    expect(matchesValueFilter(work, { kind: 'present', path: { attribute: 'display' } }, emails)).toBe(false);
    expect(
      matchesValueFilter(
        work,
        { kind: 'and', left: eq('type', 'work'), right: { kind: 'not', filter: eq('primary', false) } },
        emails,
      ),
    ).toBe(true);
    expect(matchesValueFilter(work, { kind: 'or', left: eq('type', 'home'), right: eq('type', 'other') }, emails)).toBe(
      false,
    );
  });
});

describe('seedFromValueFilter', () => {
  it('turns eq comparisons joined by and into a record', () => {
    expect(seedFromValueFilter(eq('type', 'work'))).toEqual({ type: 'work' });
    expect(seedFromValueFilter({ kind: 'and', left: eq('type', 'work'), right: eq('primary', true) })).toEqual({
      type: 'work',
      primary: true,
    });
  });

  it('refuses anything that does not name one record', () => {
    expect(seedFromValueFilter({ kind: 'or', left: eq('type', 'work'), right: eq('type', 'home') })).toBeUndefined();
    expect(seedFromValueFilter({ kind: 'and', left: eq('type', 'work'), right: eq('type', 'home') })).toBeUndefined();
    expect(seedFromValueFilter({ kind: 'compare', path: { attribute: 'type' }, op: 'co', value: 'w' })).toBeUndefined();
    expect(seedFromValueFilter(eq('type', null))).toBeUndefined();
  });
});
