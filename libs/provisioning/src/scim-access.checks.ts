import { ExecutionContext, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import {
  AuthenticationFailure,
  PermissionDenied,
  setAuthenticatedPrincipal,
  UserTokenGuard,
  UserTokensService,
} from '@app/auth';
import { ADMIN_PERMISSION } from '@app/identity';
import { LicenseRequiredError, LicenseService } from '@app/license';
import { ProvisioningModeService, SCIM_LICENSE_REQUIREMENTS, ScimProvisioningDisabledError } from '@app/saml';
import { ScimAuthThrottle } from './scim-auth-throttle';

/**
 * Every SCIM request passes four checks, whose refusals are given in this order:
 * 1. a user token, as Bearer (or Basic with an empty password) — 401, counted against the source address, and 429
 *    while that address is throttled (a valid token always passes, see ScimAuthThrottle);
 * 2. its owner holds the global admin permission — 403;
 * 3. an Enterprise license (or above) with the `scim` feature — 403;
 * 4. the instance is in SCIM provisioning mode — 403.
 * All four are read from the database on every request (no cache window: a revoked token or permission, a removed
 * license, a switch back to just-in-time take effect at once, on every instance). The reads do not depend on each
 * other, so they run at once — the token and the permission in one statement, the license and the mode beside it —
 * and a request costs one round trip to MySQL instead of four; the verdicts are still given in order, so a request
 * without a valid token learns nothing about the license or the mode. The principal is left on the request, and
 * where passport leaves it (`request.user`), for the SCIM endpoint.
 */
@Injectable()
export class ScimAccessCheck extends UserTokenGuard {
  constructor(
    tokens: UserTokensService,
    private readonly throttle: ScimAuthThrottle,
    private readonly licenses: LicenseService,
    private readonly mode: ProvisioningModeService,
  ) {
    super(tokens);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<IncomingMessage & { user?: unknown; ip?: string }>();
    const token = this.extractToken(request);
    if (!token) throw await this.throttle.refuse(request, AuthenticationFailure.missingCredentials());
    const [authentication, license, enabled] = await Promise.allSettled([
      this.tokens.authenticateTokenHolding(token, ADMIN_PERMISSION),
      this.licenses.evaluate(SCIM_LICENSE_REQUIREMENTS),
      this.mode.isScimEnabled(),
    ]);
    if (authentication.status === 'rejected') {
      const error: unknown = authentication.reason;
      if (error instanceof AuthenticationFailure) throw await this.throttle.refuse(request, error);
      throw error;
    }
    const { principal, holdsPermission } = authentication.value;
    setAuthenticatedPrincipal(request, principal);
    request.user = principal;
    if (!holdsPermission) throw new PermissionDenied();
    const refusal = valueOf(license);
    if (refusal) throw new LicenseRequiredError(refusal.reason, refusal.message, SCIM_LICENSE_REQUIREMENTS);
    if (!valueOf(enabled)) throw new ScimProvisioningDisabledError();
    return true;
  }
}

function valueOf<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}
