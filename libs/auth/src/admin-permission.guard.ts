import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { PermissionsService } from '@nest-scim/identity';
import { AuthenticationFailure, PermissionDenied } from './auth.errors';
import { getAuthenticatedPrincipal } from './authenticated-principal';

/**
 * Lets a request through only when its principal (put there by a token guard, or by the host for a session) is an
 * active administrator: 401 without a principal, 403 (PermissionDenied) for anyone else. Checked against the
 * database on every request, so a revoked admin permission takes effect at once. Goes after an authentication guard:
 * `@UseGuards(UserTokenGuard, AdminPermissionGuard)`.
 */
@Injectable()
export class AdminPermissionGuard implements CanActivate {
  constructor(protected readonly permissions: PermissionsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = getAuthenticatedPrincipal(context.switchToHttp().getRequest<object>());
    if (!principal) throw this.handleFailure(AuthenticationFailure.missingCredentials(), context);
    if (!(await this.permissions.isAdmin(principal.userId))) throw this.handleFailure(new PermissionDenied(), context);
    return true;
  }

  /** The error to throw when the request is refused. */
  protected handleFailure(failure: AuthenticationFailure | PermissionDenied, _context: ExecutionContext): Error {
    return failure;
  }
}
