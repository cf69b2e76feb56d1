import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { inTransaction } from '@app/persistence';
import { foldCase } from '@app/identity';
import type { ResolvedAuthOptions } from './auth-options.interface';
import { InjectAuthDataSource, InjectAuthOptions } from './inject-auth.decorator';
import { sha256Hex } from './secrets.util';
import { SignInThrottleEntity } from './sign-in-throttle.entity';
import { forUpdate } from './sql.util';

/** Something whose failed attempts are counted: a key and how many failures a window allows it. */
export interface ThrottleSubject {
  key: string;
  maxFailures: number;
}

/**
 * Counts failed sign-ins per login and per source address in the database, so all instances share the counts. A
 * subject reaching its limit within the window is blocked for one window; a success clears the login's count.
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

  /** The subjects of a sign-in: its login (case-folded, as logins match) and, when known, its source address. */
  subjectsOf(login: string, address?: string): ThrottleSubject[] {
    const settings = this.options.signInThrottle;
    const subjects = [{ key: `login:${foldCase(String(login))}`, maxFailures: settings.maxFailuresPerLogin }];
    if (address) subjects.push({ key: `address:${address}`, maxFailures: settings.maxFailuresPerAddress });
    return subjects;
  }

  /** Seconds until none of the subjects is blocked; 0 when none is. */
  async retryAfterSeconds(subjects: ThrottleSubject[], now = new Date()): Promise<number> {
    let waitMs = 0;
    for (const subject of subjects) {
      const row = await this.dataSource.manager.findOneBy(SignInThrottleEntity, {
        subjectHash: sha256Hex(subject.key),
      });
      if (row?.blockedUntil && row.blockedUntil.getTime() > now.getTime()) {
        waitMs = Math.max(waitMs, row.blockedUntil.getTime() - now.getTime());
      }
    }
    return Math.ceil(waitMs / 1000);
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

  /** Deletes rows that no longer block and whose window is over; for a periodic clean-up. */
  async purgeExpired(now = new Date()): Promise<void> {
    const windowStart = new Date(now.getTime() - this.windowMs);
    await inTransaction(this.dataSource, (m) =>
      m
        .createQueryBuilder()
        .delete()
        .from(SignInThrottleEntity)
        .where('window_started_at < :windowStart AND (blocked_until IS NULL OR blocked_until < :now)', {
          windowStart,
          now,
        })
        .execute(),
    );
  }
}
