import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { ResolvedScimOptions, SCIM_BODY_ERROR, SCIM_OPTIONS } from '@nest-scim/scim';
import { pathUnderBase } from './activity/scim-activity.classifier';

/** body-parser's errors carry a `type` (`entity.parse.failed`, `entity.too.large`, …) and a 4xx status. */
function isBodyReadError(error: unknown): error is { type: string; status: number } {
  const e = error as { type?: unknown; status?: unknown } | null;
  return typeof e?.type === 'string' && typeof e.status === 'number' && e.status >= 400 && e.status < 500;
}

/**
 * An Express error handler that hands a body a host's parser could not read to the SCIM pipeline, for requests under
 * the SCIM base path only. A global prefix may stand in front of the base path, so the path is matched on segments.
 */
export function scimBodyErrorHandoff(basePath: string) {
  return (error: unknown, req: Request, _res: Response, next: NextFunction): void => {
    if (isBodyReadError(error) && pathUnderBase(basePath, req.path) !== undefined) {
      (req as unknown as Record<symbol, unknown>)[SCIM_BODY_ERROR] = error;
      // The host's parser drained the stream, so the SCIM parser sees a finished request and leaves the error be.
      next();
      return;
    }
    next(error);
  };
}

/**
 * A host that keeps Nest's global body parser (the default) or adds its own parses SCIM bodies first: a malformed
 * `application/json` body then fails there, and Nest would answer it through the host's global filter in the host's
 * shape. Mounted after the host's parsers and before any route, this hands the failure to the SCIM pipeline, which
 * answers it as apps/server does: an RFC 7644 error, after the caller's credentials were checked.
 */
@Injectable()
export class HostBodyParserBridge {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(SCIM_OPTIONS) private readonly scim: ResolvedScimOptions,
  ) {}

  install(): void {
    const adapter = this.adapterHost.httpAdapter;
    // The SCIM endpoint is Express-only (its parser is Express's); another adapter has nothing to bridge.
    if (adapter?.getType() !== 'express') return;
    adapter.use(scimBodyErrorHandoff(this.scim.basePath));
  }
}
