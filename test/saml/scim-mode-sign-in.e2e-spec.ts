import { LocalAccountsService } from '@nest-scim/auth';
import { UsersService } from '@nest-scim/identity';
import { testDialects } from '@nest-scim/persistence/testing';
import { ScimTestServer, startScimServer } from '../support/scim-harness';
import { URN } from '../support/scim-expectations';
import {
  claimsOf,
  configureSaml,
  countRows,
  PUBLIC_URL,
  sessionCookieOf,
  signedInLogin,
  signInThroughIdp,
} from './saml-support';
import { CLAIMS, TestIdentityProvider } from './test-identity-provider';

const NO_ACCOUNT = { errors: [{ msg: 'You have no account on SonarQube.' }] };

describe.each(testDialects())('SAML sign-in while SCIM provisions the accounts (%s)', (dialect) => {
  let s: ScimTestServer;
  const idp = new TestIdentityProvider();

  beforeAll(async () => {
    s = await startScimServer(dialect, { env: { PUBLIC_URL } });
    await configureSaml(s.app, idp);
  });
  afterAll(() => s.close());

  async function provision(userName: string, displayName: string): Promise<string> {
    const res = await s.post('/Users', {
      schemas: [URN.USER],
      userName,
      displayName,
      emails: [{ value: userName, type: 'work', primary: true }],
      active: true,
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  it('Entra has not provisioned Alice yet: she is told she has no account, and none is created', async () => {
    const users = await countRows(s.dataSource, 'users');
    const { res } = await signInThroughIdp(
      s,
      idp,
      claimsOf('alice@contoso.com', 'Alice', { [CLAIMS.groups]: ['sonar-administrators'] }),
      { accept: 'application/json' },
    );
    expect(res.status).toBe(403);
    expect(res.body).toEqual(NO_ACCOUNT);
    expect(sessionCookieOf(res)).toBeUndefined();
    expect(await countRows(s.dataSource, 'users')).toBe(users);
  });

  it('once Entra provisions her through SCIM, the same sign-in opens a session on her managed account', async () => {
    await provision('alice@contoso.com', 'Alice Liddell');
    const { res } = await signInThroughIdp(
      s,
      idp,
      claimsOf('Alice@Contoso.com', 'Someone Else', { [CLAIMS.email]: 'other@contoso.com' }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    expect(await signedInLogin(s.app, res)).toBe('alice@contoso.com');
    // The identity provider keeps managed accounts up to date through SCIM; a sign-in changes nothing.
    const alice = await s.app.get(UsersService).findByLogin('alice@contoso.com');
    expect(alice).toMatchObject({ name: 'Alice Liddell', email: 'alice@contoso.com', managed: true });
  });

  it('Entra renames her userName: she signs in under the new login, and the old one no longer opens anything', async () => {
    const id = await provision('bob@contoso.com', 'Bob');
    await s
      .patch(`/Users/${id}`, {
        schemas: [URN.PATCH_OP],
        Operations: [{ op: 'Replace', path: 'userName', value: 'robert@contoso.com' }],
      })
      .expect(200);
    const renamed = await signInThroughIdp(s, idp, claimsOf('robert@contoso.com', 'Robert'));
    expect(renamed.res.status).toBe(302);
    expect(await signedInLogin(s.app, renamed.res)).toBe('robert@contoso.com');
    const robert = await s.app.get(UsersService).findByLogin('robert@contoso.com');
    expect((await s.get(`/Users/${id}`).expect(200)).body.userName).toBe('robert@contoso.com');
    expect(robert?.externalLogin).toBe('robert@contoso.com');

    const old = await signInThroughIdp(s, idp, claimsOf('bob@contoso.com', 'Bob'), { accept: 'application/json' });
    expect(old.res.status).toBe(403);
    expect(old.res.body).toEqual(NO_ACCOUNT);
  });

  it('Entra disables Carol: her next sign-in is refused', async () => {
    const id = await provision('carol@contoso.com', 'Carol');
    expect((await signInThroughIdp(s, idp, claimsOf('carol@contoso.com', 'Carol'))).res.status).toBe(302);
    await s
      .patch(`/Users/${id}`, {
        schemas: [URN.PATCH_OP],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      })
      .expect(200);
    const { res } = await signInThroughIdp(s, idp, claimsOf('carol@contoso.com', 'Carol'), {
      accept: 'application/json',
    });
    expect(res.status).toBe(403);
    expect(sessionCookieOf(res)).toBeUndefined();
  });

  it('local accounts do not sign in through SAML, and keep signing in with their password', async () => {
    const { res } = await signInThroughIdp(s, idp, claimsOf('admin', 'Administrator'), { accept: 'application/json' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(NO_ACCOUNT);
    await expect(
      s.app.get(LocalAccountsService).authenticatePassword('admin', 'Admin-password-1234'),
    ).resolves.toMatchObject({ login: 'admin' });
  });

  it('a just-in-time account left from before SCIM, not linked by SCIM, is refused too', async () => {
    await s.app.get(UsersService).create({ login: 'dave@contoso.com', name: 'Dave', local: false });
    const { res } = await signInThroughIdp(s, idp, claimsOf('dave@contoso.com', 'Dave'), {
      accept: 'application/json',
    });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(NO_ACCOUNT);
  });
});
