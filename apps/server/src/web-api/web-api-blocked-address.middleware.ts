import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { UserTokenAuthenticator } from '@nest-scim/auth';
import { BlockedAddressTarpit } from '@nest-scim/provisioning';
import { renderAuthenticationFailure, sendWebApiError } from './web-api-exception.filter';

/**
 * Refuses a token-authenticated Web API request from a source address the failed-authentication throttle has blocked,
 * before the Web API's routing, body parser, guards, pipes and filter, as the SCIM endpoint does (see
 * ScimBlockedAddressRefusal): a flood of made-up tokens on the Web API then costs little more than its HTTP parsing,
 * and cannot slow the SCIM requests either. The answer is the one the guard would give (429, Retry-After, the Web
 * API's error body), held a while first by the tarpit the SCIM endpoint uses: one cap and one set of held refusals per
 * instance for both. Each refusal keeps its request log line.
 *
 * Only a request that presents a token is refused here, and only from what this instance already knows (see
 * UserTokenAuthenticator.refusalFromMemory): a token that exists, a stale list of tokens or an address not known to be
 * blocked go on to the guards, unchanged. A request without an Authorization header (a browser's session cookie, or
 * no credentials at all) always goes on. One that sends a token beside its cookie is refused like any other token:
 * the admin page never sends one, and a made-up cookie must not open a way around the hold.
 */
@Injectable()
export class WebApiBlockedAddressRefusal implements NestMiddleware {
  constructor(
    private readonly authenticator: UserTokenAuthenticator,
    private readonly tarpit: BlockedAddressTarpit,
  ) {}

  use(request: Request, response: Response, next: NextFunction): void {
    if (request.headers.authorization === undefined) return next();
    const refusal = this.authenticator.refusalFromMemory(request);
    if (!refusal) return next();
    this.tarpit.holdRefusal(request, response, refusal, (failure) =>
      sendWebApiError(response, renderAuthenticationFailure(failure)),
    );
  }
}
