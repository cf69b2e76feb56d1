import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { json } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { checkJsonStructure } from './json-structure.check';
import { SCIM_BODY_ERROR, SCIM_OPTIONS } from './scim.constants';
import type { ResolvedScimOptions } from './scim-options.interface';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body as text, or undefined when its bytes are not UTF-8 (RFC 8259 §8.1): such a body is refused, never read
 * with U+FFFD in place of what could not be decoded and stored so.
 */
function decodeUtf8(buffer: Buffer): string | undefined {
  try {
    return strictUtf8.decode(buffer);
  } catch {
    return undefined;
  }
}

/**
 * The SCIM routes' own JSON body parser: it accepts `application/scim+json` and `application/json` (RFC 7644 §8.1;
 * Entra sends the first, other clients the second) up to the configured size. A parse failure is not answered here:
 * it is kept on the request and reported by the SCIM pipeline as a SCIM error, after the caller was authenticated.
 */
@Injectable()
export class ScimBodyMiddleware implements NestMiddleware {
  private readonly parse: ReturnType<typeof json>;

  constructor(@Inject(SCIM_OPTIONS) options: ResolvedScimOptions) {
    this.parse = json({
      type: ['application/scim+json', 'application/json', 'application/*+json'],
      limit: options.limits.maxPayloadBytes,
      strict: true,
      verify: (_req, _res, buffer) => {
        const text = decodeUtf8(buffer);
        const problem = text === undefined ? 'The request body is not valid UTF-8' : checkJsonStructure(text);
        if (problem) throw Object.assign(new Error(problem), { status: 400, type: 'entity.verify.failed' });
      },
    });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    this.parse(req, res, (error?: unknown) => {
      if (error) (req as unknown as Record<symbol, unknown>)[SCIM_BODY_ERROR] = error;
      next();
    });
  }
}
