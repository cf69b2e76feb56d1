import { createServer, AddressInfo } from 'node:net';
import { createScratchDatabase, testDialects } from '@nest-scim/persistence/testing';
import { ScimActivity, ScimActivityRecordEntity, ScimActivityRecorder, ScimSwitch } from '@nest-scim/provisioning';
import { expectScimError, patchOps, userBody } from '../support/scim-expectations';
import { SCIM, ScimTestServer, startScimServer } from '../support/scim-harness';
import { startTestServer } from '../support/server-harness';

const METRICS_TOKEN = 'metrics-token-for-the-test-0001';
const GAP_MS = 3000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const UNKNOWN_ID = '0b5e1c1e-0000-4000-8000-000000000000';

/** A port nothing listens on now: bound to 0 by the system, then released. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * A strict reader of the Prometheus text format (0.0.4): every line is a HELP or TYPE comment or a sample
 * `name{label="value",…} number`; anything else fails the test. Hand-written because prom-client only writes the
 * format, and a parser package is not worth a dependency for one test.
 */
function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (comment) {
      if (comment[1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(comment[3]);
        types.set(comment[2], comment[3]);
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?(?:[0-9.]+(?:e[+-]?[0-9]+)?|\+Inf|-Inf|NaN))$/.exec(
      line,
    );
    if (!sample) throw new Error(`Not a Prometheus text line: ${line}`);
    const labels: Record<string, string> = {};
    const body = sample[2] ?? '';
    const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/g;
    let consumed = 0;
    for (let m = label.exec(body); m; m = label.exec(body)) {
      expect(m.index).toBe(consumed);
      labels[m[1]] = m[2];
      consumed = label.lastIndex;
    }
    expect(consumed).toBe(body.length);
    const family = sample[1].replace(/_(bucket|sum|count|total)$/, '');
    expect(types.has(sample[1]) || types.has(family)).toBe(true);
    samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  return samples;
}

/*
 * Entra ID's cycles as the admin reads them back: a scripted sequence with failures gives the expected cycles, failure
 * causes and counts; refused credentials and a 404 on a known id raise the quarantine risk, a clean cycle clears it;
 * a pause longer than the silence threshold makes the connection silent, the next request active again; /metrics
 * counts exactly the requests sent; SCIM switched off shows as such. Records still in memory are written on shutdown.
 */
describe.each(testDialects())('SCIM activity, cycles, failures, connection health and metrics (%s)', (dialect) => {
  let s: ScimTestServer;
  const sent = new Map<string, number>();
  const note = (route: string, method: string, status: number) => {
    const key = `${route} ${method} ${status}`;
    sent.set(key, (sent.get(key) ?? 0) + 1);
  };

  beforeAll(async () => {
    s = await startScimServer(dialect, {
      env: {
        SCIM_ACTIVITY_CYCLE_GAP_SECONDS: String(GAP_MS / 1000),
        SCIM_SILENT_AFTER_SECONDS: '3',
        METRICS_TOKEN,
      },
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('serves /metrics on a port of its own when asked, and never on the main port without a token', async () => {
    const port = await freePort();
    const server = await startScimServer(dialect, { env: { METRICS_PORT: String(port) } });
    try {
      expect((await server.get('/Groups')).status).toBe(200);
      const scrape = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(scrape.status).toBe(200);
      const samples = parsePrometheus(await scrape.text());
      expect(
        samples.find(
          (x) => x.name === 'scim_requests_total' && x.labels.route === '/Groups' && x.labels.status === '200',
        )?.value,
      ).toBe(1);
      expect(samples.some((x) => x.name === 'process_cpu_user_seconds_total')).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
      const main = await server.http().get('/metrics');
      expect(main.text ?? '').not.toContain('scim_requests_total');
    } finally {
      await server.close();
    }
  });

  it('writes what is still buffered when the server stops', async () => {
    const database = await createScratchDatabase(dialect);
    try {
      const first = await startScimServer(dialect, { database });
      for (let i = 0; i < 3; i++) expect((await first.get('/Groups')).status).toBe(200);
      // Closed at once, well within the second a record may wait in memory.
      await first.close();
      const second = await startTestServer(dialect, { database });
      try {
        const rows = await second.dataSource.manager.find(ScimActivityRecordEntity);
        expect(rows.map((r) => [r.method, r.route, r.status, r.operation])).toEqual(
          Array.from({ length: 3 }, () => ['GET', '/Groups', 200, 'list']),
        );
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
    }
  });

  it('with SCIM_ACTIVITY_RECORDING=off answers every request, writes no record, says so, and still counts in /metrics', async () => {
    const database = await createScratchDatabase(dialect);
    try {
      const off = await startScimServer(dialect, {
        database,
        env: { SCIM_ACTIVITY_RECORDING: 'off', METRICS_TOKEN },
      });
      const read = (path: string) =>
        off.http().get(`/api/scim_management/${path}`).set('Authorization', `Bearer ${off.token}`);
      try {
        expect(
          (await off.get(`/Users?filter=${encodeURIComponent('userName eq "carol@contoso.example"')}`)).status,
        ).toBe(200);
        const carol = await off.post('/Users', userBody('carol@contoso.example'));
        expect(carol.status).toBe(201);
        expect(
          (await off.patch(`/Users/${carol.body.id}`, patchOps({ op: 'Replace', path: 'displayName', value: 'Carol' })))
            .status,
        ).toBe(200);
        expect((await off.get(`/Users/${UNKNOWN_ID}`)).status).toBe(404);
        expect((await off.http().get(`${SCIM}/Users`).set('Authorization', 'Bearer squ_not-the-token')).status).toBe(
          401,
        );
        await off.app.get(ScimActivityRecorder).flush();
        expect(await off.dataSource.manager.count(ScimActivityRecordEntity)).toBe(0);

        expect((await read('connection')).body).toEqual({
          scimEnabled: true,
          recording: false,
          state: 'unrecorded',
          lastContactAt: null,
          silentAfterSeconds: 4800,
          quarantineRisk: false,
          quarantineReasons: [],
          latestCycle: null,
        });
        expect((await read('activity')).body).toMatchObject({ recording: false, total: 0, cycles: [] });
        expect((await read('failures')).body).toMatchObject({ recording: false, total: 0, groups: [] });

        const scrape = await off.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
        expect(scrape.status).toBe(200);
        const counted = Object.fromEntries(
          parsePrometheus(scrape.text)
            .filter((x) => x.name === 'scim_requests_total')
            .map((x) => [`${x.labels.method} ${x.labels.route} ${x.labels.status}`, x.value]),
        );
        expect(counted).toEqual({
          'GET /Users 200': 1,
          'POST /Users 201': 1,
          'PATCH /Users/{id} 200': 1,
          'GET /Users/{id} 404': 1,
          'GET /Users 401': 1,
        });
      } finally {
        await off.close();
      }
      // Nothing was kept in memory to be written on shutdown either.
      const after = await startTestServer(dialect, { database });
      try {
        expect(await after.dataSource.manager.count(ScimActivityRecordEntity)).toBe(0);
      } finally {
        await after.close();
      }
    } finally {
      await database.drop();
    }
  });

  const web = (path: string) => s.http().get(`/api/scim_management/${path}`).set('Authorization', `Bearer ${s.token}`);

  it('reads a scripted Entra sequence back as cycles, failures and health, and counts it in /metrics', async () => {
    expect((await web('connection')).body).toMatchObject({
      scimEnabled: true,
      recording: true,
      state: 'waiting',
      quarantineRisk: false,
    });
    // Admin only: no credentials, no activity.
    for (const path of ['activity', 'failures', 'connection']) {
      expect((await s.http().get(`/api/scim_management/${path}`)).status).toBe(401);
    }

    // Cycle 1: lookups and creates, a group with two members, a deactivation; a local account, an unknown id and an
    // unsupported filter fail.
    expect((await s.get(`/Users?filter=${encodeURIComponent('userName eq "alice@contoso.example"')}`)).status).toBe(
      200,
    );
    note('/Users', 'GET', 200);
    const alice = await s.post('/Users', userBody('alice@contoso.example'));
    expect(alice.status).toBe(201);
    const bob = await s.post('/Users', userBody('bob@contoso.example'));
    expect(bob.status).toBe(201);
    note('/Users', 'POST', 201);
    note('/Users', 'POST', 201);
    expectScimError(await s.post('/Users', userBody('admin')), 409, 'uniqueness');
    note('/Users', 'POST', 409);
    const devs = await s.post('/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Devs',
    });
    expect(devs.status).toBe(201);
    note('/Groups', 'POST', 201);
    const members = await s.patch(
      `/Groups/${devs.body.id}`,
      patchOps({ op: 'Add', path: 'members', value: [{ value: alice.body.id }, { value: bob.body.id }] }),
    );
    expect([200, 204]).toContain(members.status);
    note('/Groups/{id}', 'PATCH', members.status);
    expect(
      (await s.patch(`/Users/${bob.body.id}`, patchOps({ op: 'Replace', path: 'active', value: 'False' }))).status,
    ).toBe(200);
    note('/Users/{id}', 'PATCH', 200);
    expect((await s.get(`/Users/${UNKNOWN_ID}`)).status).toBe(404);
    note('/Users/{id}', 'GET', 404);
    expect((await s.get(`/Users?filter=${encodeURIComponent('userName zz "x"')}`)).status).toBe(400);
    note('/Users', 'GET', 400);

    await pause(GAP_MS + 500);
    // Cycle 2: the token was replaced in the product but not in Entra ID.
    for (let i = 0; i < 4; i++) {
      const refused = await s.http().get(`${SCIM}/Users`).set('Authorization', 'Bearer squ_not-the-token');
      expect(refused.status).toBe(401);
      note('/Users', 'GET', 401);
    }
    // A refused caller's body names nobody in the records.
    const refusedCreate = await s
      .http()
      .post(`${SCIM}/Users`)
      .set('Authorization', 'Bearer squ_not-the-token')
      .set('Content-Type', 'application/scim+json')
      .send(JSON.stringify(userBody('mallory@contoso.example')));
    expect(refusedCreate.status).toBe(401);
    note('/Users', 'POST', 401);
    const risky = (await web('connection')).body;
    expect(risky).toMatchObject({ state: 'active', quarantineRisk: true });
    expect(risky.quarantineReasons.map((r: { kind: string }) => r.kind).sort()).toEqual([
      'credentials',
      'failure-share',
    ]);

    const cycles = (await web('activity')).body;
    expect(cycles.total).toBe(2);
    const [second, first] = cycles.cycles;
    expect(first).toMatchObject({
      requests: 9,
      failures: 3,
      users: { created: 2, updated: 0, deactivated: 1, reactivated: 0, deleted: 0 },
      groups: { created: 1, updated: 0, deleted: 0 },
      membershipChanges: 2,
      failuresByCause: { 'local-account': 1, 'unknown-id': 1, filter: 1 },
    });
    expect(first.slowest).toHaveLength(5);
    expect(second).toMatchObject({ requests: 5, failures: 5, failuresByCause: { credentials: 5 } });
    expect((await web('activity?ps=1&p=2')).body.cycles[0].start).toBe(first.start);

    const failures = (await web('failures')).body;
    // The most frequent cause first; each cause once, with its count.
    expect(failures.groups[0]).toMatchObject({ cause: 'credentials', count: 5 });
    const byCause = Object.fromEntries(failures.groups.map((g: { cause: string }) => [g.cause, g]));
    expect(Object.keys(byCause).sort()).toEqual(['credentials', 'filter', 'local-account', 'unknown-id']);
    expect(byCause.credentials.targets).toHaveLength(1);
    expect(byCause.credentials.targets[0]).toMatchObject({ count: 5, status: 401, subject: null, resourceId: null });
    expect(byCause['local-account'].explanation).toMatch(/^userName belongs to a local account/);
    expect(byCause['local-account'].targets[0]).toMatchObject({
      resourceType: 'User',
      subject: 'admin',
      exists: true,
      detail: 'This userName belongs to a local account of the product',
    });
    expect(byCause.filter.explanation).toMatch(/^Filter not supported/);
    expect(byCause['unknown-id'].targets[0]).toMatchObject({ resourceId: UNKNOWN_ID, subject: null, exists: false });
    // A time window leaves the other cycle out.
    const onlyFirst = (await web(`failures?to=${encodeURIComponent(second.start)}`)).body;
    expect(onlyFirst.groups.map((g: { cause: string }) => g.cause).sort()).toEqual([
      'filter',
      'local-account',
      'unknown-id',
    ]);
    expect((await web('failures?from=yesterday')).status).toBe(400);

    await pause(GAP_MS + 500);
    // Cycle 3: Alice was deleted in between; Entra ID asks for her by the id it knows.
    expect((await s.delete(`/Users/${alice.body.id}`)).status).toBe(204);
    note('/Users/{id}', 'DELETE', 204);
    expect((await s.get(`/Users/${alice.body.id}`)).status).toBe(404);
    note('/Users/{id}', 'GET', 404);
    const unknownId = (await web('connection')).body;
    expect(unknownId.quarantineReasons.map((r: { kind: string }) => r.kind)).toEqual(['unknown-id']);

    await pause(GAP_MS + 500);
    // Cycle 4: a clean cycle clears the risk.
    expect((await s.get(`/Users/${bob.body.id}`)).status).toBe(200);
    note('/Users/{id}', 'GET', 200);
    const clean = (await web('connection')).body;
    expect(clean).toMatchObject({ state: 'active', quarantineRisk: false, quarantineReasons: [] });
    expect(clean.latestCycle).toMatchObject({ requests: 1, failures: 0 });
    // Names come from the request, or from the feature's tables for a request by id.
    const records = await s.app.get(ScimActivity).cycles();
    expect(records.cycles[0].slowest[0]).toMatchObject({ subject: 'bob@contoso.example', route: '/Users/{id}' });

    // Silence: more than SCIM_SILENT_AFTER_SECONDS without a request, then Entra ID comes back.
    await pause(3300);
    expect((await web('connection')).body).toMatchObject({ state: 'silent' });
    expect((await s.get('/ServiceProviderConfig')).status).toBe(200);
    note('/ServiceProviderConfig', 'GET', 200);
    expect((await web('connection')).body).toMatchObject({ state: 'active' });

    // /metrics: refused without the token, and counting exactly what was sent.
    expect((await s.http().get('/metrics')).status).toBe(401);
    expect((await s.http().get('/metrics').set('Authorization', 'Bearer wrong-token-wrong-token')).status).toBe(401);
    const scrape = await s.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers['content-type']).toMatch(/^text\/plain/);
    const samples = parsePrometheus(scrape.text);
    const counted = new Map<string, number>();
    for (const sample of samples.filter((x) => x.name === 'scim_requests_total')) {
      counted.set(`${sample.labels.route} ${sample.labels.method} ${sample.labels.status}`, sample.value);
    }
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(sent));
    const total = [...sent.values()].reduce((a, b) => a + b, 0);
    const durations = samples.filter((x) => x.name === 'scim_request_duration_seconds_count');
    expect(durations.reduce((a, x) => a + x.value, 0)).toBe(total);
    const refusals = Object.fromEntries(
      samples.filter((x) => x.name === 'scim_refusals_total').map((x) => [x.labels.reason, x.value]),
    );
    expect(refusals).toEqual({ credentials: 5, 'local-account': 1, 'unknown-id': 2, filter: 1 });
    const one = (name: string, labels: Record<string, string> = {}) =>
      samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
    expect(one('scim_provisioning_mode', { mode: 'scim' })?.value).toBe(1);
    expect(one('scim_license_days_left')?.value).toBeGreaterThanOrEqual(364);
    const lastContact = one('scim_last_contact_timestamp_seconds')?.value ?? 0;
    expect(Math.abs(lastContact - Date.now() / 1000)).toBeLessThan(30);
    if (dialect === 'mysql') expect(one('scim_database_pool_connections', { state: 'waiting' })?.value).toBe(0);
    else expect(one('scim_database_pool_connections')).toBeUndefined();
    // The OpenAPI document describes the three reads.
    const doc = (await s.http().get('/api/docs-json')).body;
    for (const path of ['activity', 'failures', 'connection']) {
      expect(doc.paths[`/api/scim_management/${path}`]?.get).toBeDefined();
    }

    // SCIM switched off in the product: Entra ID's next request is refused for the mode, and said so.
    await s.app.get(ScimSwitch).disable();
    expectScimError(await s.get('/Users'), 403);
    const off = (await web('failures')).body;
    const mode = off.groups.find((g: { cause: string }) => g.cause === 'mode');
    expect(mode).toMatchObject({ count: 1, explanation: expect.stringMatching(/^SCIM provisioning is off/) });
    expect((await web('connection')).body).toMatchObject({ scimEnabled: false, state: 'off', quarantineRisk: false });
  });
});
