import type { Test } from 'supertest';
import { PermissionsService, UsersService } from '@nest-scim/identity';
import { testDialects } from '@nest-scim/persistence/testing';
import { ScimTestServer, startScimServer } from '../support/scim-harness';
import { ADMIN_PASSWORD, createLocalUser, sessionCookieOf, webApi } from '../support/web-api-harness';

const REFUSAL = "Cross-site request refused: signed-in changes are accepted only from this server's own pages";

/*
 * CSRF: a state-changing request that rides on the session cookie must show it comes from the server's own pages
 * (Sec-Fetch-Site, else Origin); a form on a sibling origin of the same site (another port or subdomain), which
 * SameSite=Lax lets the cookie through to, is refused before anything changes. Scripts with a user token are not
 * concerned, and reads are not state changes.
 */
describe.each(testDialects())('cross-site requests with the session cookie (%s)', (dialect) => {
  let s: ScimTestServer;
  let cookie: string;
  /** The address the browser reached the server at (no PUBLIC_URL here, so the request's Host decides). */
  const HOST = 'sonar.internal:9000';
  const origin = `http://${HOST}`;
  const sibling = 'http://sonar.internal:9443';

  beforeAll(async () => {
    s = await startScimServer(dialect, { withoutScimMode: true });
    await createLocalUser(webApi(s, { bearer: s.token }), 'bob');
    // A script signing in with a password: no browser headers, still allowed.
    const signedIn = await webApi(s)
      .post('/api/authentication/login', { login: 'admin', password: ADMIN_PASSWORD })
      .expect(204);
    cookie = sessionCookieOf(signedIn.headers['set-cookie'])!;
  });
  afterAll(() => s.close());

  /** A form post to add_user with the session cookie, with the headers a browser would add. */
  const grant = (headers: Record<string, string>, login = 'bob'): Test => {
    let test = s.http().post('/api/permissions/add_user').type('form').set('Host', HOST).set('Cookie', cookie);
    for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
    return test.send({ login, permission: 'admin' });
  };
  const bobIsAdmin = async () => {
    const bob = await s.app.get(UsersService).findByLogin('bob');
    return (await s.app.get(PermissionsService).userPermissions(bob!.id)).includes('admin');
  };

  it('refuses with 403 a sibling origin (same site, another port), another site, an opaque origin, and no proof at all; nothing changes', async () => {
    const cases: Record<string, string>[] = [
      { 'Sec-Fetch-Site': 'same-site', Origin: sibling },
      { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' },
      { Origin: 'https://evil.example' },
      { Origin: sibling },
      { Origin: 'null' },
      {},
    ];
    for (const headers of cases) {
      const res = await grant(headers).expect(403);
      expect(res.body).toEqual({ errors: [{ msg: REFUSAL }] });
    }
    expect(await bobIsAdmin()).toBe(false);
  });

  it('accepts the same request from the server’s own pages (Sec-Fetch-Site or Origin), and reads need no proof', async () => {
    await s.http().get('/api/users/search').set('Cookie', cookie).set('Sec-Fetch-Site', 'cross-site').expect(200);
    await grant({ Origin: origin }).expect(204);
    expect(await bobIsAdmin()).toBe(true);
    await s
      .http()
      .post('/api/permissions/remove_user')
      .type('form')
      .set('Cookie', cookie)
      .set('Sec-Fetch-Site', 'same-origin')
      .send({ login: 'bob', permission: 'admin' })
      .expect(204);
    expect(await bobIsAdmin()).toBe(false);
  });

  it('a script with a user token is not concerned, whatever Origin it sends', async () => {
    await webApi(s, { bearer: s.token })
      .post('/api/permissions/add_user', { login: 'bob', permission: 'admin' })
      .set('Origin', 'https://evil.example')
      .expect(204);
    expect(await bobIsAdmin()).toBe(true);
  });

  it('sign-in and sign-out from another origin are refused (login CSRF); the SAML reply URL is not concerned', async () => {
    const cases: Record<string, string>[] = [{ 'Sec-Fetch-Site': 'cross-site' }, { Origin: 'https://evil.example' }];
    for (const headers of cases) {
      let test = s.http().post('/api/authentication/login').type('form');
      for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
      const res = await test.send({ login: 'admin', password: ADMIN_PASSWORD }).expect(403);
      expect(sessionCookieOf(res.headers['set-cookie'])).toBeUndefined();
    }
    await s
      .http()
      .post('/api/authentication/logout')
      .set('Cookie', cookie)
      .set('Sec-Fetch-Site', 'cross-site')
      .expect(403);
    // Still signed in: the refused sign-out ended nothing.
    await webApi(s, { cookie }).get('/api/users/search').expect(200);
    // Entra posts the SAML response from its own origin: whatever SAML says of this one, it is not a CSRF refusal.
    const acs = await s
      .http()
      .post('/oauth2/callback/saml')
      .type('form')
      .set('Sec-Fetch-Site', 'cross-site')
      .send({ SAMLResponse: 'bm90IGEgcmVzcG9uc2U=' });
    expect(acs.text).not.toContain('Cross-site request refused');
  });
});

describe.each(testDialects())('the own origin is PUBLIC_URL’s when it is set (%s)', (dialect) => {
  let s: ScimTestServer;
  beforeAll(async () => {
    s = await startScimServer(dialect, { withoutScimMode: true, env: { PUBLIC_URL: 'https://sonar.example.com' } });
  });
  afterAll(() => s.close());

  it('accepts Origin https://sonar.example.com and refuses the address the request happened to use', async () => {
    const signedIn = await webApi(s)
      .post('/api/authentication/login', { login: 'admin', password: ADMIN_PASSWORD })
      .expect(204);
    const cookie = sessionCookieOf(signedIn.headers['set-cookie'])!;
    const create = (origin: string) =>
      s
        .http()
        .post('/api/user_groups/create')
        .type('form')
        .set('Host', 'sonar.internal:9000')
        .set('Cookie', cookie)
        .set('Origin', origin);
    await create('https://sonar.example.com').send({ name: 'from-own-origin' }).expect(200);
    await create('http://sonar.internal:9000').send({ name: 'from-direct-address' }).expect(403);
  });
});
