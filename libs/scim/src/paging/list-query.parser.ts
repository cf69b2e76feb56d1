import { ScimError } from '../errors/scim-error';
import { parseAttributeList } from '../resource/attribute-list.parser';

export interface ListQueryLimits {
  /** Page size when the client sends no `count`. */
  defaultCount: number;
  /** The advertised `filter.maxResults`; larger counts are clamped to it. */
  maxCount: number;
}

export interface ListQuery {
  /** 1-based (RFC 7644 §3.4.2.4). */
  startIndex: number;
  /** 0 asks for totalResults only. */
  count: number;
  /** The raw filter text, for the filter parser. */
  filter?: string;
  attributes: string[];
  excludedAttributes: string[];
  /** RFC 7644 §3.4.2.3: the attribute to sort by; `sortOrder` defaults to ascending when it is given. */
  sortBy?: string;
  sortOrder?: 'ascending' | 'descending';
}

const INTEGER = /^[+-]?\d+$/;

/**
 * Reads list query parameters (RFC 7644 §3.4.2). Out-of-range numbers are clamped as §3.4.2.4 says (startIndex < 1 →
 * 1, count < 0 → 0, count > max → max); text that is not an integer, or a parameter given twice, is a 400
 * `invalidValue` rather than a silent default, so a client never pages through the wrong window.
 */
export function parseListQuery(query: Record<string, unknown>, limits: ListQueryLimits): ListQuery {
  const read = (name: string): string | undefined => {
    // Parameter names are matched case-insensitively: Entra asks servers not to be case-sensitive on structure.
    const keys = Object.keys(query).filter((key) => key.toLowerCase() === name.toLowerCase());
    if (keys.length === 0) return undefined;
    const value = keys.length === 1 ? query[keys[0]] : keys.map((key) => query[key]);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw ScimError.invalidValue(`Query parameter '${name}' must be given once`);
    return value;
  };

  const startIndex = readInteger(read('startIndex'), 'startIndex');
  const count = readInteger(read('count'), 'count');
  const filter = read('filter');
  const sortBy = read('sortBy');
  const sortOrder = read('sortOrder')?.toLowerCase();
  const maxCount = Math.max(0, limits.maxCount);

  const result: ListQuery = {
    startIndex: startIndex === undefined || startIndex < 1 ? 1 : startIndex,
    count: Math.min(Math.max(count ?? limits.defaultCount, 0), maxCount),
    attributes: parseAttributeList(read('attributes')),
    excludedAttributes: parseAttributeList(read('excludedAttributes')),
  };
  if (filter !== undefined && filter.trim() !== '') result.filter = filter;
  if (sortBy !== undefined && sortBy.trim() !== '') result.sortBy = sortBy.trim();
  if (sortOrder === 'ascending' || sortOrder === 'descending') result.sortOrder = sortOrder;
  else if (sortOrder !== undefined && sortOrder.trim() !== '') {
    throw ScimError.invalidValue("Query parameter 'sortOrder' must be 'ascending' or 'descending'");
  }
  return result;
}

function readInteger(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const trimmed = text.trim();
  if (!INTEGER.test(trimmed)) throw ScimError.invalidValue(`Query parameter '${name}' must be an integer`);
  const value = Number(trimmed);
  // Digits beyond the safe range still mean "very large" or "very small"; clamp rather than lose precision.
  if (value > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
  if (value < Number.MIN_SAFE_INTEGER) return Number.MIN_SAFE_INTEGER;
  return value;
}
