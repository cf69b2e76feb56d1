import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { getScimPrincipal, ScimPrincipal } from './scim-principal';

/** What a SCIM handler reads of an HTTP request: no more than this reaches the endpoint and the stores. */
export interface ScimHttpRequest {
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
  /** One header's value, several occurrences joined with commas; undefined when absent. */
  header(name: string): string | undefined;
  /** `protocol://host` as the request reached the server, for links when no public URL is configured. */
  readonly origin: string;
  /** Who the access checks let through; undefined when none set a principal. */
  readonly principal: ScimPrincipal | undefined;
  /** The request id the host's logger gave it, when there is one. */
  readonly requestId: string | undefined;
}

export function scimHttpRequestOf(request: Request): ScimHttpRequest {
  return {
    query: request.query as Record<string, unknown>,
    body: request.body as unknown,
    header: (name) => {
      const value = request.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(',') : value;
    },
    origin: `${request.protocol}://${request.get('host') ?? 'localhost'}`,
    principal: getScimPrincipal(request),
    requestId: (request as { id?: string }).id,
  };
}

/** The SCIM request of a route handler, read once the access checks have run. */
export const ScimCall = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  scimHttpRequestOf(context.switchToHttp().getRequest<Request>()),
);

/**
 * An answer whose status or headers depend on the request (201 with `Location`, 304, 204 with an `ETag`): the SCIM
 * interceptor writes them, so handlers never touch the response object.
 */
export class ScimAnswer {
  constructor(
    readonly status: number,
    /** A resource, or the text or stream of one whose values are read in pages (see pagedAnswer). */
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}
