import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AdminPermissionGuard, getAuthenticatedPrincipal, UserTokenGuard } from '@app/auth';
import { LicenseService } from '@app/license';

/**
 * 1. A user token, as Bearer (or Basic with an empty password). The principal is also left where passport leaves
 * it, `request.user`, for the SCIM endpoint.
 */
@Injectable()
export class ScimTokenCheck extends UserTokenGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<{ user?: unknown }>();
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
