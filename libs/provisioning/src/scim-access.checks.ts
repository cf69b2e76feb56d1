import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import {
  AdminPermissionGuard,
  AuthenticationFailure,
  getAuthenticatedPrincipal,
  UserTokenGuard,
  UserTokensService,
} from '@app/auth';
import { LicenseService } from '@app/license';
import { ScimAuthThrottle } from './scim-auth-throttle';

/**
 * 1. A user token, as Bearer (or Basic with an empty password). The principal is also left where passport leaves
 * it, `request.user`, for the SCIM endpoint. A failure is counted against the source address, and answers 429 while
 * that address is throttled; a valid token always passes (see ScimAuthThrottle).
 */
@Injectable()
export class ScimTokenCheck extends UserTokenGuard {
  constructor(
    tokens: UserTokensService,
    private readonly throttle: ScimAuthThrottle,
  ) {
    super(tokens);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ user?: unknown; ip?: string }>();
    try {
      await super.canActivate(context);
    } catch (error) {
      if (error instanceof AuthenticationFailure) throw await this.throttle.refuse(request, error);
      throw error;
    }
    request.user = getAuthenticatedPrincipal(request);
    return true;
  }
}

/** 2. The token's owner holds the global admin permission (checked on every request: no cache window). */
@Injectable()
export class ScimAdminCheck extends AdminPermissionGuard {}

/** 3. An Enterprise license (or above) with the `scim` feature, read from the database on every request. */
@Injectable()
export class ScimLicenseCheck implements CanActivate {
  constructor(private readonly licenses: LicenseService) {}

  async canActivate(): Promise<boolean> {
    await this.licenses.assert({ edition: 'enterprise', features: ['scim'] });
    return true;
  }
}
