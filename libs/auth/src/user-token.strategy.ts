import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import type { ScalarRead } from '@nest-scim/persistence';
import { ADMIN_PERMISSION } from '@nest-scim/identity';
import { USER_TOKEN_STRATEGY } from './auth.constants';
import type { AuthenticatedPrincipal } from './authenticated-principal';
import { UserTokensService } from './user-tokens.service';

/** What the user-token strategy establishes: who holds the token, and whether they are an administrator. */
export interface TokenAuthentication {
  principal: AuthenticatedPrincipal;
  /** Read in the same statement as the token: the owner holds `admin`, directly or through a group. */
  isAdministrator: boolean;
  /** The values of the reads the caller asked to carry (see UserTokenAuthenticator.verify), in their order. */
  values: unknown[];
}

/** Where UserTokenAuthenticator puts, on the request it hands the strategy, the reads the token's statement carries. */
export const CARRIED_READS = Symbol('carried reads');

/** The request the strategy sees: the normalised Authorization header, and the reads to carry. */
export interface StrategyRequest {
  headers: { authorization: string };
  [CARRIED_READS]?: readonly ScalarRead<unknown>[];
}

/**
 * passport-http-bearer strategy for user tokens, registered as USER_TOKEN_STRATEGY (never `bearer`, which a host may
 * use for its own strategy). `validate` fails with an AuthenticationFailure. UserTokenAuthenticator runs it on a
 * request that holds only the normalised Authorization header, so a token in the query string or the body (RFC 6750
 * §2.2, §2.3), which ends up in logs and caches, is never seen.
 */
@Injectable()
export class UserTokenStrategy extends PassportStrategy(Strategy, USER_TOKEN_STRATEGY) {
  constructor(private readonly tokens: UserTokensService) {
    super({ passReqToCallback: true });
  }

  async validate(request: StrategyRequest, token: string): Promise<TokenAuthentication> {
    const reads = request[CARRIED_READS] ?? [];
    const { principal, holdsPermission, values } = await this.tokens.authenticateTokenWith(
      token,
      ADMIN_PERMISSION,
      reads,
    );
    return { principal, isAdministrator: holdsPermission, values };
  }
}
