import { ScimError } from '../errors/scim-error';

/** RFC 7644 §3.14: weak ETags made of the resource version. */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** Reads an `If-Match` / `If-None-Match` header into its list of entity tags. */
export function parseEtagList(header: string | undefined): string[] | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const tags = header.match(/\*|(?:W\/)?"[^"]*"/g);
  if (!tags) throw ScimError.invalidSyntax('The If-Match or If-None-Match header is not a list of entity tags');
  return tags;
}

/** Weak comparison (RFC 9110 §8.8.3.2): `W/"3"` and `"3"` name the same version. */
export function etagMatches(tags: string[], version: number): boolean {
  const current = `"${version}"`;
  return tags.some((tag) => tag === '*' || tag.replace(/^W\//, '') === current);
}

/** Throws 412 when an `If-Match` was sent and the stored version is not among its tags. */
export function assertIfMatch(ifMatch: string[] | undefined, version: number): void {
  if (ifMatch && !etagMatches(ifMatch, version)) {
    throw new ScimError(412, 'The resource has changed since the version given in If-Match');
  }
}
