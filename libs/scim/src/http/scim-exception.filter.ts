import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ScimError } from '../errors/scim-error';
import { SCIM_CONTENT_TYPE, SCIM_ERROR_SENT } from './scim.constants';

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  // A Galera node that is not (yet, or no longer) part of the primary component, or a server shutting down.
  'ER_UNKNOWN_COM_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);
const DUPLICATE_CODES = new Set(['ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown }; errno?: unknown } | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Maps anything thrown while serving a SCIM request to an RFC 7644 error (§3.12). */
export function toScimError(error: unknown): ScimError {
  if (error instanceof ScimError) return error;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : typeof (response as { message?: unknown }).message === 'string'
          ? ((response as { message: string }).message as string)
          : error.message;
    if (status === 401) return ScimError.unauthorized(message);
    if (status === 429) {
      const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
      return new ScimError(429, message, undefined, retryAfter ? { 'Retry-After': String(retryAfter) } : {});
    }
    return new ScimError(status, message);
  }
  const status = (error as { status?: unknown; statusCode?: unknown })?.status;
  if (typeof status === 'number' && status === 401) return ScimError.unauthorized((error as Error).message);
  if (typeof status === 'number' && status === 403) return ScimError.forbidden((error as Error).message);
  const code = errorCode(error);
  if (code && DUPLICATE_CODES.has(code)) return ScimError.uniqueness('A resource with this value already exists');
  if (code && UNAVAILABLE_CODES.has(code)) {
    return new ScimError(503, 'The service is temporarily unavailable; retry later', undefined, { 'Retry-After': '5' });
  }
  return new ScimError(500, 'Internal server error');
}

/**
 * The SCIM endpoint's one exception filter, scoped to its controllers so a host's own filters are untouched. Logs
 * what went wrong without the request's values: database errors are logged by code, never by message, because driver
 * messages quote the values that were bound (a userName, an email).
 */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Scim');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const error = toScimError(exception);
    (request as unknown as Record<symbol, unknown>)[SCIM_ERROR_SENT] = error;
    if (error.status >= 500) {
      const code = errorCode(exception);
      const name = exception instanceof Error ? exception.name : typeof exception;
      this.logger.error(
        `${request.method} ${request.path} failed with ${error.status}: ${name}${code ? ` (${code})` : ''}`,
        exception instanceof ScimError || code ? undefined : (exception as Error | undefined)?.stack,
      );
    }
    if (response.headersSent) return;
    response.status(error.status);
    for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
    response.setHeader('Content-Type', SCIM_CONTENT_TYPE);
    response.send(JSON.stringify(error.toBody()));
  }
}
