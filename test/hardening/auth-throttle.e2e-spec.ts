import { AuthenticationFailure, LocalAccountsService, SignInThrottleService, UserTokensService } from '@app/auth';
import { createScratchDatabase, ScratchDatabase, testDialects } from '@app/persistence/testing';
import { ScimAuthThrottle } from '@app/provisioning/scim-auth-throttle';
import { startTestServer, TestServer } from '../support/server-harness';
import { expectScimError, SCIM, SCIM_JSON, ScimTestServer, startHardenedServer, userBody } from './hardening-support';

const MAX_FAILURES = 5;
const WINDOW_SECONDS = 60;
const ENV = {
  AUTH_MAX_FAILURES_PER_ADDRESS: String(MAX_FAILURES),
  AUTH_THROTTLE_WINDOW_SECONDS: String(WINDOW_SECONDS),
};

/*
 * security-cases.md A.8: brute-forcing tokens from one address is throttled (429 with Retry-After), across every
 * instance, while an authenticated token's traffic is never slowed or refused, whatever its address did: Entra calls
 * from shared addresses, and a rate limit that catches it puts the tenant in quarantine (security-cases (b)).
 */
describe.each(testDialects())('failed-authentication throttling on the SCIM endpoint (%s)', (dialect) => {
  let database: ScratchDatabase;
  let s: ScimTestServer;
  let peer: TestServer;
  let viewerToken: string;

  beforeAll(async () => {
    database = await createScratchDatabase(dialect);
    s = await startHardenedServer(dialect, { database, env: ENV });
    // A second instance on the same database, as behind a load balancer.
    peer = await startTestServer(dialect, { database, env: { ...ENV, LICENSE_PUBLIC_KEYS: s.licenseKeys.publicKey } });
    const viewer = await s.app
      .get(LocalAccountsService)
      .createLocalUser({ login: 'viewer', name: 'Viewer', password: 'Viewer-pass-1234!' });
    viewerToken = (await s.app.get(UserTokensService).generate({ userId: viewer.id, name: 'v' })).token;
  });
  afterAll(async () => {
    await peer.close();
    await s.close();
    await database.drop();
  });

  const get = (server: TestServer, token?: string) => {
    const req = server.http().get(`${SCIM}/Users`);
    return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  };
  const bad = (i: number) => `squ_${i.toString(16).padStart(40, '0')}`;
  const throttleRows = async () =>
    s.dataSource.query(
      'SELECT subject_hash, failures, window_started_at, blocked_until FROM sign_in_throttle ORDER BY subject_hash',
    );

  it('a valid token that lacks permission (403) is not an authentication failure and is never counted', async () => {
    for (let i = 0; i < MAX_FAILURES + 2; i++) expectScimError(await get(s, viewerToken), 403);
    expect(await throttleRows()).toEqual([]);
  });

  it('after the limit, failures from the address answer 429 with Retry-After on every instance; a valid token still works', async () => {
    for (let i = 0; i < MAX_FAILURES; i++) expectScimError(await get(s, bad(i)), 401);
    const throttled = await get(s, bad(100));
    expectScimError(throttled, 429);
    const retryAfter = Number(throttled.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(JSON.stringify(throttled.body)).not.toContain(bad(100));

    // Shared through the database: the other instance refuses the same address at once.
    expectScimError(await get(peer, bad(101)), 429);
    expectScimError(await get(peer), 429);
    expect((await get(peer, bad(102))).headers['retry-after']).toMatch(/^\d+$/);

    // Authenticated traffic from the very same address is untouched, reads and writes, on both instances.
    await get(s, s.token).expect(200);
    await get(peer, s.token).expect(200);
    const created = await s
      .http()
      .post(`${SCIM}/Users`)
      .set('Authorization', `Bearer ${s.token}`)
      .set('Content-Type', SCIM_JSON)
      .send(JSON.stringify(userBody('throttle-ok@contoso.com')));
    expect(created.status).toBe(201);
    // And a valid non-admin token still gets its honest 403, not a 429.
    expectScimError(await get(peer, viewerToken), 403);
  });

  it('while an address is throttled its failures are no longer written: a flood costs reads, not writes', async () => {
    const before = await throttleRows();
    expect(before).toHaveLength(1);
    await Promise.all(Array.from({ length: 30 }, (_, i) => get(i % 2 ? s : peer, bad(200 + i))));
    expect(await throttleRows()).toEqual(before);
  });

  it('the block ends with its window, and another address is counted on its own', async () => {
    const throttle = s.app.get(SignInThrottleService);
    const subject = { key: 'scim-address:127.0.0.1', maxFailures: MAX_FAILURES };
    expect(await throttle.retryAfterSeconds([subject])).toBeGreaterThan(0);
    expect(await throttle.retryAfterSeconds([subject], new Date(Date.now() + (WINDOW_SECONDS + 1) * 1000))).toBe(0);

    const scimThrottle = s.app.get(ScimAuthThrottle);
    const failure = AuthenticationFailure.unknownToken();
    expect(await scimThrottle.refuse({ ip: '203.0.113.7' }, failure)).toBe(failure);
    expect((await scimThrottle.refuse({ ip: '::ffff:127.0.0.1' }, failure)).getStatus()).toBe(429);
    // No address (a unix socket, a test double): nothing to count, the 401 stands.
    expect(await scimThrottle.refuse({}, failure)).toBe(failure);
  });
});
