import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { UserTokenAuthenticator } from '@nest-scim/auth';
import { sendScimError, toScimError } from '@nest-scim/scim';
import { ScimActivityRecorder } from './activity/scim-activity.recorder';
import { BlockedAddressTarpit } from './blocked-address.tarpit';

/**
 * Refuses a SCIM request from a source address the failed-authentication throttle has blocked, before the SCIM
 * endpoint's routing, body parser, guards, interceptor and filter: a flood of made-up tokens from one address then
 * costs each refusal little more than its HTTP parsing, and the tenant's own requests do not queue behind it.
 *
 * The answer is the one the access checks give (429, Retry-After, the RFC 7644 error body), and it stays visible: each
 * refusal has its request log line and is counted in the metrics, a client that leaves while it is held included; the activity records keep at most one such refusal
 * a second (see ScimActivityRecorder), not one row per request of a flood.
 * Only what this instance already knows refuses here (see UserTokenAuthenticator.refusalFromMemory): a token that
 * exists, a stale list of tokens or an address not known to be blocked go on to the access checks, unchanged.
 *
 * The refusal is held a while before it is sent (BlockedAddressTarpit, a second by default, never past the block's
 * end), so a client that asks again as soon as it is answered asks about once a second per connection instead of as
 * fast as the server answers. Its Retry-After counts from when it is sent.
 */
@Injectable()
export class ScimBlockedAddressRefusal implements NestMiddleware {
  constructor(
    private readonly authenticator: UserTokenAuthenticator,
    private readonly activity: ScimActivityRecorder,
    private readonly tarpit: BlockedAddressTarpit,
  ) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const refusal = this.authenticator.refusalFromMemory(request);
    if (!refusal) return next();
    this.activity.earlyRefusal(request, toScimError(refusal));
    this.tarpit.holdRefusal(request, response, refusal, (failure) =>
      sendScimError(request, response, toScimError(failure)),
    );
  }
}
