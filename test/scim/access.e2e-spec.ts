import { LocalAccountsService, UserTokensService } from '@nest-scim/auth';
import { LicenseService } from '@nest-scim/license';
import { testDialects } from '@nest-scim/persistence/testing';
import { ScimSwitch } from '@nest-scim/provisioning';
import { SCIM, SCIM_JSON, startScimServer, ScimTestServer } from '../support/scim-harness';

const NEW_USER = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'mallory@contoso.com' };

async function userRows(s: ScimTestServer): Promise<number> {
  const [{ n }] = await s.dataSource.query('SELECT COUNT(*) AS n FROM users');
  return Number(n);
}

/** A SCIM error as RFC 7644 §3.12 shapes it, in application/scim+json. */
function expectScimError(res: { status: number; headers: Record<string, string>; body: unknown }, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status) });
}

describe.each(testDialects())(
  'who may call the SCIM endpoint, checked in order before anything is read or written (%s)',
  (dialect) => {
    let s: ScimTestServer;
    let nonAdminToken: string;
    beforeAll(async () => {
      s = await startScimServer(dialect);
      const bob = await s.app
        .get(LocalAccountsService)
        .createLocalUser({ login: 'bob', name: 'Bob', password: 'Bob-password-1234!' });
      nonAdminToken = (await s.app.get(UserTokensService).generate({ userId: bob.id, name: 'bob' })).token;
    });
    afterAll(() => s.close());

    const routes = ['/Users', '/Groups', '/ServiceProviderConfig', '/Schemas', '/ResourceTypes'];

    it.each(routes)('without a token, GET %s is 401 with WWW-Authenticate: Bearer and no data', async (route) => {
      const res = await s.http().get(SCIM + route);
      expectScimError(res, 401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.body).not.toHaveProperty('Resources');
    });

    it('refuses malformed and unknown credentials with 401, and writes nothing', async () => {
      const before = await userRows(s);
      for (const authorization of [
        'Bearer',
        'non-token',
        `Bearer squ_${'0'.repeat(40)}`,
        `Bearer ${s.token}x`,
        'Basic Zm9vOmJhcg==',
      ]) {
        const res = await s
          .http()
          .post(`${SCIM}/Users`)
          .set('Authorization', authorization)
          .set('Content-Type', SCIM_JSON)
          .send(JSON.stringify(NEW_USER));
        expectScimError(res, 401);
      }
      const inQuery = await s.http().get(`${SCIM}/Users?access_token=${s.token}`);
      expectScimError(inQuery, 401);
      expect(await userRows(s)).toBe(before);
    });

    it("accepts the admin's token as Basic with an empty password, as the product does", async () => {
      const basic = Buffer.from(`${s.token}:`).toString('base64');
      await s.http().get(`${SCIM}/Users`).set('Authorization', `Basic ${basic}`).expect(200);
    });

    it("refuses a non-admin's valid token with 403, even on discovery, and writes nothing", async () => {
      const before = await userRows(s);
      for (const route of routes) {
        const res = await s
          .http()
          .get(SCIM + route)
          .set('Authorization', `Bearer ${nonAdminToken}`);
        expectScimError(res, 403);
      }
      const write = await s
        .http()
        .post(`${SCIM}/Users`)
        .set('Authorization', `Bearer ${nonAdminToken}`)
        .set('Content-Type', SCIM_JSON)
        .send(JSON.stringify(NEW_USER));
      expectScimError(write, 403);
      expect(await userRows(s)).toBe(before);
    });

    it('refuses with 403 naming the provisioning mode once SCIM is switched off, then serves again once it is on', async () => {
      const mode = s.app.get(ScimSwitch);
      await mode.disable();
      const before = await userRows(s);
      const res = await s.post('/Users', NEW_USER);
      expectScimError(res, 403);
      expect(res.body.detail).toMatch(/SCIM provisioning is not enabled/);
      expect(await userRows(s)).toBe(before);
      await mode.enable({ confirmed: true });
      await s.get('/Users').expect(200);
    });

    it('refuses with 403 naming the license when it is removed, checked after authentication and permission', async () => {
      const licenses = s.app.get(LicenseService);
      await licenses.remove();
      try {
        const before = await userRows(s);
        const res = await s.post('/Users', NEW_USER);
        expectScimError(res, 403);
        expect(res.body.detail).toMatch(/Enterprise license/);
        expect(await userRows(s)).toBe(before);
        // Anonymous callers learn nothing of the license: authentication comes first.
        expectScimError(await s.http().get(`${SCIM}/Users`), 401);
        // A non-admin is refused for being a non-admin, not for the license.
        const nonAdmin = await s.http().get(`${SCIM}/Users`).set('Authorization', `Bearer ${nonAdminToken}`);
        expectScimError(nonAdmin, 403);
        expect(nonAdmin.body.detail).not.toMatch(/license/i);
      } finally {
        await licenses.install(s.enterpriseLicense());
      }
      await s.get('/Users').expect(200);
    });

    it('stops accepting a token the moment it is revoked', async () => {
      const tokens = s.app.get(UserTokensService);
      const extra = await tokens.generate({ userId: s.adminUserId, name: 'short-lived' });
      await s.http().get(`${SCIM}/Users`).set('Authorization', `Bearer ${extra.token}`).expect(200);
      await tokens.revoke(s.adminUserId, 'short-lived');
      expectScimError(await s.http().get(`${SCIM}/Users`).set('Authorization', `Bearer ${extra.token}`), 401);
    });
  },
);

describe.each(testDialects())('without an Enterprise license (%s)', (dialect) => {
  it('the SCIM endpoints refuse with 403 and change nothing', async () => {
    const s = await startScimServer(dialect, { withoutLicense: true });
    try {
      const before = await userRows(s);
      const res = await s.post('/Users', NEW_USER);
      expectScimError(res, 403);
      expect(res.body.detail).toMatch(/Enterprise license/);
      expectScimError(await s.get('/Users?filter=' + encodeURIComponent('userName eq "x"')), 403);
      expect(await userRows(s)).toBe(before);
    } finally {
      await s.close();
    }
  });
});
