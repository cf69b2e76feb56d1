import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import {
  AuthenticationFailure,
  LocalAccountsService,
  SignInThrottleService,
  TokenAuthenticationThrottle,
  UserTokensService,
} from '@nest-scim/auth';
import { createScratchDatabase, ScratchDatabase, testDialects } from '@nest-scim/persistence/testing';
import { ScimActivityRecordEntity, ScimActivityRecorder } from '@nest-scim/provisioning';
import { flushLogDestinations } from '../../apps/server/src/logging/log-destination';
import { startTestServer, TestServer } from '../support/server-harness';
import { recordStatements } from '../support/sql-statements';
import { expectScimError, SCIM, SCIM_JSON, ScimTestServer, startHardenedServer, userBody } from './hardening-support';

const MAX_FAILURES = 5;
const WINDOW_SECONDS = 60;
const ENV = {
  AUTH_MAX_FAILURES_PER_ADDRESS: String(MAX_FAILURES),
  AUTH_THROTTLE_WINDOW_SECONDS: String(WINDOW_SECONDS),
  // These cases are about what refusals say and cost, answered at once; the hold has cases of its own (below).
  AUTH_BLOCKED_REFUSAL_DELAY_MS: '0',
};

/*
 * Security case A.8: brute-forcing tokens from one address is throttled (429 with Retry-After), across every
 * instance, while an authenticated token's traffic is never slowed or refused, whatever its address did: Entra calls
 * from shared addresses, and a rate limit that catches it puts the tenant in quarantine.
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
    const subject = { key: 'token-address:127.0.0.1', maxFailures: MAX_FAILURES };
    expect(await throttle.retryAfterSeconds([subject])).toBeGreaterThan(0);
    expect(await throttle.retryAfterSeconds([subject], new Date(Date.now() + (WINDOW_SECONDS + 1) * 1000))).toBe(0);

    const scimThrottle = s.app.get(TokenAuthenticationThrottle);
    const failure = AuthenticationFailure.unknownToken();
    expect(await scimThrottle.refuse({ ip: '203.0.113.7' }, failure)).toBe(failure);
    expect((await scimThrottle.refuse({ ip: '::ffff:127.0.0.1' }, failure)).getStatus()).toBe(429);
    // No address (a unix socket, a test double): nothing to count, the 401 stands.
    expect(await scimThrottle.refuse({}, failure)).toBe(failure);
  });
});

/*
 * One budget per address for every token-authenticated surface: failures on the admin Web API and on SCIM count
 * together, and a blocked address is refused on both. Refusals stay cheap: a blocked address presenting tokens that
 * do not exist is refused before any database work.
 */
describe.each(testDialects())('failed token authentications on every surface (%s)', (dialect) => {
  let database: ScratchDatabase;
  let s: ScimTestServer;

  beforeAll(async () => {
    database = await createScratchDatabase(dialect);
    s = await startHardenedServer(dialect, { database, env: ENV });
  });
  afterAll(async () => {
    await s.close();
    await database.drop();
  });

  const bad = (i: number) => `squ_${(0xbad000 + i).toString(16).padStart(40, '0')}`;
  const basic = (token: string) => `Basic ${Buffer.from(`${token}:`).toString('base64')}`;
  const webApi = (authorization: string) => s.http().get('/api/users/search').set('Authorization', authorization);
  const scim = (authorization: string) => s.http().get(`${SCIM}/Users`).set('Authorization', authorization);

  it('counts failures of the admin Web API and of SCIM together, and refuses the address on both', async () => {
    for (let i = 0; i < MAX_FAILURES - 2; i++) {
      const res = await webApi(`Bearer ${bad(i)}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: [{ msg: "Token doesn't exist" }] });
    }
    expectScimError(await scim(`Bearer ${bad(10)}`), 401);
    expectScimError(await scim(basic(bad(11))), 401);

    expectScimError(await scim(`Bearer ${bad(12)}`), 429);
    for (const authorization of [`Bearer ${bad(13)}`, basic(bad(14)), 'Bearer not a token']) {
      const refused = await webApi(authorization);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body.errors[0].msg).toBe('Too many failed authentications from this address; retry later');
    }

    // The admin's token, as Bearer and as Basic with an empty password, still works on both surfaces.
    for (const authorization of [`Bearer ${s.token}`, basic(s.token)]) {
      await webApi(authorization).expect(200);
      await scim(authorization).expect(200);
    }
    // And a session-less request without credentials to the Web API is a plain 401 (a browser that signed out).
    expect((await s.http().get('/api/users/search')).status).toBe(401);
  });

  it('refuses a blocked address presenting unknown tokens before any database work', async () => {
    const requests = 60;
    const started = Date.now();
    const { statements } = await recordStatements(s.dataSource, async () => {
      for (let i = 0; i < requests; i++) {
        const res = await (i % 2 ? webApi(`Bearer ${bad(100 + i)}`) : scim(`Bearer ${bad(100 + i)}`));
        expect(res.status).toBe(429);
      }
    });
    const seconds = Math.ceil((Date.now() - started) / 1000);
    // The only statements are re-reads of the existing tokens' digests, at most one a second whatever the volume.
    expect(statements.filter((st) => !/token_hash/.test(st.sql) || !/user_tokens/.test(st.sql))).toEqual([]);
    expect(statements.length).toBeLessThanOrEqual(seconds + 1);
    expect(statements.length).toBeLessThan(requests / 4);
  });

  it('lets a token made on another instance through at once: the digests are read again for a token not in them', async () => {
    // This instance learns of the new token only from the database, as with a token made on another instance.
    const { token } = await s.app.get(UserTokensService).generate({ userId: s.adminUserId, name: 'fresh' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await scim(`Bearer ${token}`).expect(200);
    await webApi(`Bearer ${token}`).expect(200);
  });
});

/*
 * A flood of made-up tokens from a blocked address must not slow anyone else: this instance refuses such a request
 * from memory before the SCIM endpoint's routing, guards and filter (ScimBlockedAddressRefusal), with the very answer
 * the access checks give. Each refusal keeps its request log line and its count in /metrics; the activity records keep
 * at most one of them a second, not one row per request of a flood. It never refuses on stale knowledge, and never a
 * token that exists.
 */
describe.each(testDialects())('a blocked address refused before the SCIM pipeline (%s)', (dialect) => {
  const METRICS_TOKEN = 'metrics-token-for-the-flood-0001';
  let dir: string;
  let logFile: string;
  let s: ScimTestServer;
  let admit: jest.SpyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scim-flood-'));
    logFile = join(dir, 'server.log');
    s = await startHardenedServer(dialect, {
      env: { ...ENV, METRICS_TOKEN, LOG_FILE: logFile, LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
    });
    admit = jest.spyOn(s.app.get(TokenAuthenticationThrottle), 'admit');
  });
  afterAll(async () => {
    admit?.mockRestore();
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const bad = (i: number) => `squ_${(0xf100d0 + i).toString(16).padStart(40, '0')}`;
  const scim = (token?: string) => {
    const req = s.http().get(`${SCIM}/Users?count=1`);
    return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  };
  /** What a client sees of a refusal, bar the seconds of Retry-After (they count down). */
  const seen = (res: Response) => ({
    status: res.status,
    contentType: res.headers['content-type'],
    retryAfter: /^[1-9]\d*$/.test(String(res.headers['retry-after'])),
    wwwAuthenticate: res.headers['www-authenticate'],
    body: res.body,
  });

  it('answers exactly as the access checks do, runs no statement, and passes a valid token and stale knowledge on', async () => {
    for (let i = 0; i < MAX_FAILURES; i++) expectScimError(await scim(bad(i)), 401);
    // The address is found blocked in the database, then (the existing tokens not yet known) refused by the checks.
    const first = await scim(bad(10));
    const second = await scim(bad(11));
    expect(admit).toHaveBeenCalledTimes(MAX_FAILURES + 2);
    expectScimError(first, 429);
    expect(seen(second)).toEqual(seen(first));
    expect(first.body.detail).toBe('Too many failed authentications from this address; retry later');

    // Now known blocked, with a fresh list of the existing tokens: refused before the checks, and before any statement.
    admit.mockClear();
    const { result: early, statements } = await recordStatements(s.dataSource, async () => [
      await scim(bad(12)),
      await scim(bad(13)),
      await scim(),
      await s
        .http()
        .get(`${SCIM}/NoSuchEndpoint`)
        .set('Authorization', `Bearer ${bad(14)}`),
    ]);
    expect(statements).toEqual([]);
    expect(admit).not.toHaveBeenCalled();
    for (const res of early.slice(0, 3)) expect(seen(res)).toEqual(seen(first));
    expect(seen(early[3])).toEqual(seen(first));
    expect(Number(early[0].headers['retry-after'])).toBeLessThanOrEqual(Number(first.headers['retry-after']));
    expect(early[0].headers['x-request-id']).toMatch(/\S/);

    // A token that exists, from the same blocked address, is never refused.
    await scim(s.token).expect(200);
    expect(admit).toHaveBeenCalledTimes(1);

    // Once the list of existing tokens is over a second old, a token missing from it goes the normal way again (the
    // checks read the list once more), and the next one is refused early again.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    admit.mockClear();
    expect(seen(await scim(bad(15)))).toEqual(seen(first));
    expect(admit).toHaveBeenCalledTimes(1);
    expect(seen(await scim(bad(16)))).toEqual(seen(first));
    expect(admit).toHaveBeenCalledTimes(1);
  });

  it('keeps the refusals visible: a log line and a count in /metrics each, an activity record at most once a second', async () => {
    // 3 refused by the checks (the first two, and the one after the stale list), 5 before them: 4 within a few
    // milliseconds, 1 more over a second later.
    const refused = 8;
    await s.app.get(ScimActivityRecorder).flush();
    const records = await s.dataSource.manager.find(ScimActivityRecordEntity, { where: { status: 429 } });
    const detail = 'Too many failed authentications from this address; retry later';
    expect(records.map((r) => [r.route, r.cause, r.detail])).toEqual(
      Array.from({ length: 3 + 2 }, () => ['/Users', 'throttled', detail]),
    );

    const scrape = await s.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    const count = (name: string, label: RegExp) =>
      scrape.text
        .split('\n')
        .filter((line) => line.startsWith(`${name}{`) && label.test(line))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    expect(count('scim_requests_total', /status="429"/)).toBe(refused);
    expect(count('scim_refusals_total', /reason="throttled"/)).toBe(refused);

    await flushLogDestinations();
    const lines = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { res?: { statusCode?: number }; req?: { path?: string; id?: string } });
    const logged = lines.filter((line) => line.res?.statusCode === 429);
    expect(logged).toHaveLength(refused);
    expect(logged.every((line) => line.req?.path?.startsWith(SCIM) && typeof line.req.id === 'string')).toBe(true);
  });
});

/* When the block ends, the address's requests go through to the checks again: a made-up token is a 401 once more. */
describe.each(testDialects())('a blocked address after its block (%s)', (dialect) => {
  let s: ScimTestServer;

  beforeAll(async () => {
    s = await startHardenedServer(dialect, {
      env: { AUTH_MAX_FAILURES_PER_ADDRESS: String(MAX_FAILURES), AUTH_THROTTLE_WINDOW_SECONDS: '2' },
    });
  });
  afterAll(async () => {
    await s.close();
  });

  const bad = (i: number) => `squ_${(0xe4d000 + i).toString(16).padStart(40, '0')}`;
  const scim = (token: string) => s.http().get(`${SCIM}/Users`).set('Authorization', `Bearer ${token}`);

  it('refuses early while blocked, then authenticates again', async () => {
    for (let i = 0; i < MAX_FAILURES; i++) expectScimError(await scim(bad(i)), 401);
    expectScimError(await scim(bad(10)), 429);
    expectScimError(await scim(bad(11)), 429);
    const { result: early, statements } = await recordStatements(s.dataSource, () => scim(bad(12)));
    expectScimError(early, 429);
    expect(statements).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, Number(early.headers['retry-after']) * 1000 + 100));
    expectScimError(await scim(bad(13)), 401);
    await scim(s.token).expect(200);
  });
});
