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
 * on each other, so they are one statement: the token's, which identity extends with the permission and which carries
 * the license lib's read of its row and the saml lib's read of the mode (each lib writes the read of its own table;
 * see ScalarRead). A request costs one round trip to MySQL instead of four; the verdicts are still given in order, so
 * a request without a valid token learns nothing about the license or the mode. The principal goes to the SCIM endpoint
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
    const {
      principal,
      isAdministrator,
      values: [refusal, enabled],
    } = await this.authenticator.verifyCarrying(request, token, [
      this.licenses.evaluateRead(SCIM_LICENSE_REQUIREMENTS),
      this.mode.scimEnabledRead(),
    ] as const);
    if (!isAdministrator) throw new PermissionDenied();
    setScimPrincipal(request, { userId: principal.userId, login: principal.login, tokenId: principal.tokenId });
    if (refusal) throw new LicenseRequiredError(refusal.reason, refusal.message, SCIM_LICENSE_REQUIREMENTS);
    if (!enabled) throw new ScimProvisioningDisabledError();
    return true;
  }
}
