/** Reads the `attributes` / `excludedAttributes` query parameters (RFC 7644 §3.4.2.5): comma-separated, trimmed. */
export function parseAttributeList(queryParam: string | undefined): string[] {
  if (!queryParam) return [];
  return queryParam
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}
