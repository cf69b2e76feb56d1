import { HttpStatus, Injectable, NestMiddleware } from '@nestjs/common';
import { json, urlencoded } from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { WebApiErrorBody } from './web-api-error';

/** Room for a PEM certificate or private key (the SAML settings take up to 64 KiB) once form-encoded. */
export const WEB_API_BODY_LIMIT = '256kb';

const parseJson = json({ limit: WEB_API_BODY_LIMIT, strict: true });
// `extended: false`: flat fields only, as the product's forms send them; `a[b]=c` stays a plain key.
const parseForm = urlencoded({ extended: false, limit: WEB_API_BODY_LIMIT, parameterLimit: 50 });

function refuse(res: Response, status: number, msg: string): void {
  res.status(status).json({ errors: [{ msg }] } satisfies WebApiErrorBody);
}

/**
 * The parameters of a POST as the product reads them: those of the query string, then those of the body, a body
 * parameter winning over a query parameter of the same name. SonarQube's own scripts send them in the query string
 * (`curl -X POST ".../api/user_tokens/generate?name=ci"`).
 */
function withQueryParameters(req: Request, body: object | undefined): object | undefined {
  if (req.method !== 'POST') return body;
  const query = req.query as Record<string, unknown>;
  const keys = Object.keys(query);
  if (keys.length === 0) return body;
  const merged: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of keys) merged[key] = query[key];
  return Object.assign(merged, body);
}

/**
 * The Web API's own body parser (the app has no global one): JSON or a form, as the product's Web API takes its
 * parameters, and for a POST the query string's too. A body it cannot read is answered here, in the Web API's error
 * shape; a JSON body must be an object of parameters.
 */
@Injectable()
export class WebApiBodyMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    parseJson(req, res, (jsonError?: unknown) => {
      if (jsonError) return this.fail(res, jsonError);
      parseForm(req, res, (formError?: unknown) => {
        if (formError) return this.fail(res, formError);
        const body: unknown = req.body;
        if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
          return refuse(res, HttpStatus.BAD_REQUEST, 'The request body must be an object of parameters');
        }
        req.body = withQueryParameters(req, body as object | undefined);
        next();
      });
    });
  }

  private fail(res: Response, error: unknown): void {
    const e = error as { type?: string; status?: number };
    if (e.type === 'entity.too.large') {
      return refuse(res, HttpStatus.PAYLOAD_TOO_LARGE, 'The request body is too large');
    }
    if (e.type === 'entity.parse.failed')
      return refuse(res, HttpStatus.BAD_REQUEST, 'The request body is not valid JSON');
    const status =
      typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : HttpStatus.BAD_REQUEST;
    refuse(res, status, 'The request body cannot be read');
  }
}
