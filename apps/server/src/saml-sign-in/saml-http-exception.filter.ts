import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendRefusal } from './saml-pages';

/** Guards' refusals (401 without a session or token, 403 for a non-admin) in the same shapes as the other refusals. */
@Catch(HttpException)
export class SamlHttpExceptionFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = exception.getResponse();
    const message =
      typeof response === 'object' &&
      response !== null &&
      typeof (response as { message?: unknown }).message === 'string'
        ? (response as { message: string }).message
        : exception.message;
    sendRefusal(http.getRequest<Request>(), http.getResponse<Response>(), exception.getStatus(), message);
  }
}
