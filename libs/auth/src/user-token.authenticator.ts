import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import passport from 'passport';
import { USER_TOKEN_STRATEGY } from './auth.constants';
import { AuthenticationFailure } from './auth.errors';
import { extractToken, hasSingleAuthorizationHeader } from './authorization-header.parser';
import type { AddressedRequest } from './source-address';
import { TokenAuthenticationThrottle } from './token-authentication.throttle';
import type { ScalarRead, ScalarValues } from '@nest-scim/persistence';
import { CARRIED_READS, StrategyRequest, TokenAuthentication, UserTokenStrategy } from './user-token.strategy';

type TokenRequest = Pick<IncomingMessage, 'headers' | 'rawHeaders'> & AddressedRequest;

/**
 * User-token authentication of a request, the one way every token-authenticated surface (SCIM, the admin Web API, a
 * host's routes behind UserTokenGuard) takes: the token of the one Authorization header, as Bearer or as Basic with
 * an empty password (the product's Web API accepts both; Basic is normalised to Bearer), checked by passport's
 * user-token strategy, with failures throttled per source address (TokenAuthenticationThrottle).
 *
 * In two steps, so a caller can start reads of its own beside the token's statement: `admit` does no database work
 * (bar a rare refresh of the known tokens for a blocked address), `verify` runs the strategy.
 */
@Injectable()
export class UserTokenAuthenticator {
  /**
   * A passport of this module's own, holding this module's strategy: passport's default instance is one per process,
   * where a second application (another instance of the module, on another database) would replace the strategy of
   * the first under the same name, and its tokens would be checked against the wrong database.
   */
  private readonly passport = new passport.Passport();

  constructor(
    private readonly throttle: TokenAuthenticationThrottle,
    strategy: UserTokenStrategy,
  ) {
    this.passport.use(USER_TOKEN_STRATEGY, strategy);
  }

  async authenticate(request: TokenRequest): Promise<TokenAuthentication> {
    return this.verify(request, await this.admit(request));
  }

  /**
   * The presented token, or throws: 429 while the address is blocked and the token is none that exists, else 401 when
   * there is no usable token (counted against the address).
   */
  async admit(request: TokenRequest): Promise<string> {
    const token = presentedToken(request);
    await this.throttle.admit(request, token);
    if (!token) throw await this.throttle.refuse(request, AuthenticationFailure.missingCredentials());
    return token;
  }

  /**
   * The 429 `admit` would throw for this request, when this instance can tell it from memory alone at once (a
   * remembered block, a fresh list of existing tokens without the presented one); undefined otherwise, and then the
   * request goes through `admit` as usual. For a surface that refuses blocked addresses before its own pipeline.
   */
  refusalFromMemory(request: TokenRequest): AuthenticationFailure | undefined {
    return this.throttle.refusalFromMemory(request, presentedToken(request));
  }

  /** Authenticates an admitted token through passport; a failure is counted against the address (401, or 429). */
  async verify(request: TokenRequest, token: string): Promise<TokenAuthentication> {
    return this.verifyCarrying(request, token, []);
  }

  /**
   * As verify, with other libs' reads (see ScalarRead) carried by the token's statement, so a check that needs them
   * too costs one round trip; their values are answered only when the token authenticates.
   */
  async verifyCarrying<R extends readonly ScalarRead<unknown>[]>(
    request: TokenRequest,
    token: string,
    reads: R,
  ): Promise<TokenAuthentication & { values: ScalarValues<R> }> {
    try {
      return (await runStrategy(this.passport, token, reads)) as TokenAuthentication & { values: ScalarValues<R> };
    } catch (error) {
      if (error instanceof AuthenticationFailure) throw await this.throttle.refuse(request, error);
      throw error;
    }
  }
}

/** The token of the request's one Authorization header (Bearer, or Basic with an empty password); else undefined. */
function presentedToken(request: TokenRequest): string | undefined {
  return hasSingleAuthorizationHeader(request) ? extractToken(request.headers.authorization) : undefined;
}

/**
 * Runs the strategy on a request of its own holding only `Authorization: Bearer <token>`: the caller's request is
 * neither read beyond its header nor written to (passport would add its login helpers, and a host's `request.user`
 * is the host's). The reads to carry ride on that request, where the strategy finds them.
 */
function runStrategy(
  instance: passport.Authenticator,
  token: string,
  reads: readonly ScalarRead<unknown>[],
): Promise<TokenAuthentication> {
  const request: StrategyRequest = { headers: { authorization: `Bearer ${token}` }, [CARRIED_READS]: reads };
  return new Promise((resolve, reject) => {
    const middleware = instance.authenticate(
      USER_TOKEN_STRATEGY,
      { session: false },
      (error: unknown, authentication: TokenAuthentication | false) => {
        // Passed on as it is: a database error keeps the code its API's filter classifies it by.
        if (error) reject(error);
        else if (!authentication) reject(AuthenticationFailure.missingCredentials());
        else resolve(authentication);
      },
    ) as (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
    middleware(request, {}, (error?: unknown) => reject(error ?? AuthenticationFailure.missingCredentials()));
  });
}
