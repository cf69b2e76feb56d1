import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isDatabaseUnavailable } from '@nest-scim/persistence';
import { sendRefusal } from './saml-pages';

const UNAVAILABLE = 'The service is temporarily unavailable; retry later';

/**
 * Refusals of the sign-in routes in one shape, a page or `{"errors":[…]}`: guards' refusals (401 without a session or
 * token, 403 for a non-admin) with their own status; a database that is down or silent as 503 with `Retry-After`, as
 * on every other route; anything else as a 500 that quotes nothing of the error.
 */
@Catch()
export class SamlHttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('SamlSignIn');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const message =
        typeof response === 'object' &&
        response !== null &&
        typeof (response as { message?: unknown }).message === 'string'
          ? (response as { message: string }).message
          : exception.message;
      sendRefusal(req, res, exception.getStatus(), message);
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn('Database unavailable during a sign-in request');
      res.set('Retry-After', '5');
      sendRefusal(req, res, HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE);
      return;
    }
    this.logger.error(exception instanceof Error ? exception.name : 'Unexpected error in a sign-in request');
    sendRefusal(req, res, HttpStatus.INTERNAL_SERVER_ERROR, 'The sign-in could not be completed');
  }
}
