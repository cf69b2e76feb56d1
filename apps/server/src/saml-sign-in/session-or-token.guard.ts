import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuthenticationFailure, SessionsService, setAuthenticatedPrincipal, UserTokenGuard } from '@nest-scim/auth';
import { readSessionCookie } from './session-cookie';

/**
 * Authenticates a browser by its session cookie, or a script by its user token, and puts the principal where
 * AdminPermissionGuard reads it. A session cookie that no longer resolves counts as no credentials.
 */
@Injectable()
export class SessionOrTokenGuard implements CanActivate {
  constructor(
    private readonly sessions: SessionsService,
    private readonly tokens: UserTokenGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const principal = await this.sessions.resolveSession(readSessionCookie(request));
    if (principal) {
      setAuthenticatedPrincipal(request, principal);
      return true;
    }
    if (request.headers.authorization === undefined) throw AuthenticationFailure.missingCredentials();
    return this.tokens.canActivate(context);
  }
}
