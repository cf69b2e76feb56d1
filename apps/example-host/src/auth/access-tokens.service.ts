import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EXAMPLE_HOST_CONFIG } from '../config/example-host-config.module';
import type { ExampleHostConfig } from '../config/example-host-config';

/** How long an access token from the sign-in lasts. */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;

interface TokenClaims {
  /** The person's id. */
  sub: number;
  /** Expiry, in seconds since the epoch. */
  exp: number;
}

/**
 * The product's own access tokens: the person's id and an expiry, signed with HMAC-SHA256. Stateless, so any instance
 * can check them; the bearer strategy still reads the person on every request, so deactivation applies at once.
 */
@Injectable()
export class AccessTokensService {
  private readonly secret: Buffer;

  constructor(@Inject(EXAMPLE_HOST_CONFIG) config: ExampleHostConfig) {
    this.secret = config.sessionSecret ? Buffer.from(config.sessionSecret, 'utf8') : randomBytes(32);
  }

  issue(personId: number, now = Date.now()): string {
    const claims: TokenClaims = { sub: personId, exp: Math.floor(now / 1000) + ACCESS_TOKEN_TTL_SECONDS };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The person a token names, or undefined when it is malformed, forged or expired. */
  verify(token: string, now = Date.now()): number | undefined {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let claims: Partial<TokenClaims>;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<TokenClaims>;
    } catch {
      return undefined;
    }
    if (!Number.isSafeInteger(claims.sub) || typeof claims.exp !== 'number') return undefined;
    return claims.exp * 1000 > now ? claims.sub : undefined;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
