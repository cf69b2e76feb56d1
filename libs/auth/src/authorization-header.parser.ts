import type { IncomingMessage } from 'node:http';

// RFC 6750 §2.1 b64token.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const CREDENTIALS = /^([A-Za-z]+) +(\S+)$/;

/**
 * The token of an `Authorization` header value: `Bearer <token>`, or `Basic base64(<token>:)` with an empty
 * password as the product accepts it. Anything else (another scheme, a Basic login with a password, several values)
 * gives undefined. Tokens are only ever read from this header: never from the query string, the body or a cookie.
 */
export function extractToken(header: string | string[] | undefined): string | undefined {
  const parsed = parse(header);
  if (!parsed) return undefined;
  if (parsed.scheme === 'bearer') return B64TOKEN.test(parsed.credentials) ? parsed.credentials : undefined;
  if (parsed.scheme === 'basic') return tokenOfBasic(parsed.credentials);
  return undefined;
}

/** The token of a `Bearer <token>` header value only. */
export function extractBearerToken(header: string | string[] | undefined): string | undefined {
  const parsed = parse(header);
  return parsed?.scheme === 'bearer' && B64TOKEN.test(parsed.credentials) ? parsed.credentials : undefined;
}

/**
 * False when a request carries several Authorization headers: Node keeps only the first, and accepting it would let
 * a proxy and this server disagree about the credentials.
 */
export function hasSingleAuthorizationHeader(request: Pick<IncomingMessage, 'rawHeaders'>): boolean {
  const raw = request.rawHeaders;
  if (!Array.isArray(raw)) return true;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i].toLowerCase() === 'authorization') count++;
  return count <= 1;
}

function parse(header: string | string[] | undefined): { scheme: string; credentials: string } | undefined {
  if (typeof header !== 'string') return undefined;
  const match = CREDENTIALS.exec(header.trim());
  return match ? { scheme: match[1].toLowerCase(), credentials: match[2] } : undefined;
}

function tokenOfBasic(credentials: string): string | undefined {
  if (!BASE64.test(credentials)) return undefined;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon !== decoded.length - 1) return undefined;
  const token = decoded.slice(0, colon);
  return B64TOKEN.test(token) ? token : undefined;
}
