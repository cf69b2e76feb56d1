import { Logger } from '@nestjs/common';
import { testDialects } from '@nest-scim/persistence/testing';
import { AdminAccountBootstrap } from '../../apps/server/src/web-api/admin-account.bootstrap';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import { startTestServer } from '../support/server-harness';
import { ADMIN_PASSWORD, createLocalUser, sessionCookieOf, signIn, webApi } from '../support/web-api-harness';

describe.each(testDialects())('Web API: signing in, and who may call it (%s)', (dialect) => {
  let s: ScimTestServer;
  beforeAll(async () => {
    s = await startScimServer(dialect, { withoutScimMode: true });
  });
  afterAll(() => s.close());

  it('an admin signs in with a form, works with the session cookie, signs out, and the cookie stops working', async () => {
    const response = await webApi(s)
      .post('/api/authentication/login', { login: 'admin', password: ADMIN_PASSWORD })
      .expect(204);
    const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    const line = setCookie.find((c) => c.startsWith('sq-session='))!;
    expect(line).toMatch(/; HttpOnly/i);
    expect(line).toMatch(/; SameSite=Lax/i);
    expect(line).not.toMatch(/; Secure/i);
    const cookie = sessionCookieOf(setCookie)!;

    const session = webApi(s, { cookie });
    const users = await session.get('/api/users/search').expect(200);
    expect(users.body.users.map((u: { login: string }) => u.login)).toContain('admin');

    await session.post('/api/authentication/logout').expect(204);
    const after = await session.get('/api/users/search').expect(401);
    expect(after.body).toEqual({ errors: [{ msg: 'Authentication is required' }] });
  });

  it('signs in with a JSON body too; a wrong password is a 401 in the Web API error shape', async () => {
    await webApi(s).postJson('/api/authentication/login', { login: 'admin', password: ADMIN_PASSWORD }).expect(204);
    const refused = await webApi(s)
      .postJson('/api/authentication/login', { login: 'admin', password: 'Wrong-password-123' })
      .expect(401);
    expect(refused.body).toEqual({ errors: [{ msg: 'Authentication failed' }] });
    expect(sessionCookieOf(refused.headers['set-cookie'])).toBeUndefined();
    const missing = await webApi(s).post('/api/authentication/login', { login: 'admin' }).expect(400);
    expect(missing.body).toEqual({ errors: [{ msg: "The 'password' parameter is missing", field: 'password' }] });
  });

  it('401 without valid credentials, 403 for a non-admin whether by session or by token', async () => {
    const none = await webApi(s).get('/api/users/search').expect(401);
    expect(none.body).toEqual({ errors: [{ msg: 'Authentication is required' }] });
    const unknown = await webApi(s, { bearer: `squ_${'0'.repeat(40)}` })
      .get('/api/users/search')
      .expect(401);
    expect(unknown.body).toEqual({ errors: [{ msg: "Token doesn't exist" }] });
    // A login and password as Basic is not a credential here: only a token with an empty password is.
    await s
      .http()
      .get('/api/users/search')
      .set('Authorization', `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`)
      .expect(401);
    await webApi(s, { cookie: 'sq-session=not-a-session' }).get('/api/users/search').expect(401);

    const admin = webApi(s, { bearer: s.token });
    const bob = await createLocalUser(admin, 'bob');
    const bobSession = webApi(s, { cookie: await signIn(s, bob.login, bob.password) });
    const denied = await bobSession.get('/api/users/search').expect(403);
    expect(denied.body).toEqual({ errors: [{ msg: 'Insufficient privileges' }] });
    const { token } = (await admin.post('/api/user_tokens/generate', { login: 'bob', name: 'scripts' }).expect(200))
      .body;
    await webApi(s, { bearer: token })
      .post('/api/users/create', { login: 'x', name: 'x', password: 'Xx-password-123' })
      .expect(403);
    await webApi(s, { basic: token }).get('/api/editions/license').expect(403);
    // Signing out needs no admin: it only ends the caller's own session.
    await bobSession.post('/api/authentication/logout').expect(204);
  });

  it('answers a body it cannot read in the Web API error shape', async () => {
    const admin = webApi(s, { bearer: s.token });
    const broken = await s
      .http()
      .post('/api/user_groups/create')
      .set('Authorization', `Bearer ${s.token}`)
      .type('json')
      .send('{"name": ')
      .expect(400);
    expect(broken.body).toEqual({ errors: [{ msg: 'The request body is not valid JSON' }] });
    const list = await admin.postJson('/api/user_groups/create', ['name']).expect(400);
    expect(list.body.errors[0].msg).toBe('The request body must be an object of parameters');
    const huge = await admin.post('/api/user_groups/create', { name: 'big', description: 'x'.repeat(300 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ errors: [{ msg: 'The request body is too large' }] });
  });
});

describe.each(testDialects())('Web API: sign-in details (%s)', (dialect) => {
  it('marks the session cookie Secure when the server is reached over HTTPS', async () => {
    const s = await startScimServer(dialect, { env: { PUBLIC_URL: 'https://sonar.example.com' } });
    try {
      const response = await webApi(s)
        .post('/api/authentication/login', { login: 'admin', password: ADMIN_PASSWORD })
        .expect(204);
      const line = ([] as string[])
        .concat(response.headers['set-cookie'] ?? [])
        .find((c) => c.startsWith('sq-session='));
      expect(line).toMatch(/; Secure/i);
    } finally {
      await s.close();
    }
  });

  it('throttles failed sign-ins from one address: 429 with Retry-After, even for the right password', async () => {
    const s = await startScimServer(dialect, {
      env: { AUTH_MAX_FAILURES_PER_ADDRESS: '3', AUTH_THROTTLE_WINDOW_SECONDS: '600' },
    });
    try {
      const anonymous = webApi(s);
      for (let i = 0; i < 3; i++) {
        await anonymous
          .post('/api/authentication/login', { login: `nobody${i}`, password: 'Wrong-password-1' })
          .expect(401);
      }
      const throttled = await anonymous
        .post('/api/authentication/login', { login: 'admin', password: ADMIN_PASSWORD })
        .expect(429);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(throttled.body.errors[0].msg).toMatch(/^Too many failed sign-in attempts, retry after \d+ s$/);
    } finally {
      await s.close();
    }
  });

  it('first start creates the local admin with ADMIN_PASSWORD, once', async () => {
    const s = await startTestServer(dialect, { env: { ADMIN_PASSWORD: 'Chosen-admin-password-1' } });
    try {
      const bootstrap = s.app.get(AdminAccountBootstrap);
      await expect(bootstrap.ensureAdminAccount('all-lowercase-password-1')).rejects.toThrow(
        'ADMIN_PASSWORD is not accepted: Password must contain at least one uppercase character',
      );
      const created = await bootstrap.ensureAdminAccount(s.config.adminPassword);
      expect(created).toMatchObject({ created: true, login: 'admin' });
      // Once it exists: nothing is created, and the admin is named.
      expect(await bootstrap.ensureAdminAccount(s.config.adminPassword)).toEqual({
        created: false,
        userId: created.userId,
        login: 'admin',
      });
      const cookie = await signIn(s, 'admin', 'Chosen-admin-password-1');
      await webApi(s, { cookie }).get('/api/users/search').expect(200);
    } finally {
      await s.close();
    }
  });

  it('first start without ADMIN_PASSWORD generates one and writes it to the log once', async () => {
    const s = await startTestServer(dialect);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const bootstrap = s.app.get(AdminAccountBootstrap);
      const first = await bootstrap.ensureAdminAccount(undefined);
      if (!first.created || !first.generatedPassword) throw new Error('The admin account was not created');
      const logged = warn.mock.calls.map((call) => String(call[0])).filter((m) => m.includes(first.generatedPassword!));
      expect(logged).toHaveLength(1);
      expect(await bootstrap.ensureAdminAccount(undefined)).toEqual({
        created: false,
        userId: first.userId,
        login: 'admin',
      });
      expect(
        warn.mock.calls.map((call) => String(call[0])).filter((m) => m.includes(first.generatedPassword!)),
      ).toHaveLength(1);
      await signIn(s, 'admin', first.generatedPassword);
    } finally {
      warn.mockRestore();
      await s.close();
    }
  });
});
