import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { createScratchDatabase, RESOLVED_MYSQL_URL_VARIABLE } from '@nest-scim/persistence/testing';
import { TcpProxy } from '../support/tcp-proxy';
import { webApi } from '../support/web-api-harness';
import { expectScimError, filterQuery, ScimTestServer, startHardenedServer, userBody } from './hardening-support';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Short limits, so that a stall shows within a test's patience; production defaults are 15 s and 5 s. */
const TIMEOUTS = { DATABASE_QUERY_TIMEOUT_MS: '1500', DATABASE_ACQUIRE_TIMEOUT_MS: '1000' };
/** What "answers within a bound instead of hanging" means here: well above the limits, far below a hang. */
const BOUND_MS = 12_000;

/** A request's answer and how long it took; a request still unanswered after 60 s counts as hung (status 0). */
async function timed(request: PromiseLike<Response>): Promise<{ res?: Response; ms: number }> {
  const started = Date.now();
  const res = await Promise.race([Promise.resolve(request), sleep(60_000).then(() => undefined)]);
  return { res, ms: Date.now() - started };
}

function expectUnavailable(answer: { res?: Response; ms: number }, scim: boolean): void {
  expect(answer.res?.status).toBe(503);
  expect(answer.ms).toBeLessThan(BOUND_MS);
  expect(Number(answer.res!.headers['retry-after'])).toBeGreaterThan(0);
  if (scim) expectScimError(answer.res!, 503);
  else expect(answer.res!.body.errors[0].msg).toMatch(/temporarily unavailable/);
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if (await check()) return;
    await sleep(250);
  }
  throw new Error(`never happened: ${what}`);
}

const mysqlUrl = process.env[RESOLVED_MYSQL_URL_VARIABLE];
(mysqlUrl ? describe : describe.skip)('a stalled MySQL database (connections open, nothing answered)', () => {
  let proxy: TcpProxy;
  let s: ScimTestServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const scratch = await createScratchDatabase('mysql');
    drop = scratch.drop;
    const target = new URL(scratch.url!);
    proxy = new TcpProxy(target.hostname, Number(target.port || 3306));
    const port = await proxy.open();
    const viaProxy = new URL(scratch.url!);
    viaProxy.host = `127.0.0.1:${port}`;
    s = await startHardenedServer('mysql', { database: { ...scratch, url: viaProxy.toString() }, env: TIMEOUTS });
  });
  afterAll(async () => {
    proxy.thaw();
    await s.close();
    await proxy.cut();
    await drop();
  });

  it('every request answers 503 with Retry-After within a bound (SCIM errors on SCIM, the Web API shape on the Web API), and the server recovers by itself', async () => {
    // Warm: pooled connections are open, which is what a stall catches.
    await Promise.all(Array.from({ length: 5 }, () => s.get('/Users').expect(200)));
    const admin = webApi(s, { bearer: s.token });
    await admin.get('/api/users/search').expect(200);

    proxy.freeze();
    const scimReads = Array.from({ length: 15 }, (_, i) =>
      timed(s.get(`/Users?${filterQuery(`userName eq "stall-${i}@contoso.com"`)}`)),
    );
    const scimWrites = Array.from({ length: 3 }, (_, i) =>
      timed(s.post('/Users', userBody(`stall-w${i}@contoso.com`))),
    );
    const webReads = Array.from({ length: 3 }, () => timed(admin.get('/api/users/search')));
    const webWrite = timed(admin.post('/api/user_groups/create', { name: 'stall-group' }));
    // The sign-in routes read the SAML settings: a 503 there too, never a 500.
    const samlSignIn = timed(s.http().get('/sessions/init/saml').set('Accept', 'application/json'));
    const answers = await Promise.all([...scimReads, ...scimWrites]);
    for (const answer of answers) expectUnavailable(answer, true);
    for (const answer of await Promise.all([...webReads, webWrite, samlSignIn])) expectUnavailable(answer, false);
    // Still stalled: later requests are refused within the bound too, and health says so.
    expectUnavailable(await timed(s.get('/Users')), true);
    expect((await timed(s.http().get('/api/system/health'))).res?.status).toBe(503);

    // The stall ends: no restart, the pool replaces what it dropped.
    proxy.thaw();
    await until(async () => (await s.get('/Users')).status === 200, 'SCIM answers again');
    await until(async () => (await admin.get('/api/users/search')).status === 200, 'the Web API answers again');
    await s.post('/Users', userBody('after-stall@contoso.com')).expect(201);
    // What was refused during the stall was not half-written: no stall user exists.
    const [row] = await s.dataSource.query("SELECT COUNT(*) AS n FROM users WHERE login LIKE 'stall-%'");
    expect(Number(row.n)).toBe(0);
  }, 120_000);
});

describe('SQLite with its file locked by another process', () => {
  let dir: string;
  let s: ScimTestServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scim-stall-'));
    const sqlitePath = join(dir, 'scim.sqlite');
    s = await startHardenedServer('sqlite', {
      database: { dialect: 'sqlite', sqlitePath, drop: async () => undefined },
      env: TIMEOUTS,
    });
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a write waits for the lock for a bounded time, answers 503 with Retry-After, and succeeds once the lock is gone', async () => {
    // Another process holding the write lock (a backup tool, a migration run by hand).
    const other = await new DataSource({ type: 'better-sqlite3', database: s.config.database.sqlitePath }).initialize();
    try {
      await other.query('BEGIN EXCLUSIVE');
      const refused = await timed(s.post('/Users', userBody('locked@contoso.com')));
      expectUnavailable(refused, true);
      await other.query('ROLLBACK');
    } finally {
      await other.destroy();
    }
    await s.post('/Users', userBody('locked@contoso.com')).expect(201);
  });
});
