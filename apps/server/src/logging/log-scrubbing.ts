/*
 * Last line of defence for log content. Request logs never hold headers, query strings or bodies; these helpers
 * cover what code logs by hand: a message quoting a credential, or a database error whose text quotes bound values.
 */

// A product token (`squ_`, `sqa_` or `sqp_` + 40 hex), wherever it appears: alone, inside a path
// (`/Users/squ_…`), glued to other text; the value of a Bearer or Basic Authorization header; a session cookie.
const PRODUCT_TOKEN = /(sq[uap])_[0-9a-f]{40}[0-9a-f]*/gi;
const AUTHORIZATION_VALUE = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi;
const SESSION_COOKIE = /\b(sq-session)=[^;\s,"]+/gi;

export function scrubSecrets(text: string): string {
  return text
    .replace(PRODUCT_TOKEN, '$1_[redacted]')
    .replace(AUTHORIZATION_VALUE, '$1 [redacted]')
    .replace(SESSION_COOKIE, '$1=[redacted]');
}

/** `scrubSecrets` applied to every string of a log record's fields (objects and arrays, a few levels deep). */
export function scrubFields<T>(value: T, depth = 4): T {
  if (typeof value === 'string') return scrubSecrets(value) as T;
  if (depth === 0 || value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => scrubFields(item, depth - 1)) as T;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const record = value as Record<string | symbol, unknown>;
  const cleaned: Record<string | symbol, unknown> = {};
  for (const key of Object.keys(record)) cleaned[key] = scrubFields(record[key], depth - 1);
  // Symbol-keyed fields are the logger's own bookkeeping: kept as they are.
  for (const key of Object.getOwnPropertySymbols(record)) cleaned[key] = record[key];
  return cleaned as T;
}

/**
 * Whether a client's request id could be a credential sent by mistake (or on purpose, to get it into the logs and
 * the audit trail): a product token, or a long run of letters and digits with no separator, the shape of random
 * secrets. Ordinary ids (UUIDs, `entra-sync-42`) pass; one that fails is replaced by a generated id.
 */
export function looksLikeSecret(text: string): boolean {
  return /sq[uap]_/i.test(text) || /[A-Za-z0-9]{32,}/.test(text);
}

interface LoggedError {
  type?: string;
  name?: string;
  message?: string;
  stack?: string;
  code?: unknown;
  errno?: unknown;
  sqlMessage?: unknown;
  sql?: unknown;
  query?: unknown;
  parameters?: unknown;
  driverError?: { code?: unknown };
}

/**
 * A driver or TypeORM error: its message may quote the values that were bound ("Duplicate entry 'alice@…'"), and
 * TypeORM's QueryFailedError carries the query and its parameters.
 */
function isDatabaseError(err: LoggedError): boolean {
  return (
    err.driverError !== undefined ||
    err.sqlMessage !== undefined ||
    err.sql !== undefined ||
    err.parameters !== undefined ||
    err.name === 'QueryFailedError' ||
    (typeof err.code === 'string' && /^(ER_|SQLITE_)/.test(err.code))
  );
}

/** What a log line shows of an error: its type and code for a database error, else its message and stack, scrubbed. */
export function serializeError(err: LoggedError): Record<string, unknown> {
  if (err === null || typeof err !== 'object') return { message: scrubSecrets(String(err)) };
  const type = err.type ?? err.name ?? err.constructor?.name;
  if (isDatabaseError(err)) {
    const code = err.driverError?.code ?? err.code;
    return { type, code, message: `database error${typeof code === 'string' ? ` ${code}` : ''}` };
  }
  return {
    type,
    message: typeof err.message === 'string' ? scrubSecrets(err.message) : undefined,
    stack: typeof err.stack === 'string' ? scrubSecrets(err.stack) : undefined,
  };
}
