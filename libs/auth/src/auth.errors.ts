import { ForbiddenException, HttpException, HttpStatus } from '@nestjs/common';

export type AuthenticationFailureReason =
  /** No usable credentials: no Authorization header, two of them, another scheme, or a token outside the header. */
  | 'missing_credentials'
  | 'unknown_token'
  | 'expired_token'
  /** The token's owner is deactivated or gone. */
  | 'inactive_user'
  /** A login and password that do not match an active local account. */
  | 'invalid_credentials'
  /** Too many failed sign-ins for the login or the address: `retryAfterSeconds` says when to try again. */
  | 'throttled';

/**
 * Authentication failed. A 401 (429 when throttled) HttpException, so a host without its own filter still answers
 * correctly; each API's exception filter renders it in its own shape (SCIM error, `{"errors":[{"msg"}]}`), using
 * `reason` and the message. Messages never contain the presented secret.
 */
export class AuthenticationFailure extends HttpException {
  constructor(
    readonly reason: AuthenticationFailureReason,
    message: string,
    readonly retryAfterSeconds?: number,
    /** When the throttle ends (epoch ms), if known: lets an answer sent later count its Retry-After from then. */
    readonly retryAt?: number,
  ) {
    super(message, reason === 'throttled' ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.UNAUTHORIZED);
    this.name = 'AuthenticationFailure';
  }

  /**
   * This failure as answered at `now` (epoch ms): a throttled one whose end is known says how long is left then (at
   * least a second, as a refusal never says "retry now"); any other is returned as it is.
   */
  answeredAt(now: number): AuthenticationFailure {
    if (this.retryAt === undefined) return this;
    const seconds = Math.max(1, Math.ceil((this.retryAt - now) / 1000));
    return new AuthenticationFailure(this.reason, this.message, seconds, this.retryAt);
  }

  static missingCredentials(): AuthenticationFailure {
    return new AuthenticationFailure('missing_credentials', 'Authentication is required');
  }

  static unknownToken(): AuthenticationFailure {
    return new AuthenticationFailure('unknown_token', "Token doesn't exist");
  }

  static expiredToken(expiredOn: Date): AuthenticationFailure {
    return new AuthenticationFailure('expired_token', `The token expired on ${expiredOn.toISOString()}`);
  }

  static inactiveUser(): AuthenticationFailure {
    return new AuthenticationFailure('inactive_user', "User doesn't exist");
  }

  static invalidCredentials(): AuthenticationFailure {
    return new AuthenticationFailure('invalid_credentials', 'Authentication failed');
  }

  static throttled(retryAfterSeconds: number): AuthenticationFailure {
    return new AuthenticationFailure(
      'throttled',
      `Too many failed sign-in attempts, retry after ${retryAfterSeconds} s`,
      retryAfterSeconds,
    );
  }
}

/** The authenticated user lacks a permission (403). */
export class PermissionDenied extends ForbiddenException {
  constructor(message = 'Insufficient privileges') {
    super(message);
    this.name = 'PermissionDenied';
  }
}
