import { randomUUID } from 'node:crypto';
import { SessionsService, SignInThrottleEntity, UserSessionEntity } from '@nest-scim/auth';
import { createScratchDatabase, ScratchDatabase, testDialects } from '@nest-scim/persistence/testing';
import { ScimActivityRecordEntity } from '@nest-scim/provisioning';
import { SamlAuthnRequestEntity, SamlMessageIdEntity } from '@nest-scim/saml';
import { ExpiredRowsPurger } from '../../apps/server/src/maintenance/expired-rows.purger';
import { startTestServer, TestServer } from '../support/server-harness';
import { ScimTestServer, startScimServer } from '../support/scim-harness';

const HOUR = 3600_000;
const EXPIRED_SESSIONS = 1234;

/*
 * Expired sessions, failed-sign-in counters, SAML records and old SCIM activity records are purged on a schedule by every instance. Two instances
 * purging the same database at the same moment delete each expired row once, in batches, and nothing alive.
 */
describe.each(testDialects())('purging expired rows with two instances at once (%s)', (dialect) => {
  let database: ScratchDatabase;
  let s: ScimTestServer;
  let peer: TestServer;

  beforeAll(async () => {
    database = await createScratchDatabase(dialect);
    s = await startScimServer(dialect, { database, withoutScimMode: true });
    peer = await startTestServer(dialect, { database, env: { LICENSE_PUBLIC_KEYS: s.licenseKeys.publicKey } });
  });
  afterAll(async () => {
    await peer.close();
    await s.close();
    await database.drop();
  });

  it('deletes what expired, once, and keeps what is alive', async () => {
    const now = new Date();
    const past = new Date(now.getTime() - HOUR);
    const future = new Date(now.getTime() + HOUR);
    const m = s.dataSource.manager;
    const session = (expiresAt: Date) => ({
      id: randomUUID(),
      userId: s.adminUserId,
      tokenHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      createdAt: past,
      expiresAt,
    });
    for (let at = 0; at < EXPIRED_SESSIONS; at += 200) {
      await m.insert(
        UserSessionEntity,
        Array.from({ length: Math.min(200, EXPIRED_SESSIONS - at) }, () => session(past)),
      );
    }
    const live = await s.app.get(SessionsService).createSession(s.adminUserId);
    const throttle = (key: string, windowStartedAt: Date, blockedUntil: Date | null) => ({
      subjectHash: key.padEnd(64, '0'),
      failures: 1,
      windowStartedAt,
      blockedUntil,
    });
    const longAgo = new Date(now.getTime() - 24 * HOUR);
    await m.insert(SignInThrottleEntity, [
      throttle('a1', longAgo, null),
      throttle('a2', longAgo, past),
      throttle('b1', longAgo, future),
      throttle('b2', now, null),
    ]);
    await m.insert(SamlAuthnRequestEntity, [
      { requestId: 'expired-request', purpose: 'sign_in', createdAt: longAgo, expiresAt: past },
      { requestId: 'pending-request', purpose: 'sign_in', createdAt: now, expiresAt: future },
    ]);
    await m.insert(SamlMessageIdEntity, [
      { messageId: 'expired-assertion', expiresAt: past },
      { messageId: 'recent-assertion', expiresAt: future },
    ]);

    // SCIM activity records past SCIM_ACTIVITY_RETENTION_DAYS (30 by default), and one within it.
    const activity = (occurredAt: Date) => ({
      id: randomUUID(),
      occurredAt,
      requestId: null,
      method: 'GET',
      route: '/Users',
      resourceType: 'User',
      resourceId: null,
      subject: null,
      operation: 'list',
      memberChanges: 0,
      status: 200,
      scimType: null,
      detail: null,
      cause: null,
      durationMs: 3,
    });
    const expiredActivity = Array.from({ length: 700 }, () => activity(new Date(now.getTime() - 31 * 24 * HOUR)));
    await m.insert(ScimActivityRecordEntity, expiredActivity.slice(0, 350));
    await m.insert(ScimActivityRecordEntity, expiredActivity.slice(350));
    const recentActivity = activity(new Date(now.getTime() - 29 * 24 * HOUR));
    await m.insert(ScimActivityRecordEntity, recentActivity);

    const runs = await Promise.all([
      s.app.get(ExpiredRowsPurger).purgeOnce(now),
      peer.app.get(ExpiredRowsPurger).purgeOnce(now),
    ]);
    expect(runs.every((r) => r !== undefined)).toBe(true);
    const total = (kind: 'sessions' | 'signInThrottle' | 'saml' | 'scimActivity') =>
      runs.reduce((n, r) => n + r![kind], 0);
    // Every expired row deleted exactly once between the two instances.
    expect([total('sessions'), total('signInThrottle'), total('saml'), total('scimActivity')]).toEqual([
      EXPIRED_SESSIONS,
      2,
      2,
      700,
    ]);
    expect((await m.find(ScimActivityRecordEntity)).map((r) => r.id)).toEqual([recentActivity.id]);

    expect(await m.count(UserSessionEntity)).toBe(1);
    expect(await s.app.get(SessionsService).resolveSession(live.token)).toMatchObject({ userId: s.adminUserId });
    expect((await m.find(SignInThrottleEntity)).map((r) => r.subjectHash.slice(0, 2)).sort()).toEqual(['b1', 'b2']);
    expect((await m.find(SamlAuthnRequestEntity)).map((r) => r.requestId)).toEqual(['pending-request']);
    expect((await m.find(SamlMessageIdEntity)).map((r) => r.messageId)).toEqual(['recent-assertion']);

    // Nothing left to do: a second run deletes nothing.
    expect(await s.app.get(ExpiredRowsPurger).purgeOnce(now)).toEqual({
      sessions: 0,
      signInThrottle: 0,
      saml: 0,
      scimActivity: 0,
    });
  });
});
