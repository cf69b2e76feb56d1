import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import {
  AuthenticationFailure,
  InjectAuthOptions,
  ResolvedAuthOptions,
  SignInThrottleService,
  ThrottleSubject,
} from '@app/auth';

/**
 * The key failed authentications are counted under: the IPv4 address (an IPv4-mapped IPv6 address is its IPv4
 * address), or the /64 prefix of an IPv6 address, since one host usually holds a whole /64 and could otherwise
 * change address with every guess. Undefined when the address is unknown or malformed.
 */
export function sourceAddressKey(address: string | undefined): string | undefined {
  if (typeof address !== 'string') return undefined;
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed);
  if (mapped && isIP(mapped[1]) === 4) return mapped[1];
  const version = isIP(trimmed);
  if (version === 4) return trimmed;
  if (version !== 6) return undefined;
  return `${expandIpv6(trimmed.replace(/%.*$/, '')).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(address: string): string[] {
  let text = address.toLowerCase();
  // An embedded IPv4 tail (`::1.2.3.4`) is two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = text.slice(0, v4.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => group.replace(/^0+(?=.)/, ''));
}

/** The peer address as the HTTP framework reports it (Express honours the host's `trust proxy` setting). */
function addressOf(request: { ip?: string; socket?: { remoteAddress?: string } }): string | undefined {
  return request.ip ?? request.socket?.remoteAddress;
}

/**
 * Throttles failed SCIM authentications per source address, with the sign-in throttle's table so that every instance
 * counts the same failures (auth's `sign_in_throttle`, under a key of its own, with the address limit and window of
 * the auth options).
 *
 * It acts only on requests that already failed to authenticate: a valid token is never slowed or refused, whatever
 * its address did before. Entra ID calls from addresses shared with other tenants, so refusing an address outright
 * would let anyone there push the tenant's provisioning job into quarantine (security-cases A.8, (b)); and a token of
 * 160 random bits cannot be guessed, so what the throttle buys is bounded work for noise, not secrecy. While an
 * address is throttled its failures answer 429 with Retry-After and are no longer written down, so a flood of bad
 * tokens costs one read per request instead of a write.
 */
@Injectable()
export class ScimAuthThrottle {
  constructor(
    private readonly throttle: SignInThrottleService,
    @InjectAuthOptions() private readonly options: ResolvedAuthOptions,
  ) {}

  /** The error to answer a failed authentication with: the failure itself, or 429 while the address is throttled. */
  async refuse(
    request: { ip?: string; socket?: { remoteAddress?: string } },
    failure: AuthenticationFailure,
  ): Promise<AuthenticationFailure> {
    const key = sourceAddressKey(addressOf(request));
    if (!key) return failure;
    const subjects = [this.subject(key)];
    const wait = await this.throttle.retryAfterSeconds(subjects);
    if (wait > 0) return throttledFailure(wait);
    await this.throttle.recordFailure(subjects);
    return failure;
  }

  private subject(key: string): ThrottleSubject {
    return { key: `scim-address:${key}`, maxFailures: this.options.signInThrottle.maxFailuresPerAddress };
  }
}

function throttledFailure(retryAfterSeconds: number): AuthenticationFailure {
  return new AuthenticationFailure(
    'throttled',
    'Too many failed authentications from this address; retry later',
    retryAfterSeconds,
  );
}
