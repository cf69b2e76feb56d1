import { Injectable } from '@nestjs/common';
import { In, IsNull, LessThan } from 'typeorm';
import type { DataSource } from 'typeorm';
import { deleteInBatches, forUpdate, inTransaction } from '@nest-scim/persistence';
import { foldCase } from '@nest-scim/identity';
import type { ResolvedAuthOptions } from './auth-options.interface';
import { InjectAuthDataSource, InjectAuthOptions } from './inject-auth.decorator';
import { sha256Hex } from './secrets.util';
import { SignInThrottleEntity } from './sign-in-throttle.entity';

/** Something whose failed attempts are counted: a key and how many failures a window allows it. */
export interface ThrottleSubject {
  key: string;
  maxFailures: number;
}

/** Where a subject stands: how long it is still blocked, and whether it failed within the current window. */
export interface ThrottleState {
  /** Milliseconds until the subject's block ends; 0 when it is not blocked. */
  blockedForMs: number;
  /** It has a failure counted in its current window, or is blocked. */
  failedRecently: boolean;
}

/** The three subjects a password sign-in is counted under. */
export interface SignInSubjects {
  /** This login from this address: a guesser at one account from one place. */
  loginAtAddress: ThrottleSubject;
  /** This address, whatever the login: a guesser trying many accounts. */
  address: ThrottleSubject;
  /** This login, whatever the address: a guesser spread over many addresses. */
  login: ThrottleSubject;
}

/**
 * Counts failed sign-ins in the database, so all instances share the counts. A subject reaching its limit within the
 * window is blocked for one window. Which blocks refuse a sign-in is the caller's rule (see LocalAccountsService).
 */
@Injectable()
export class SignInThrottleService {
  private readonly windowMs: number;

  constructor(
    @InjectAuthDataSource() private readonly dataSource: DataSource,
    @InjectAuthOptions() private readonly options: ResolvedAuthOptions,
  ) {
    this.windowMs = options.signInThrottle.windowSeconds * 1000;
  }

  /**
   * The subjects of a password sign-in: the login is case-folded, as logins match; the address is the caller's key
   * for the source (one IPv6 /64 is one address), `unknown` when there is none.
   */
  signInSubjects(login: string, address: string | undefined): SignInSubjects {
    const settings = this.options.signInThrottle;
    const folded = foldCase(String(login));
    const source = address || 'unknown';
    return {
      loginAtAddress: {
        key: `login-at-address:${source} ${folded}`,
        maxFailures: settings.maxFailuresPerLoginAndAddress,
      },
      address: { key: `address:${source}`, maxFailures: settings.maxFailuresPerAddress },
      login: { key: `login:${folded}`, maxFailures: settings.maxFailuresPerLogin },
    };
  }

  /** Where each subject stands, in the order given; one read for all of them. */
  async inspect(subjects: ThrottleSubject[], now = new Date()): Promise<ThrottleState[]> {
    const hashes = subjects.map((s) => sha256Hex(s.key));
    const rows = await this.dataSource.manager.findBy(SignInThrottleEntity, { subjectHash: In([...new Set(hashes)]) });
    const byHash = new Map(rows.map((row) => [row.subjectHash, row]));
    return hashes.map((hash) => {
      const row = byHash.get(hash);
      if (!row) return { blockedForMs: 0, failedRecently: false };
      const blockedForMs = row.blockedUntil ? Math.max(0, row.blockedUntil.getTime() - now.getTime()) : 0;
      const inWindow = row.failures > 0 && row.windowStartedAt.getTime() + this.windowMs > now.getTime();
      return { blockedForMs, failedRecently: blockedForMs > 0 || inWindow };
    });
  }

  /** Seconds until none of the subjects is blocked; 0 when none is. */
  async retryAfterSeconds(subjects: ThrottleSubject[], now = new Date()): Promise<number> {
    const states = await this.inspect(subjects, now);
    return Math.ceil(Math.max(0, ...states.map((s) => s.blockedForMs)) / 1000);
  }

  /** Counts one failure for each subject; one that reaches its limit is blocked for a window. */
  async recordFailure(subjects: ThrottleSubject[], now = new Date()): Promise<void> {
    // One lock order for every transaction (by hash), so two failures sharing a subject cannot deadlock.
    const ordered = subjects
      .map((s) => ({ ...s, hash: sha256Hex(s.key) }))
      .sort((a, b) => a.hash.localeCompare(b.hash));
    await inTransaction(this.dataSource, async (m) => {
      for (const subject of ordered) {
        await m
          .createQueryBuilder()
          .insert()
          .into(SignInThrottleEntity)
          .values({ subjectHash: subject.hash, failures: 0, windowStartedAt: now, blockedUntil: null })
          .orIgnore()
          .execute();
        const row = await forUpdate(
          m.createQueryBuilder(SignInThrottleEntity, 't').where('t.subjectHash = :hash', { hash: subject.hash }),
          m,
        ).getOneOrFail();
        const windowOver = row.windowStartedAt.getTime() + this.windowMs <= now.getTime();
        let failures = windowOver ? 1 : row.failures + 1;
        let windowStartedAt = windowOver ? now : row.windowStartedAt;
        let blockedUntil = row.blockedUntil;
        if (failures >= subject.maxFailures) {
          blockedUntil = new Date(now.getTime() + this.windowMs);
          failures = 0;
          windowStartedAt = now;
        }
        await m.update(
          SignInThrottleEntity,
          { subjectHash: subject.hash },
          { failures, windowStartedAt, blockedUntil },
        );
      }
    });
  }

  /** Forgets the subjects' failures (after a successful sign-in). */
  async reset(subjects: ThrottleSubject[]): Promise<void> {
    await inTransaction(this.dataSource, async (m) => {
      for (const subject of subjects) await m.delete(SignInThrottleEntity, { subjectHash: sha256Hex(subject.key) });
    });
  }

  /**
   * Deletes rows that no longer block and whose window is over, in bounded batches; returns how many. For a periodic
   * clean-up, on any instance.
   */
  async purgeExpired(now = new Date()): Promise<number> {
    const windowOver = LessThan(new Date(now.getTime() - this.windowMs));
    return deleteInBatches(this.dataSource, SignInThrottleEntity, 'subjectHash', [
      { windowStartedAt: windowOver, blockedUntil: IsNull() },
      { windowStartedAt: windowOver, blockedUntil: LessThan(now) },
    ]);
  }
}
