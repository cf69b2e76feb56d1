import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { ScimError } from '../errors/scim-error';
import { ScimAnswer } from './scim-exchange';
import { SCIM_BODY_ERROR, SCIM_CONTENT_TYPE } from './scim.constants';

/**
 * Runs after the access checks: answers in `application/scim+json`, reports a body that could not be read, and writes
 * the status and headers of a handler's `ScimAnswer`.
 */
@Injectable()
export class ScimRequestInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    response.setHeader('Content-Type', SCIM_CONTENT_TYPE);
    const bodyError = (request as unknown as Record<symbol, unknown>)[SCIM_BODY_ERROR] as
      { type?: string; status?: number; message?: string } | undefined;
    if (bodyError) {
      if (bodyError.type === 'entity.too.large' || bodyError.status === 413) {
        throw new ScimError(413, 'The request body is larger than this server accepts');
      }
      if (bodyError.status === 415)
        throw new ScimError(415, 'The request body uses an unsupported charset or encoding');
      // The structure check's sentences are fixed texts; they never quote the body.
      if (bodyError.type === 'entity.verify.failed' && bodyError.message)
        throw ScimError.invalidSyntax(bodyError.message);
      throw ScimError.invalidSyntax('The request body is not valid JSON');
    }
    return next.handle().pipe(
      map((result: unknown) => {
        if (!(result instanceof ScimAnswer)) return result;
        response.status(result.status);
        for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
        return result.body;
      }),
    );
  }
}
