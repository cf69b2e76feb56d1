import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { IncomingMessage } from 'node:http';
import { Strategy } from 'passport-http-bearer';
import { USER_TOKEN_STRATEGY } from './auth.constants';
import { AuthenticationFailure } from './auth.errors';
import type { AuthenticatedPrincipal } from './authenticated-principal';
import { extractBearerToken, hasSingleAuthorizationHeader } from './authorization-header.parser';
import { UserTokensService } from './user-tokens.service';

/**
 * passport-http-bearer strategy for user tokens, registered as USER_TOKEN_STRATEGY. `validate` fails with an
 * AuthenticationFailure, which reaches the guard's `handleRequest` as its error.
 */
@Injectable()
export class UserTokenStrategy extends PassportStrategy(Strategy, USER_TOKEN_STRATEGY) {
  constructor(private readonly tokens: UserTokensService) {
    super({ passReqToCallback: true });
  }

  async validate(request: IncomingMessage, _token: string): Promise<AuthenticatedPrincipal> {
    // passport-http-bearer also takes `access_token` from the body or the query string (RFC 6750 §2.2, §2.3); a token
    // there ends up in logs and caches, so only the Authorization header counts.
    const token = hasSingleAuthorizationHeader(request) ? extractBearerToken(request.headers.authorization) : undefined;
    if (!token) throw AuthenticationFailure.missingCredentials();
    return this.tokens.authenticateToken(token);
  }
}
