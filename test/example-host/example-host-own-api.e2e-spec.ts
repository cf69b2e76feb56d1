import { LicenseService } from '@nest-scim/license';
import { testDialects } from '@nest-scim/persistence/testing';
import { EXAMPLE_HOST_MIGRATIONS_TABLE } from '../../apps/example-host/src/database/example-host-database';
import { ExampleHostTestApp, startExampleHost } from './support/example-host-harness';

const HOUR = 3600 * 1000;

function expectHostError(res: { status: number; headers: Record<string, string>; body: unknown }, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({ error: expect.objectContaining({ status, message: expect.any(String) }) });
}

describe.each(testDialects())('apps/example-host: its own API beside SCIM (%s)', (dialect) => {
  let h: ExampleHostTestApp;
  let aliceToken: string;
  beforeAll(async () => {
    h = await startExampleHost(dialect);
    await h.dataSource.query(
      "INSERT INTO people (login, display_name, email, active) VALUES ('alice@example.com', 'Alice', 'alice@example.com', 1)",
    );
    await h.dataSource.query(
      "INSERT INTO people (login, display_name, email, active) VALUES ('gone@example.com', 'Gone', NULL, 0)",
    );
    aliceToken = await h.signIn('Alice@Example.com');
  });
  afterAll(() => h?.close());

  const asAlice = (t: ReturnType<ReturnType<ExampleHostTestApp['http']>['get']>) =>
    t.set('Authorization', `Bearer ${aliceToken}`);

  it('migrates its own tables and the feature’s on its one connection, exactly as the entities describe', async () => {
    const pending = await h.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    const applied: { name: string }[] = await h.dataSource.query(`SELECT name FROM ${EXAMPLE_HOST_MIGRATIONS_TABLE}`);
    expect(applied.map((m) => m.name)).toEqual(expect.arrayContaining(['CreatePeopleAndTeams1767225600000']));
    expect(applied).toHaveLength(h.dataSource.migrations.length);
  });

  it('signs active people in through its OIDC stand-in, and no one else', async () => {
    const me = await asAlice(h.http().get('/api/people/me'));
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: 1,
      login: 'alice@example.com',
      displayName: 'Alice',
      email: 'alice@example.com',
      active: true,
    });

    expectHostError(await h.http().post('/auth/oidc/callback').send({ preferredUsername: 'nobody@example.com' }), 401);
    expectHostError(await h.http().post('/auth/oidc/callback').send({ preferredUsername: 'gone@example.com' }), 403);
  });

  it('keeps its validation pipe: unknown properties and wrong types are refused in its own error shape', async () => {
    const created = await asAlice(h.http().post('/api/teams')).send({ name: 'Platform' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(Number), name: 'Platform' });

    const unknown = await asAlice(h.http().post('/api/teams')).send({ name: 'Data', colour: 'blue' });
    expectHostError(unknown, 400);
    expect(unknown.body.error.details).toContain('property colour should not exist');
    const wrongType = await asAlice(h.http().post('/api/teams')).send({ name: 42 });
    expectHostError(wrongType, 400);
    expectHostError(await asAlice(h.http().post('/api/teams')).send({ name: 'Platform' }), 409);
    const malformed = await asAlice(h.http().post('/api/teams'))
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expectHostError(malformed, 400);
    expectHostError(await asAlice(h.http().get('/api/teams/not-a-number/members')), 400);
    expectHostError(await asAlice(h.http().get('/api/teams/999/members')), 404);
    expectHostError(await h.http().get('/api/nothing-here'), 404);

    const teams = await asAlice(h.http().get('/api/teams'));
    expect(teams.body).toEqual({ teams: [{ id: created.body.id, name: 'Platform' }] });
  });

  it('keeps its bearer strategy: no token, a forged one or a deactivated person’s is refused', async () => {
    expectHostError(await h.http().get('/api/people'), 401);
    expectHostError(await h.http().get('/api/people').set('Authorization', 'Bearer not-a-token'), 401);
    const [payload, signature] = aliceToken.split('.');
    const forged = `${Buffer.from(JSON.stringify({ sub: 2, exp: 4102444800 })).toString('base64url')}.${signature}`;
    expect(payload).not.toBe(forged.split('.')[0]);
    expectHostError(await h.http().get('/api/people').set('Authorization', `Bearer ${forged}`), 401);

    const bobToken = await (async () => {
      await h.dataSource.query(
        "INSERT INTO people (login, display_name, email, active) VALUES ('bob@example.com', 'Bob', NULL, 1)",
      );
      return h.signIn('bob@example.com');
    })();
    expect((await h.http().get('/api/people').set('Authorization', `Bearer ${bobToken}`)).status).toBe(200);
    await h.dataSource.query("UPDATE people SET active = 0 WHERE login = 'bob@example.com'");
    expectHostError(await h.http().get('/api/people').set('Authorization', `Bearer ${bobToken}`), 401);
  });

  it('switches its gated team insights on and off with the license, without a restart', async () => {
    const licenses = h.app.get(LicenseService);
    const insights = () => asAlice(h.http().get('/api/insights/team-sizes'));
    expect((await insights()).body).toEqual({ teams: [{ team: 'Platform', members: 0 }] });

    await licenses.remove();
    const removed = await insights();
    expectHostError(removed, 403);
    expect(removed.body.error.message).toMatch(/Enterprise/);

    await licenses.install(h.enterpriseLicense(HOUR, ['scim']));
    const withoutFeature = await insights();
    expectHostError(withoutFeature, 403);
    expect(withoutFeature.body.error.message).toMatch(/team-insights/);

    await licenses.install(h.enterpriseLicense(HOUR));
    expect((await insights()).status).toBe(200);
    h.clock.advance(2 * HOUR);
    const expired = await insights();
    expectHostError(expired, 403);
    expect(expired.body.error.message).toMatch(/expired/i);

    await licenses.install(h.enterpriseLicense());
    expect((await insights()).status).toBe(200);
    expectHostError(await h.http().get('/api/insights/team-sizes'), 401);
  });
});
