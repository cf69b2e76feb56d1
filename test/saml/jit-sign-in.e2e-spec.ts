import { LocalAccountsService } from '@nest-scim/auth';
import { GroupsService, MembershipService, UsersService } from '@nest-scim/identity';
import { testDialects } from '@nest-scim/persistence/testing';
import { startTestServer, TestServer } from '../support/server-harness';
import {
  claimsOf,
  configureSaml,
  countRows,
  PUBLIC_URL,
  postResponse,
  sessionCookieOf,
  signedInLogin,
  signInThroughIdp,
} from './saml-support';
import { CLAIMS, TestIdentityProvider } from './test-identity-provider';

describe.each(testDialects())('SAML sign-in, just-in-time provisioning (%s)', (dialect) => {
  let s: TestServer;
  const idp = new TestIdentityProvider();

  beforeAll(async () => {
    s = await startTestServer(dialect, { env: { PUBLIC_URL } });
    await configureSaml(s.app, idp);
    await s.app.get(GroupsService).create({ name: 'developers' });
  });
  afterAll(() => s.close());

  it('sends the browser to the identity provider with an AuthnRequest for this application', async () => {
    const res = await s.http().get('/sessions/init/saml').expect(302);
    expect(res.headers.location.startsWith(`${idp.loginUrl}?`)).toBe(true);
    const request = idp.readRequest(res.headers.location);
    expect(request.issuer).toBe('sonarqube');
    expect(request.acsUrl).toBe(`${PUBLIC_URL}/oauth2/callback/saml`);
    expect(request.query.has('Signature')).toBe(false);
  });

  it('Alice signs in for the first time: an external account is created, joined to her groups, and she has a session', async () => {
    const { res } = await signInThroughIdp(
      s,
      idp,
      claimsOf('alice@contoso.com', 'Alice Liddell', { [CLAIMS.groups]: ['developers', 'no-such-group'] }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    const cookie = ([] as string[]).concat(res.headers['set-cookie']).find((c) => c.startsWith('sq-session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(await signedInLogin(s.app, res)).toBe('alice@contoso.com');

    const alice = await s.app.get(UsersService).findByExternalLogin('alice@contoso.com');
    expect(alice).toMatchObject({
      login: 'alice@contoso.com',
      name: 'Alice Liddell',
      email: 'alice@contoso.com',
      local: false,
      externalLogin: 'alice@contoso.com',
      externalProvider: 'saml',
      active: true,
    });
    const groups = await s.app.get(MembershipService).groupsOfUser(alice!.id);
    expect(groups.map((g) => g.name).sort()).toEqual(['developers', 'sonar-users']);
    expect(await s.app.get(GroupsService).findByName('no-such-group')).toBeNull();
  });

  it('the session cookie authenticates her: an admin-only route says 403 (known, not an admin), not 401', async () => {
    const { res } = await signInThroughIdp(s, idp, claimsOf('alice@contoso.com', 'Alice Liddell'));
    const cookie = sessionCookieOf(res)!;
    const withSession = await s.http().get('/saml/validation_init').set('Cookie', `sq-session=${cookie}`);
    expect(withSession.status).toBe(403);
    const without = await s.http().get('/saml/validation_init');
    expect(without.status).toBe(401);
  });

  it('Alice comes back with a new name and email: her account is updated, not duplicated', async () => {
    const before = await countRows(s.dataSource, 'users');
    const { res } = await signInThroughIdp(
      s,
      idp,
      claimsOf('ALICE@contoso.com', 'Alice Kingsleigh', { [CLAIMS.email]: 'alice.k@contoso.com' }),
    );
    expect(res.status).toBe(302);
    expect(await countRows(s.dataSource, 'users')).toBe(before);
    const alice = await s.app.get(UsersService).findByExternalLogin('alice@contoso.com');
    expect(alice).toMatchObject({ name: 'Alice Kingsleigh', email: 'alice.k@contoso.com' });
    expect(await signedInLogin(s.app, res)).toBe('alice@contoso.com');
  });

  it('returns to the page asked for, but never to another site', async () => {
    const back = await signInThroughIdp(s, idp, claimsOf('alice@contoso.com', 'Alice'), {
      start: '/sessions/init/saml?return_to=%2Fusers%3Fq%3Dx',
    });
    expect(back.res.headers.location).toBe('/users?q=x');
    const away = await signInThroughIdp(s, idp, claimsOf('alice@contoso.com', 'Alice'), {
      start: '/sessions/init/saml?return_to=%2F%2Fevil.example',
    });
    expect(away.res.headers.location).toBe('/');
  });

  it('an IdP-initiated response (no InResponseTo, as from My Apps) signs in too', async () => {
    const init = await s.http().get('/sessions/init/saml').expect(302);
    const { acsUrl } = idp.readRequest(init.headers.location);
    const res = await postResponse(
      s,
      idp.respond({ acsUrl, attributes: claimsOf('carol@contoso.com', 'Carol') }),
      null,
    );
    expect(res.status).toBe(302);
    expect(await signedInLogin(s.app, res)).toBe('carol@contoso.com');
  });

  it("a local account's login is never taken over through SAML; its password keeps working", async () => {
    await s.app
      .get(LocalAccountsService)
      .createLocalUser({ login: 'bob@contoso.com', name: 'Bob', password: 'Bob-password-1234!' });
    const before = await countRows(s.dataSource, 'users');
    const { res } = await signInThroughIdp(s, idp, claimsOf('bob@contoso.com', 'Mallory'));
    expect(res.status).toBe(403);
    expect(sessionCookieOf(res)).toBeUndefined();
    expect(await countRows(s.dataSource, 'users')).toBe(before);
    expect((await s.app.get(UsersService).findByLogin('bob@contoso.com'))!.name).toBe('Bob');
    await expect(
      s.app.get(LocalAccountsService).authenticatePassword('bob@contoso.com', 'Bob-password-1234!'),
    ).resolves.toMatchObject({ login: 'bob@contoso.com' });
  });

  it('a deactivated account is refused and stays deactivated', async () => {
    await signInThroughIdp(s, idp, claimsOf('dave@contoso.com', 'Dave'));
    const users = s.app.get(UsersService);
    const dave = await users.findByExternalLogin('dave@contoso.com');
    await users.deactivate(dave!.id);
    const { res } = await signInThroughIdp(s, idp, claimsOf('dave@contoso.com', 'Dave'));
    expect(res.status).toBe(403);
    expect(sessionCookieOf(res)).toBeUndefined();
    expect((await users.findById(dave!.id))!.active).toBe(false);
  });

  it('a response without the login attribute is refused with its name, and creates nothing', async () => {
    const before = await countRows(s.dataSource, 'users');
    const { res } = await signInThroughIdp(s, idp, { [CLAIMS.displayName]: 'Nobody' }, { accept: 'application/json' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [{ msg: `${CLAIMS.name} is missing` }] });
    expect(await countRows(s.dataSource, 'users')).toBe(before);
  });

  it('signing out ends the SAML session like any other', async () => {
    const { res } = await signInThroughIdp(s, idp, claimsOf('alice@contoso.com', 'Alice'));
    const token = sessionCookieOf(res)!;
    const out = await s.http().post('/api/authentication/logout').set('Cookie', `sq-session=${token}`).expect(204);
    expect(([] as string[]).concat(out.headers['set-cookie']).join()).toMatch(/sq-session=;/);
    expect(await signedInLogin(s.app, res)).toBeUndefined();
  });
});
