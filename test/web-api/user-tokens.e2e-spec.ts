import { testDialects } from '@nest-scim/persistence/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import { ADMIN_PASSWORD, createLocalUser, signIn, webApi, WebApiClient } from '../support/web-api-harness';

const SEARCH = '/api/users/search';

async function tableDump(s: ScimTestServer): Promise<string> {
  const tables: string[] =
    s.dialect === 'sqlite'
      ? (await s.dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table'`)).map(
          (r: { name: string }) => r.name,
        )
      : (await s.dataSource.query('SHOW TABLES')).map((r: Record<string, string>) => Object.values(r)[0]);
  const rows: unknown[] = [];
  for (const table of tables)
    rows.push(
      table,
      await s.dataSource.query(`SELECT * FROM ${s.dialect === 'sqlite' ? `"${table}"` : `\`${table}\``}`),
    );
  return JSON.stringify(rows, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('latin1') : value));
}

describe.each(testDialects())('Web API: user tokens (%s)', (dialect) => {
  let s: ScimTestServer;
  let admin: WebApiClient;
  beforeAll(async () => {
    s = await startScimServer(dialect, { withoutScimMode: true });
    admin = webApi(s, { bearer: s.token });
  });
  afterAll(() => s.close());

  it('a token works as Bearer and as Basic with an empty password, and stops working the moment it is revoked', async () => {
    const generated = await admin.post('/api/user_tokens/generate', { name: 'ci' }).expect(200);
    expect(generated.body).toMatchObject({ login: 'admin', name: 'ci', type: 'USER_TOKEN', expirationDate: null });
    const token: string = generated.body.token;
    expect(token).toMatch(/^squ_[0-9a-f]{40}$/);

    await webApi(s, { bearer: token }).get(SEARCH).expect(200);
    await webApi(s, { basic: token }).get(SEARCH).expect(200);

    await admin.post('/api/user_tokens/revoke', { name: 'ci' }).expect(204);
    const bearer = await webApi(s, { bearer: token }).get(SEARCH).expect(401);
    expect(bearer.body).toEqual({ errors: [{ msg: "Token doesn't exist" }] });
    await webApi(s, { basic: token }).get(SEARCH).expect(401);
  });

  it('an expired token stops working, with the date it expired on', async () => {
    const expiresAt = new Date(Date.now() + 1500);
    const { token } = (
      await admin
        .post('/api/user_tokens/generate', { name: 'short-lived', expirationDate: expiresAt.toISOString() })
        .expect(200)
    ).body;
    await webApi(s, { bearer: token }).get(SEARCH).expect(200);
    await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 100));
    const expired = await webApi(s, { bearer: token }).get(SEARCH).expect(401);
    expect(expired.body).toEqual({ errors: [{ msg: `The token expired on ${expiresAt.toISOString()}` }] });
    const listed = (await admin.get('/api/user_tokens/search').expect(200)).body.userTokens;
    expect(listed.find((t: { name: string }) => t.name === 'short-lived')).toMatchObject({ isExpired: true });
    // A date alone means from 00:00 UTC that day: today is already past.
    const today = new Date().toISOString().slice(0, 10);
    const refused = await admin.post('/api/user_tokens/generate', { name: 'today', expirationDate: today }).expect(400);
    expect(refused.body).toEqual({ errors: [{ msg: 'The expiration date must be in the future' }] });
  });

  it("deactivating a token's owner ends its tokens and sessions at once", async () => {
    const carol = await createLocalUser(admin, 'carol');
    await admin.post('/api/permissions/add_user', { login: 'carol', permission: 'admin' }).expect(204);
    const { token } = (await admin.post('/api/user_tokens/generate', { login: 'carol', name: 'entra' }).expect(200))
      .body;
    const cookie = await signIn(s, carol.login, carol.password);
    await webApi(s, { bearer: token }).get(SEARCH).expect(200);
    await webApi(s, { cookie }).get(SEARCH).expect(200);

    const deactivated = await admin.post('/api/users/deactivate', { login: 'carol' }).expect(200);
    expect(deactivated.body.user).toMatchObject({ login: 'carol', active: false });
    await webApi(s, { bearer: token }).get(SEARCH).expect(401);
    await webApi(s, { basic: token }).get(SEARCH).expect(401);
    await webApi(s, { cookie }).get(SEARCH).expect(401);
  });

  it('an admin generates a token for another login; the token is shown once and never listed', async () => {
    const dave = await createLocalUser(admin, 'dave');
    const generated = await admin
      .postJson('/api/user_tokens/generate', { login: 'dave', name: 'scripts', expirationDate: '2999-01-31' })
      .expect(200);
    expect(generated.body).toMatchObject({
      login: 'dave',
      name: 'scripts',
      expirationDate: '2999-01-31T00:00:00.000Z',
    });
    const token: string = generated.body.token;

    const listed = await admin.get('/api/user_tokens/search', { login: 'dave' }).expect(200);
    expect(listed.body).toEqual({
      login: 'dave',
      userTokens: [
        {
          name: 'scripts',
          createdAt: expect.any(String),
          lastConnectionDate: null,
          type: 'USER_TOKEN',
          expirationDate: '2999-01-31T00:00:00.000Z',
          isExpired: false,
        },
      ],
    });
    expect(JSON.stringify(listed.body)).not.toContain(token);

    // Dave is no admin: his token authenticates him, and he is refused.
    await webApi(s, { bearer: token }).get(SEARCH).expect(403);
    const duplicate = await admin.post('/api/user_tokens/generate', { login: 'dave', name: 'scripts' }).expect(400);
    expect(duplicate.body.errors[0].msg).toBe("A user token for login 'dave' and name 'scripts' already exists");
    const unknown = await admin.post('/api/user_tokens/generate', { login: 'nobody', name: 'x' }).expect(404);
    expect(unknown.body).toEqual({ errors: [{ msg: "User 'nobody' has not been found" }] });
    await admin.post('/api/user_tokens/revoke', { login: dave.login, name: 'scripts' }).expect(204);
    await webApi(s, { bearer: token }).get(SEARCH).expect(401);
  });

  it('stores no password, token or session in clear: the tables hold only their hashes', async () => {
    const erin = await createLocalUser(admin, 'erin');
    const { token } = (await admin.post('/api/user_tokens/generate', { login: 'erin', name: 'kept' }).expect(200)).body;
    const cookie = await signIn(s, 'admin', ADMIN_PASSWORD);
    const sessionValue = decodeURIComponent(cookie.split('=')[1]);
    await webApi(s, { bearer: token }).get(SEARCH).expect(403);

    const dump = await tableDump(s);
    expect(dump).toContain('erin');
    for (const secret of [erin.password, ADMIN_PASSWORD, token, token.slice(4), s.token, sessionValue]) {
      expect(dump).not.toContain(secret);
    }
  });
});
