import { Injectable } from '@nestjs/common';
import type { ResolvedAuthOptions } from './auth-options.interface';
import { AuthenticationFailure } from './auth.errors';
import { InjectAuthOptions } from './inject-auth.decorator';
import { sha384Hex } from './secrets.util';
import { SignInThrottleService, ThrottleSubject } from './sign-in-throttle.service';
import { AddressedRequest, addressOf, sourceAddressKey } from './source-address';
import { UserTokensService } from './user-tokens.service';

/** Blocks remembered in process at most; beyond, the oldest are forgotten (the database still has them). */
const MAX_REMEMBERED_BLOCKS = 10_000;
/** How stale the list of existing tokens may be before a token missing from it makes this instance read it again. */
const KNOWN_TOKENS_MAX_AGE_MS = 1_000;

/**
 * Throttles failed token authentications per source address, on every surface that takes a user token (SCIM and the
 * admin Web API share one budget per address), with the sign-in throttle's table so that every instance counts the
 * same failures (`sign_in_throttle`, under a key of its own, with the address limit and window of the auth options).
 *
 * A valid token is never slowed or refused, whatever its address did: Entra ID calls from addresses shared with other
 * tenants, so refusing an address outright would let anyone there push the tenant's provisioning job into quarantine;
 * and a token of 160 random bits cannot be guessed, so what the throttle buys is bounded work for noise, not secrecy.
 *
 * Refusals stay cheap. The database is the shared truth; a block learned from it is remembered in process until it
 * ends. While an address is blocked, a request from it is refused before any other database work unless its token is
 * one that exists: this instance keeps the digests of existing tokens, read again at most once a second and only when
 * a blocked address presents a token missing from them. A flood of made-up tokens from a blocked address thus costs no
 * statement per request; a real token from it goes on to be authenticated as usual.
 *
 * A surface may refuse such a request earlier still, before its routing and guards (see `refusalFromMemory`): only
 * from what this instance already knows, and only when that knowledge is fresh. A blocked address whose token is
 * missing from a list older than a second goes the normal way, through `admit`, which reads the list again.
 */
@Injectable()
export class TokenAuthenticationThrottle {
  /** Source-address key → end of its block (epoch ms), as read from the database. */
  private readonly blockedUntil = new Map<string, number>();
  private knownTokens: { digests: ReadonlySet<string>; readAt: number } | undefined;
  private reading: Promise<ReadonlySet<string>> | undefined;

  constructor(
    private readonly throttle: SignInThrottleService,
    private readonly tokens: UserTokensService,
    @InjectAuthOptions() private readonly options: ResolvedAuthOptions,
  ) {}

  /**
   * Before any other work on a request: throws the 429 of a blocked address unless the presented token exists. Says
   * nothing about whether the token is valid; that is the authentication's job.
   */
  async admit(request: AddressedRequest, presented: string | undefined): Promise<void> {
    const key = sourceAddressKey(addressOf(request));
    if (!key) return;
    const waitMs = this.remainingBlockMs(key);
    if (waitMs === 0) return;
    if (presented !== undefined && (await this.tokenExists(presented))) return;
    throw throttledFailure(Math.ceil(waitMs / 1000));
  }

  /**
   * The 429 `admit` would throw, decided from memory alone and without waiting: undefined unless the address is
   * remembered as blocked and the presented token (if any) is missing from a list of existing tokens read less than a
   * second ago. Undefined does not mean admitted: the request then goes through `admit` as usual, so a stale list or
   * an unknown block never refuses anything here, and a token that exists is never refused. The failure carries the
   * block's end (`retryAt`), for a surface that sends it later to count its Retry-After from then (`answeredAt`).
   */
  refusalFromMemory(request: AddressedRequest, presented: string | undefined): AuthenticationFailure | undefined {
    const key = sourceAddressKey(addressOf(request));
    if (!key) return undefined;
    const waitMs = this.remainingBlockMs(key);
    if (waitMs === 0) return undefined;
    if (presented !== undefined && this.knownFromMemory(sha384Hex(presented)) !== false) return undefined;
    return throttledFailure(Math.ceil(waitMs / 1000), this.blockedUntil.get(key));
  }

  /**
   * The error to answer a failed authentication with: the failure itself, counted against the address, or 429 while
   * the address is blocked (no longer counted: a flood then costs a read, not a write).
   */
  async refuse(request: AddressedRequest, failure: AuthenticationFailure): Promise<AuthenticationFailure> {
    const key = sourceAddressKey(addressOf(request));
    if (!key) return failure;
    const remembered = this.remainingBlockMs(key);
    if (remembered > 0) return throttledFailure(Math.ceil(remembered / 1000));
    const subjects = [this.subject(key)];
    const wait = await this.throttle.retryAfterSeconds(subjects);
    if (wait > 0) {
      this.remember(key, Date.now() + wait * 1000);
      return throttledFailure(wait);
    }
    await this.throttle.recordFailure(subjects);
    return failure;
  }

  private subject(key: string): ThrottleSubject {
    return { key: `token-address:${key}`, maxFailures: this.options.signInThrottle.maxFailuresPerAddress };
  }

  private remainingBlockMs(key: string): number {
    const until = this.blockedUntil.get(key);
    if (until === undefined) return 0;
    const remaining = until - Date.now();
    if (remaining > 0) return remaining;
    this.blockedUntil.delete(key);
    return 0;
  }

  private remember(key: string, until: number): void {
    this.blockedUntil.delete(key);
    this.blockedUntil.set(key, until);
    if (this.blockedUntil.size <= MAX_REMEMBERED_BLOCKS) return;
    const now = Date.now();
    for (const [k, end] of this.blockedUntil) if (end <= now) this.blockedUntil.delete(k);
    // Still full: forget the block remembered longest ago (Maps iterate in insertion order).
    while (this.blockedUntil.size > MAX_REMEMBERED_BLOCKS) {
      this.blockedUntil.delete(this.blockedUntil.keys().next().value as string);
    }
  }

  private async tokenExists(presented: string): Promise<boolean> {
    const digest = sha384Hex(presented);
    return this.knownFromMemory(digest) ?? (await this.readKnownTokens()).has(digest);
  }

  /**
   * Whether a token of this digest exists, as far as this instance knows without reading: true when the list it holds
   * has it, false when a list read less than `KNOWN_TOKENS_MAX_AGE_MS` ago lacks it, undefined when the list must be
   * read again to tell.
   */
  private knownFromMemory(digest: string): boolean | undefined {
    const known = this.knownTokens;
    if (known?.digests.has(digest)) return true;
    if (known && Date.now() - known.readAt < KNOWN_TOKENS_MAX_AGE_MS) return false;
    return undefined;
  }

  /** One read at a time, however many blocked requests wait for it. */
  private readKnownTokens(): Promise<ReadonlySet<string>> {
    this.reading ??= this.tokens
      .existingDigests()
      .then((digests) => {
        const set = new Set(digests);
        this.knownTokens = { digests: set, readAt: Date.now() };
        return set;
      })
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }
}

function throttledFailure(retryAfterSeconds: number, retryAt?: number): AuthenticationFailure {
  return new AuthenticationFailure(
    'throttled',
    'Too many failed authentications from this address; retry later',
    retryAfterSeconds,
    retryAt,
  );
}
