import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { AuthenticationFailure } from './auth.errors';
import { setAuthenticatedPrincipal } from './authenticated-principal';
import { UserTokenAuthenticator } from './user-token.authenticator';

/**
 * Authenticates a request by user token (UserTokenAuthenticator: `Authorization: Bearer <token>`, or Basic with the
 * token as login and an empty password, through passport's user-token strategy, failures throttled per address). Puts
 * the principal on the request (see AUTHENTICATED_PRINCIPAL_PROPERTY; never `request.user`) and throws
 * AuthenticationFailure otherwise; override `handleFailure` (or catch the error in an exception filter) to shape the
 * 401 for an API.
 */
@Injectable()
export class UserTokenGuard implements CanActivate {
  constructor(protected readonly authenticator: UserTokenAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    try {
      setAuthenticatedPrincipal(request, (await this.authenticator.authenticate(request)).principal);
      return true;
    } catch (error) {
      if (error instanceof AuthenticationFailure) throw this.handleFailure(error, context);
      throw error;
    }
  }

  /** The error to throw for a failed authentication. */
  protected handleFailure(failure: AuthenticationFailure, _context: ExecutionContext): Error {
    return failure;
  }
}
