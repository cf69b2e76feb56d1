import { ScimError } from '../errors/scim-error';
import { parseListQuery } from './list-query.parser';

const limits = { defaultCount: 100, maxCount: 200 };

describe('parseListQuery (RFC 7644 §3.4.2)', () => {
  it('defaults: startIndex 1, the default count, no filter', () => {
    expect(parseListQuery({}, limits)).toEqual({ startIndex: 1, count: 100, attributes: [], excludedAttributes: [] });
  });

  it('passes the filter through raw', () => {
    const query = parseListQuery({ filter: 'userName eq "0f1c4a4e-random-guid"' }, limits);
    expect(query.filter).toBe('userName eq "0f1c4a4e-random-guid"');
  });

  it('reads excludedAttributes=members', () => {
    const query = parseListQuery({ excludedAttributes: 'members', filter: 'displayName eq "x"' }, limits);
    expect(query.excludedAttributes).toEqual(['members']);
  });

  it('reads attributes as a trimmed list', () => {
    expect(parseListQuery({ attributes: 'userName, emails' }, limits).attributes).toEqual(['userName', 'emails']);
  });

  it('clamps out-of-range numbers', () => {
    expect(parseListQuery({ startIndex: '1', count: '2' }, limits)).toMatchObject({ startIndex: 1, count: 2 });
    expect(parseListQuery({ startIndex: '0' }, limits).startIndex).toBe(1);
    expect(parseListQuery({ startIndex: '-5' }, limits).startIndex).toBe(1);
    expect(parseListQuery({ startIndex: '99999999' }, limits).startIndex).toBe(99999999);
    expect(parseListQuery({ startIndex: '123456789012345678901234567890' }, limits).startIndex).toBe(
      Number.MAX_SAFE_INTEGER,
    );
    expect(parseListQuery({ count: '0' }, limits).count).toBe(0);
    expect(parseListQuery({ count: '-1' }, limits).count).toBe(0);
    expect(parseListQuery({ count: '1000000' }, limits).count).toBe(200);
    expect(parseListQuery({}, { defaultCount: 500, maxCount: 200 }).count).toBe(200);
  });

  it('refuses non-integer numbers with 400 invalidValue rather than guessing', () => {
    for (const query of [{ count: 'ten' }, { startIndex: '1.5' }, { count: '1e3' }, { startIndex: '0x10' }]) {
      try {
        parseListQuery(query, limits);
        throw new Error('expected a ScimError');
      } catch (error) {
        expect(error).toBeInstanceOf(ScimError);
        expect((error as ScimError).scimType).toBe('invalidValue');
      }
    }
  });

  it('refuses a parameter given twice (Express hands over an array)', () => {
    expect(() => parseListQuery({ count: ['1', '2'] }, limits)).toThrow(ScimError);
    expect(() => parseListQuery({ filter: ['a eq "1"', 'b eq "2"'] }, limits)).toThrow(ScimError);
    expect(() => parseListQuery({ count: '1', COUNT: '2' }, limits)).toThrow(ScimError);
  });

  it('matches parameter names case-insensitively', () => {
    expect(parseListQuery({ StartIndex: '3', COUNT: '4', Filter: 'x pr' }, limits)).toMatchObject({
      startIndex: 3,
      count: 4,
      filter: 'x pr',
    });
  });

  it('reads sortBy/sortOrder; a sortOrder that is neither is invalidValue', () => {
    expect(parseListQuery({ sortBy: 'userName', sortOrder: 'Descending' }, limits)).toMatchObject({
      sortBy: 'userName',
      sortOrder: 'descending',
    });
    expect(() => parseListQuery({ sortOrder: 'sideways' }, limits)).toThrow(
      expect.objectContaining({ status: 400, scimType: 'invalidValue' }),
    );
    expect(parseListQuery({ sortBy: 'userName', sortOrder: '' }, limits).sortOrder).toBeUndefined();
  });

  it('treats an empty filter as no filter', () => {
    expect(parseListQuery({ filter: '  ' }, limits).filter).toBeUndefined();
  });
});
