import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { PermissionDenied, UserTokenAuthenticator } from '@nest-scim/auth';
import { LicenseRequiredError, LicenseService } from '@nest-scim/license';
import { ProvisioningModeService, SCIM_LICENSE_REQUIREMENTS, ScimProvisioningDisabledError } from '@nest-scim/saml';
import { setScimPrincipal } from '@nest-scim/scim';

/**
 * Every SCIM request passes four checks, whose refusals are given in this order:
 * 1. a user token, as Bearer (or Basic with an empty password) — 401, counted against the source address, and 429
 *    while that address is throttled (a valid token always passes; see the auth lib's TokenAuthenticationThrottle,
 *    whose budget per address the admin Web API shares);
 * 2. its owner holds the global admin permission — 403;
 * 3. an Enterprise license (or above) with the `scim` feature — 403;
 * 4. the instance is in SCIM provisioning mode — 403.
 * All four are read from the database on every request (no cache window: a revoked token or permission, a removed
 * license, a switch back to just-in-time take effect at once, on every instance). Once the token is admitted (a
 * throttled address with a token that does not exist is refused before any database work), the reads do not depend
 * on each other, so they run at once — the token and the permission in one statement, the license and the mode
 * beside it — and a request costs one round trip to MySQL instead of four; the verdicts are still given in order, so a
 * request without a valid token learns nothing about the license or the mode. The principal goes to the SCIM endpoint
 * through setScimPrincipal, and nowhere else on the request.
 */
@Injectable()
export class ScimAccessCheck implements CanActivate {
  constructor(
    private readonly authenticator: UserTokenAuthenticator,
    private readonly licenses: LicenseService,
    private readonly mode: ProvisioningModeService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<IncomingMessage & { ip?: string }>();
    const token = await this.authenticator.admit(request);
    const [authentication, license, enabled] = await Promise.allSettled([
      this.authenticator.verify(request, token),
      this.licenses.evaluate(SCIM_LICENSE_REQUIREMENTS),
      this.mode.isScimEnabled(),
    ]);
    const { principal, isAdministrator } = valueOf(authentication);
    if (!isAdministrator) throw new PermissionDenied();
    setScimPrincipal(request, { userId: principal.userId, login: principal.login, tokenId: principal.tokenId });
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
