import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { AuthenticationFailure } from './auth.errors';
import { setAuthenticatedPrincipal } from './authenticated-principal';
import { extractToken, hasSingleAuthorizationHeader } from './authorization-header.parser';
import { UserTokensService } from './user-tokens.service';

/**
 * Authenticates a request by user token without passport: `Authorization: Bearer <token>`, or Basic with the token
 * as login and an empty password, as the product's Web API accepts it. Puts the principal on the request (see
 * AUTHENTICATED_PRINCIPAL_PROPERTY) and throws AuthenticationFailure otherwise; override `handleFailure` (or catch the
 * error in an exception filter) to shape the 401 for an API.
 */
@Injectable()
export class UserTokenGuard implements CanActivate {
  constructor(protected readonly tokens: UserTokensService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    try {
      const token = this.extractToken(request);
      if (!token) throw AuthenticationFailure.missingCredentials();
      setAuthenticatedPrincipal(request, await this.tokens.authenticateToken(token));
      return true;
    } catch (error) {
      if (error instanceof AuthenticationFailure) throw this.handleFailure(error, context);
      throw error;
    }
  }

  /** Reads the token from the one Authorization header; never from the query string, the body or a cookie. */
  protected extractToken(request: IncomingMessage): string | undefined {
    return hasSingleAuthorizationHeader(request) ? extractToken(request.headers.authorization) : undefined;
  }

  /** The error to throw for a failed authentication. */
  protected handleFailure(failure: AuthenticationFailure, _context: ExecutionContext): Error {
    return failure;
  }
}
