import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { createScratchDatabase, ScratchDatabase, testDialects } from '@nest-scim/persistence/testing';
import { ScimActivityRecordEntity, ScimActivityRecorder } from '@nest-scim/provisioning';
import { flushLogDestinations } from '../../apps/server/src/logging/log-destination';
import { TcpProxy } from '../support/tcp-proxy';
import {
  expectScimError,
  failInserts,
  filterQuery,
  patchOps,
  SCIM,
  SCIM_JSON,
  ScimTestServer,
  startHardenedServer,
  userBody,
} from './hardening-support';

/** Known values that must never reach a log line, whatever the request's fate. */
const PII = 'canary.pii.4f1c@contoso.example';
const PII_NAME = 'Canary Ninetynine Person';
const FAULT_TEXT = 'canary-fault-value-8e2d';
const BAD_TOKEN = 'CanaryToken-91b7e0c4d2a6f8e1';
const BAD_SQU_TOKEN = `squ_${'c0ffee'.repeat(6)}c0ff`;
/** Token-shaped strings where no credential belongs: in a path, and as a client's request id. */
const PATH_TOKEN = `squ_${'ab5e'.repeat(10)}`;
const PATH_TOKEN_GLUED = `sqa_${'0d15ea5e'.repeat(5)}`;
const REQUEST_ID_TOKEN = `sqp_${'fee1dead'.repeat(5)}`;
const REQUEST_ID_SECRET = 'Q2FuYXJ5U2VjcmV0UmVxdWVzdElkMDAwMDAwMA';

/*
 * Security case A.7: with every log line captured at the most verbose level (the pino destination, a file here, plus
 * anything written to the console), a known token and known filter values go through successful and failing requests —
 * 200, 201, 400, 401, 409, a database error (500), and on MySQL the database cut off (503) — and appear nowhere.
 */
describe.each(testDialects())('no token and no filter value in any log line (%s)', (dialect) => {
  let dir: string;
  let logFile: string;
  let scratch: ScratchDatabase;
  let proxy: TcpProxy | undefined;
  let s: ScimTestServer;
  const consoleLines: string[] = [];
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scim-canary-'));
    logFile = join(dir, 'server.log');
    scratch = await createScratchDatabase(dialect);
    let database = scratch;
    if (dialect === 'mysql') {
      const target = new URL(scratch.url!);
      proxy = new TcpProxy(target.hostname, Number(target.port || 3306));
      const port = await proxy.open();
      const viaProxy = new URL(scratch.url!);
      viaProxy.host = `127.0.0.1:${port}`;
      database = { ...scratch, url: viaProxy.toString() };
    }
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spies.push(
        jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleLines.push(format(...args))),
      );
    }
    s = await startHardenedServer(dialect, {
      database,
      env: { LOG_FILE: logFile, LOG_LEVEL: 'trace', LOG_FORMAT: 'json' },
    });
    // What app.listen() does in main.ts: the harness only calls init(), which leaves Nest's own lines buffered.
    s.app.flushLogs();
  });
  afterAll(async () => {
    await s.close();
    await proxy?.cut();
    await scratch.drop();
    for (const spy of spies) spy.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  });

  it('covers every outcome, then finds none of the canaries in the logs', async () => {
    const withToken = (token: string) => (req: import('supertest').Test) => req.set('Authorization', `Bearer ${token}`);
    const byFilter = `/Users?${filterQuery(`userName eq "${PII}"`)}`;

    // 200 and 201, with the real token.
    expect((await s.get(byFilter)).status).toBe(200);
    const created = await s.post(
      '/Users',
      userBody(PII, { displayName: PII_NAME, emails: [{ value: PII, primary: true }] }),
    );
    expect(created.status).toBe(201);
    expect((await s.get(byFilter)).body.totalResults).toBe(1);
    expect(
      (await s.patch(`/Users/${created.body.id}`, patchOps({ op: 'replace', path: 'displayName', value: PII_NAME })))
        .status,
    ).toBe(200);
    // 409.
    expectScimError(await s.post('/Users', userBody(PII)), 409);
    // 400: a broken filter and a broken PATCH, both quoting the canary.
    expectScimError(await s.get(`/Users?${filterQuery(`userName eq "${PII}" and (`)}`), 400);
    expectScimError(await s.get(`/Users?${filterQuery(`${PII_NAME.split(' ')[0]} eq "${PII}"`)}`), 400);
    expectScimError(
      await s.patch(
        `/Users/${created.body.id}`,
        patchOps({ op: 'replace', path: `emails[value eq "${PII}"`, value: PII }),
      ),
      400,
    );
    // 401: unknown tokens, and the real token where it is no credential.
    expectScimError(await withToken(BAD_TOKEN)(s.http().get(`${SCIM}${byFilter}`)), 401);
    expectScimError(
      await withToken(BAD_SQU_TOKEN)(s.http().post(`${SCIM}/Users`).set('Content-Type', SCIM_JSON)).send(
        JSON.stringify(userBody(PII)),
      ),
      401,
    );
    expectScimError(await s.http().get(`${SCIM}${byFilter}&access_token=${s.token}`), 401);
    expectScimError(await s.http().get(`${SCIM}/Users`).set('Cookie', `token=${s.token}`), 401);
    expectScimError(
      await s
        .http()
        .get(`${SCIM}/Users`)
        .set('Authorization', `Basic ${Buffer.from(`${BAD_TOKEN}:${PII}`).toString('base64')}`),
      401,
    );
    // Token-shaped strings in paths (an id, a Web API route), with the real token (404) and without (401).
    expectScimError(await s.get(`/Users/${PATH_TOKEN}`), 404);
    expectScimError(await s.get(`/Groups/x${PATH_TOKEN_GLUED}`), 404);
    expectScimError(await withToken(BAD_TOKEN)(s.http().get(`${SCIM}/Users/${PATH_TOKEN}`)), 401);
    expect(
      (await s.http().get(`/api/user_tokens/${PATH_TOKEN}`).set('Authorization', `Bearer ${s.token}`)).status,
    ).toBe(404);
    // A client's request id that looks like a secret is neither kept (logs, audit trail) nor echoed.
    for (const requestId of [REQUEST_ID_TOKEN, REQUEST_ID_SECRET]) {
      const res = await s.get('/Users').set('X-Request-Id', requestId);
      expect(res.status).toBe(200);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    const plain = await s.get('/Users').set('X-Request-Id', 'entra-sync-42');
    expect(plain.headers['x-request-id']).toBe('entra-sync-42');
    // 500: the database refuses with a message quoting a value, as driver errors do.
    const removeFault = await failInserts(s.dataSource, 'scim_user_profiles', `${FAULT_TEXT} ${PII}`);
    try {
      expectScimError(await s.post('/Users', userBody(`second.${PII}`, { displayName: PII_NAME })), 500);
    } finally {
      await removeFault();
    }
    // 503: the database is gone (MySQL only: SQLite is a file inside the process).
    if (proxy) {
      const port = proxy.port;
      await proxy.cut();
      const down = await s.get(byFilter);
      expectScimError(down, 503);
      expect(down.headers['retry-after']).toMatch(/^\d+$/);
      expectScimError(await s.post('/Users', userBody(`third.${PII}`, { displayName: PII_NAME })), 503);
      await proxy.open(port);
      let status = 0;
      for (let i = 0; i < 40 && status !== 200; i++) {
        status = (await s.get(byFilter)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      expect(status).toBe(200);
    }

    // The destination buffers lines: the ones logged so far are written out before the file is read.
    await flushLogDestinations();
    const text = readFileSync(logFile, 'utf8');
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    // Every line is a JSON object: nothing bypassed the structured logger.
    const records = lines.map((line) => JSON.parse(line) as { res?: { statusCode?: number }; msg?: string });
    // The capture saw the requests: one completion line per outcome (proof that a clean log is not an empty one).
    const statuses = new Set(records.map((r) => r.res?.statusCode).filter((c) => c !== undefined));
    for (const status of [200, 201, 400, 401, 404, 409, 500, ...(proxy ? [503] : [])])
      expect(statuses).toContain(status);
    // The token-shaped paths were logged, blanked.
    expect(text).toContain('/api/scim/v2/Users/squ_[redacted]');
    expect(text).toContain('entra-sync-42');
    expect(records.some((r) => /failed with 500/.test(r.msg ?? ''))).toBe(true);

    const everything = `${text}\n${consoleLines.join('\n')}`;
    const canaries = [
      s.token,
      s.token.slice(4),
      BAD_TOKEN,
      BAD_SQU_TOKEN,
      PATH_TOKEN,
      PATH_TOKEN.slice(4),
      PATH_TOKEN_GLUED.slice(4),
      REQUEST_ID_TOKEN.slice(4),
      REQUEST_ID_SECRET,
      PII,
      encodeURIComponent(PII),
      PII_NAME,
      FAULT_TEXT,
    ];
    for (const canary of canaries) {
      expect({ canary, found: everything.toLowerCase().includes(canary.toLowerCase()) }).toEqual({
        canary,
        found: false,
      });
    }

    // The activity records of the same requests hold none of them either. The userName is the one value they keep
    // (the admin sees it as the account's login in the product); a lookup's filter value is not kept with it.
    await s.app.get(ScimActivityRecorder).flush();
    const activity = await s.dataSource.manager.find(ScimActivityRecordEntity);
    expect(new Set(activity.map((r) => r.status))).toEqual(statuses);
    expect(activity.filter((r) => r.operation === 'lookup').every((r) => r.subject === null)).toBe(true);
    const stored = JSON.stringify(activity).toLowerCase();
    for (const canary of canaries.filter((c) => c !== PII)) {
      expect({ canary, foundInActivity: stored.includes(canary.toLowerCase()) }).toEqual({
        canary,
        foundInActivity: false,
      });
    }
  });
});
