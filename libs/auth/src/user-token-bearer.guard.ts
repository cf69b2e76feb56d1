import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard, IAuthModuleOptions } from '@nestjs/passport';
import { USER_TOKEN_STRATEGY } from './auth.constants';
import { AuthenticationFailure } from './auth.errors';
import { AUTHENTICATED_PRINCIPAL_PROPERTY, AuthenticatedPrincipal } from './authenticated-principal';

/**
 * The passport guard of UserTokenStrategy (Bearer only). Leaves the principal where the other guards do, and fails
 * with AuthenticationFailure; override `handleFailure` to shape the 401 for an API.
 */
@Injectable()
export class UserTokenBearerGuard extends AuthGuard(USER_TOKEN_STRATEGY) {
  override getAuthenticateOptions(_context: ExecutionContext): IAuthModuleOptions {
    return { session: false, property: AUTHENTICATED_PRINCIPAL_PROPERTY };
  }

  override handleRequest<TUser = AuthenticatedPrincipal>(
    error: unknown,
    principal: TUser | false,
    _info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (error instanceof AuthenticationFailure) throw this.handleFailure(error, context);
    if (error) throw error;
    // passport fails without an error when there is no header or it is malformed.
    if (!principal) throw this.handleFailure(AuthenticationFailure.missingCredentials(), context);
    return principal;
  }

  protected handleFailure(failure: AuthenticationFailure, _context: ExecutionContext): Error {
    return failure;
  }
}
