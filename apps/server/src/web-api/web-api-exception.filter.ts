import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticationFailure } from '@nest-scim/auth';
import { DomainRuleError } from '@nest-scim/identity';
import { driverErrorCode, isDatabaseUnavailable } from '@nest-scim/persistence';
import { ScimEnableRefusedError } from '@nest-scim/provisioning';
import { SamlSettingsValidationError } from '@nest-scim/saml';
import { WebApiError, WebApiErrorMessage } from './web-api-error';

/** A Web API error answer: its status, its `{"errors":[…]}` entries and any headers. */
export interface RenderedWebApiError {
  status: number;
  errors: WebApiErrorMessage[];
  headers?: Record<string, string>;
}

/**
 * The one place where the Web API's errors get their shape, `{"errors":[{"msg":"…"}]}`: domain rules are 400 (404
 * when something named does not exist), authentication 401 (429 with Retry-After when sign-ins are throttled),
 * permissions 403. Anything unexpected is logged and answered without details. Bound to the Web API controllers.
 */
@Catch()
export class WebApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('WebApi');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const rendered = this.render(exception);
    if (response.headersSent) return;
    sendWebApiError(response, rendered);
  }

  private render(exception: unknown): RenderedWebApiError {
    if (exception instanceof WebApiError) return { status: exception.getStatus(), errors: exception.errors };
    if (exception instanceof DomainRuleError) {
      const status = exception.code === 'not_found' ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST;
      return { status, errors: [{ msg: exception.message }] };
    }
    if (exception instanceof AuthenticationFailure) return renderAuthenticationFailure(exception);
    if (exception instanceof SamlSettingsValidationError) {
      return {
        status: HttpStatus.BAD_REQUEST,
        errors: exception.errors.map((e) => ({ msg: e.message, field: e.key })),
      };
    }
    if (exception instanceof ScimEnableRefusedError) {
      return { status: HttpStatus.BAD_REQUEST, errors: exception.failures.map((f) => ({ msg: f.message })) };
    }
    // PermissionDenied, LicenseKeyRejectedError, LicenseRequiredError and Nest's own (404 of a route, …).
    if (exception instanceof HttpException) {
      return { status: exception.getStatus(), errors: [{ msg: messageOf(exception) }] };
    }
    // The database is down, silent or (a Galera node) out of the cluster: a temporary condition the client should
    // retry, not a server fault.
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`Database unavailable: ${databaseErrorCode(exception)}`);
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        errors: [{ msg: 'The service is temporarily unavailable; retry later' }],
        headers: { 'Retry-After': '5' },
      };
    }
    this.logger.error(exception instanceof Error ? exception : String(exception));
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      errors: [{ msg: 'An error has occurred. Please contact your administrator' }],
    };
  }
}

/** 401 with WWW-Authenticate, or 429 with Retry-After when the address or sign-in is throttled. */
export function renderAuthenticationFailure(exception: AuthenticationFailure): RenderedWebApiError {
  const headers: Record<string, string> =
    exception.reason === 'throttled'
      ? { 'Retry-After': String(exception.retryAfterSeconds ?? 1) }
      : { 'WWW-Authenticate': 'Bearer' };
  return { status: exception.getStatus(), errors: [{ msg: exception.message }], headers };
}

/** Sends a rendered error as every Web API error is sent. */
export function sendWebApiError(response: Response, rendered: RenderedWebApiError): void {
  if (rendered.headers) response.set(rendered.headers);
  response.status(rendered.status).json({ errors: rendered.errors });
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && typeof message[0] === 'string') return message.join('; ');
  return exception.message;
}

function databaseErrorCode(exception: unknown): string {
  return driverErrorCode(exception) ?? 'unknown';
}
