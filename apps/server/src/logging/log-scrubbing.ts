/*
 * Last line of defence for log content. Request logs never hold headers, query strings or bodies; these helpers
 * cover what code logs by hand: a message quoting a credential, or a database error whose text quotes bound values.
 */

// A product user token (`squ_` + 40 hex), and the value of a Bearer or Basic Authorization header.
const USER_TOKEN = /\bsqu_[0-9a-f]{40}\b/gi;
const AUTHORIZATION_VALUE = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi;

export function scrubSecrets(text: string): string {
  return text.replace(USER_TOKEN, 'squ_[redacted]').replace(AUTHORIZATION_VALUE, '$1 [redacted]');
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
