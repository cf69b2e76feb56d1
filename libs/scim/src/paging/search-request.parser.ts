import { ScimError } from '../errors/scim-error';
import { isPlainObject } from '../resource/safe-object.util';
import { SCIM_URN } from '../schema/scim.urns';
import { ListQuery, ListQueryLimits, parseListQuery } from './list-query.parser';

/** The members of a SearchRequest (RFC 7644 §3.4.3), as they are spelled there. */
const MEMBERS = ['attributes', 'excludedAttributes', 'filter', 'sortBy', 'sortOrder', 'startIndex', 'count'] as const;

/**
 * Reads a `POST …/.search` body (RFC 7644 §3.4.3) into the same query a GET reads from its URL, with the same rules
 * and limits: `schemas` must list the SearchRequest URN; `attributes` and `excludedAttributes` are lists of names (a
 * comma-separated string is taken too); `startIndex` and `count` are integers (as numbers or digits); member names are
 * matched case-insensitively; anything else in the body is ignored.
 */
export function parseSearchRequest(body: unknown, limits: ListQueryLimits): ListQuery {
  if (!isPlainObject(body)) throw ScimError.invalidSyntax('The request body must be a JSON object');
  const schemas = member(body, 'schemas');
  const urn = SCIM_URN.SEARCH_REQUEST.toLowerCase();
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === urn)) {
    throw ScimError.invalidSyntax(`The 'schemas' attribute must list ${SCIM_URN.SEARCH_REQUEST}`);
  }
  const query: Record<string, string> = {};
  for (const name of MEMBERS) {
    const value = member(body, name);
    if (value === undefined || value === null) continue;
    query[name] = asQueryText(name, value);
  }
  return parseListQuery(query, limits);
}

/** The value as the URL form of the same parameter would carry it. */
function asQueryText(name: (typeof MEMBERS)[number], value: unknown): string {
  switch (name) {
    case 'attributes':
    case 'excludedAttributes': {
      const list = Array.isArray(value) ? value : [value];
      if (!list.every((entry) => typeof entry === 'string' && !entry.includes(','))) {
        if (typeof value === 'string') return value;
        throw ScimError.invalidValue(`'${name}' must be a list of attribute names`);
      }
      return list.join(',');
    }
    case 'startIndex':
    case 'count':
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      if (typeof value === 'string') return value;
      throw ScimError.invalidValue(`'${name}' must be an integer`);
    default:
      if (typeof value !== 'string') throw ScimError.invalidValue(`'${name}' must be a string`);
      return value;
  }
}

function member(body: Record<string, unknown>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(body, name)) return body[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(body).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : body[key];
}
