import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ScimError } from '../errors/scim-error';
import { SCIM_CONTENT_TYPE, SCIM_ERROR_SENT } from './scim.constants';
import { NO_STORAGE_ERRORS, SCIM_STORAGE_ERRORS, ScimStorageErrorClassifier } from './scim-storage-errors';

/**
 * Maps anything thrown while serving a SCIM request to an RFC 7644 error (§3.12); `storage` says which errors of the
 * host's storage are a uniqueness conflict or an outage.
 */
export function toScimError(error: unknown, storage: ScimStorageErrorClassifier = NO_STORAGE_ERRORS): ScimError {
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
  switch (storage.classify(error)) {
    case 'uniqueness':
      return ScimError.uniqueness('A resource with this value already exists');
    case 'unavailable':
      return new ScimError(503, 'The service is temporarily unavailable; retry later', undefined, {
        'Retry-After': '5',
      });
    default:
      return new ScimError(500, 'Internal server error');
  }
}

/**
 * The SCIM endpoint's one exception filter, scoped to its controllers so a host's own filters are untouched. Logs
 * what went wrong without the request's values: storage errors are logged by the code the classifier gives, never by
 * message, because driver messages quote the values that were bound (a userName, an email).
 */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Scim');

  constructor(
    @Optional() @Inject(SCIM_STORAGE_ERRORS) private readonly storage: ScimStorageErrorClassifier = NO_STORAGE_ERRORS,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const storage = this.storage ?? NO_STORAGE_ERRORS;
    const error = toScimError(exception, storage);
    (request as unknown as Record<symbol, unknown>)[SCIM_ERROR_SENT] = error;
    if (error.status >= 500) {
      const code = storage.codeOf(exception);
      const name = exception instanceof Error ? exception.name : typeof exception;
      this.logger.error(
        `${request.method} ${request.path} failed with ${error.status}: ${name}${code ? ` (${code})` : ''}`,
        exception instanceof ScimError || code ? undefined : (exception as Error | undefined)?.stack,
      );
    }
    if (response.headersSent) return;
    writeScimError(response, error);
  }
}

/**
 * Answers with a SCIM error as the endpoint's filter does (status, the error's headers, the RFC 7644 body in
 * application/scim+json), and marks it on the request for whoever reports on the answer. For a middleware of the
 * host that refuses a SCIM request before the endpoint's own pipeline.
 */
export function sendScimError(request: Request, response: Response, error: ScimError): void {
  (request as unknown as Record<symbol, unknown>)[SCIM_ERROR_SENT] = error;
  writeScimError(response, error);
}

function writeScimError(response: Response, error: ScimError): void {
  response.status(error.status);
  for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
  response.setHeader('Content-Type', SCIM_CONTENT_TYPE);
  response.send(JSON.stringify(error.toBody()));
}
