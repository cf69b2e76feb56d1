import { makeSelfSignedCertificate } from '@nest-scim/saml/testing';
import { testDialects } from '@nest-scim/persistence/testing';
import { startTestServer, TestServer } from '../support/server-harness';
import {
  claimsOf,
  configureSaml,
  countRows,
  postResponse,
  PUBLIC_URL,
  sessionCookieOf,
  signedInLogin,
  signInThroughIdp,
} from './saml-support';
import { ResponseOptions, TestIdentityProvider } from './test-identity-provider';

const MINUTE = 60 * 1000;

describe.each(testDialects())('SAML responses that must not sign anyone in (%s)', (dialect) => {
  let s: TestServer;
  const idp = new TestIdentityProvider();
  const forger = makeSelfSignedCertificate({ commonName: 'Test Entra ID' });

  beforeAll(async () => {
    s = await startTestServer(dialect, { env: { PUBLIC_URL } });
    await configureSaml(s.app, idp);
  });
  afterAll(() => s.close());

  /** Mallory's sign-in, broken one way: refused with 401, no cookie, no account, no session. */
  async function expectRefused(options: Partial<ResponseOptions>, message: RegExp): Promise<void> {
    const users = await countRows(s.dataSource, 'users');
    const sessions = await countRows(s.dataSource, 'user_sessions');
    const { res } = await signInThroughIdp(s, idp, claimsOf('mallory@contoso.com', 'Mallory'), {
      ...options,
      accept: 'application/json',
    });
    expect(res.status).toBe(401);
    expect(res.body.errors[0].msg).toMatch(message);
    expect(sessionCookieOf(res)).toBeUndefined();
    expect(await countRows(s.dataSource, 'users')).toBe(users);
    expect(await countRows(s.dataSource, 'user_sessions')).toBe(sessions);
  }

  it('a response tampered with after signing (another login in the signed assertion)', async () => {
    await expectRefused(
      { tamper: (xml) => xml.replace('<AttributeValue>mallory@contoso.com', '<AttributeValue>admin') },
      /not validly signed/,
    );
  });

  it('an unsigned response', async () => {
    await expectRefused({ sign: 'none' }, /not validly signed/);
  });

  it('a response signed with another key than the configured certificate', async () => {
    await expectRefused({ signingKeyPem: forger.privateKeyPem }, /not validly signed/);
  });

  it('an assertion whose signature was stripped and replaced by an unsigned copy', async () => {
    await expectRefused({ tamper: (xml) => xml.replace(/<Signature[\s\S]*?<\/Signature>/, '') }, /not validly signed/);
  });

  it('an expired assertion (beyond the clock skew allowed)', async () => {
    await expectRefused(
      { issueInstant: new Date(Date.now() - 90 * MINUTE), notOnOrAfter: new Date(Date.now() - 10 * MINUTE) },
      /expired/,
    );
  });

  it('an assertion not valid yet', async () => {
    await expectRefused({ notBefore: new Date(Date.now() + 10 * MINUTE) }, /not valid yet/);
  });

  it('an assertion for another application (audience)', async () => {
    await expectRefused({ audience: 'https://other-app.example' }, /another application/);
  });

  it('an assertion from another identity provider than the provider ID', async () => {
    await expectRefused(
      { issuer: 'https://sts.windows.net/11111111-1111-1111-1111-111111111111/' },
      /another identity provider/,
    );
  });

  it('a response meant for another service provider (Destination, Recipient)', async () => {
    await expectRefused({ destination: 'https://elsewhere.example/acs' }, /another address/);
    await expectRefused({ recipient: 'https://elsewhere.example/acs' }, /another address/);
  });

  it('a response to a request this server never sent', async () => {
    await expectRefused({ inResponseTo: '_0123456789abcdef0123456789abcdef01234567' }, /no pending sign-in request/);
  });

  it('a replayed response: the first post signs in, the same response posted again is refused', async () => {
    const first = await signInThroughIdp(s, idp, claimsOf('erin@contoso.com', 'Erin'));
    expect(first.res.status).toBe(302);
    expect(await signedInLogin(s.app, first.res)).toBe('erin@contoso.com');
    const users = await countRows(s.dataSource, 'users');
    const sessions = await countRows(s.dataSource, 'user_sessions');

    const again = await postResponse(s, first.samlResponse, first.relayState, 'application/json');
    expect(again.status).toBe(401);
    expect(sessionCookieOf(again)).toBeUndefined();
    expect(await countRows(s.dataSource, 'user_sessions')).toBe(sessions);
    expect(await countRows(s.dataSource, 'users')).toBe(users);
  });

  it('a replayed IdP-initiated response (no request to consume) is refused by the assertion ID', async () => {
    const init = await s.http().get('/sessions/init/saml').expect(302);
    const { acsUrl } = idp.readRequest(init.headers.location);
    const samlResponse = idp.respond({ acsUrl, attributes: claimsOf('frank@contoso.com', 'Frank') });
    expect((await postResponse(s, samlResponse, null)).status).toBe(302);
    const sessions = await countRows(s.dataSource, 'user_sessions');
    const again = await postResponse(s, samlResponse, null, 'application/json');
    expect(again.status).toBe(401);
    expect(again.body.errors[0].msg).toMatch(/already been used/);
    expect(await countRows(s.dataSource, 'user_sessions')).toBe(sessions);
  });

  it('a post without a SAML response, or with garbage in it', async () => {
    const users = await countRows(s.dataSource, 'users');
    for (const body of [
      {},
      { SAMLResponse: 'not base64!' },
      { SAMLResponse: Buffer.from('<x/>').toString('base64') },
    ]) {
      const res = await s
        .http()
        .post('/oauth2/callback/saml')
        .set('Accept', 'application/json')
        .type('form')
        .send(body);
      expect(res.status).toBe(401);
    }
    expect(await countRows(s.dataSource, 'users')).toBe(users);
  });

  it('accepts a signed response as well as a signed assertion, and both', async () => {
    for (const sign of ['response', 'both'] as const) {
      const { res } = await signInThroughIdp(s, idp, claimsOf(`grace-${sign}@contoso.com`, 'Grace'), { sign });
      expect(res.status).toBe(302);
      expect(await signedInLogin(s.app, res)).toBe(`grace-${sign}@contoso.com`);
    }
  });

  it('a refusal shown to a browser is a page that escapes what it quotes', async () => {
    const { res } = await signInThroughIdp(s, idp, { 'urn:x': '<script>alert(1)</script>' });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.text).not.toMatch(/<script>/);
  });
});
