import { LocalAccountsService, UserTokensService } from '@nest-scim/auth';
import { testDialects } from '@nest-scim/persistence/testing';
import { SAML_SETTING_KEYS, SamlSettingsService, SamlValidationReport } from '@nest-scim/saml';
import { makeSelfSignedCertificate } from '@nest-scim/saml/testing';
import { ScimTestServer, startScimServer } from '../support/scim-harness';
import {
  claimsOf,
  configureSaml,
  countRows,
  postResponse,
  PUBLIC_URL,
  sessionCookieOf,
  signInThroughIdp,
} from './saml-support';
import { CLAIMS, ResponseOptions, TestIdentityProvider } from './test-identity-provider';

describe.each(testDialects())(
  '"Test configuration": an admin sees what the identity provider sends (%s)',
  (dialect) => {
    let s: ScimTestServer;
    let bobToken: string;
    const idp = new TestIdentityProvider();

    beforeAll(async () => {
      s = await startScimServer(dialect, { env: { PUBLIC_URL }, withoutScimMode: true });
      await configureSaml(s.app, idp);
      const bob = await s.app
        .get(LocalAccountsService)
        .createLocalUser({ login: 'bob', name: 'Bob', password: 'Bob-password-1234!' });
      bobToken = (await s.app.get(UserTokensService).generate({ userId: bob.id, name: 'bob' })).token;
    });
    afterAll(() => s.close());

    /** The admin starts the test, signs in at the IdP as `attributes`, and the browser posts the answer back. */
    async function runTest(
      attributes: Record<string, string | string[]>,
      options: Partial<ResponseOptions> & { accept?: string } = {},
    ) {
      const init = await s.http().get('/saml/validation_init').set('Authorization', `Bearer ${s.token}`).expect(302);
      const request = idp.readRequest(init.headers.location);
      expect(request.relayState).toBe('validation-query');
      const samlResponse = idp.respond({ acsUrl: request.acsUrl, inResponseTo: request.id, attributes, ...options });
      return postResponse(s, samlResponse, request.relayState, options.accept ?? 'application/json');
    }

    it('only an administrator may start it', async () => {
      expect((await s.http().get('/saml/validation_init').set('Accept', 'application/json')).status).toBe(401);
      const notAdmin = await s.http().get('/saml/validation_init').set('Authorization', `Bearer ${bobToken}`);
      expect(notAdmin.status).toBe(403);
    });

    it('reports every attribute, which one the login attribute picked, and signs nobody in', async () => {
      const users = await countRows(s.dataSource, 'users');
      const sessions = await countRows(s.dataSource, 'user_sessions');
      const res = await runTest(claimsOf('alice@contoso.com', 'Alice Liddell', { [CLAIMS.groups]: ['devs', 'ops'] }));
      expect(res.status).toBe(200);
      expect(sessionCookieOf(res)).toBeUndefined();
      const report = res.body as SamlValidationReport;
      expect(report).toMatchObject({
        status: 'success',
        errors: [],
        verified: true,
        login: 'alice@contoso.com',
        issuer: idp.entityId,
        signature: { assertionSigned: true, responseSigned: false, requestsSigned: false },
      });
      expect(report.attributes).toEqual(
        expect.arrayContaining([
          { name: CLAIMS.name, values: ['alice@contoso.com'] },
          { name: CLAIMS.displayName, values: ['Alice Liddell'] },
          { name: CLAIMS.email, values: ['alice@contoso.com'] },
          { name: CLAIMS.groups, values: ['devs', 'ops'] },
        ]),
      );
      expect(report.mapped.login).toEqual({
        setting: SAML_SETTING_KEYS.userLogin,
        attribute: CLAIMS.name,
        values: ['alice@contoso.com'],
      });
      expect(report.mapped.groups?.values).toEqual(['devs', 'ops']);
      expect(await countRows(s.dataSource, 'users')).toBe(users);
      expect(await countRows(s.dataSource, 'user_sessions')).toBe(sessions);
    });

    it('warns when the email does not come, or when no email attribute is configured at all', async () => {
      const missing = (await runTest({ [CLAIMS.name]: 'alice@contoso.com', [CLAIMS.displayName]: 'Alice' })).body;
      expect(missing.status).toBe('success');
      expect(missing.warnings).toContain(
        `Mapping not found for the property ${SAML_SETTING_KEYS.userEmail}, the field ${CLAIMS.email} is not available in the SAML response.`,
      );
      const settings = s.app.get(SamlSettingsService);
      await settings.reset([SAML_SETTING_KEYS.userEmail]);
      try {
        const unconfigured = (await runTest(claimsOf('alice@contoso.com', 'Alice'))).body;
        expect(unconfigured.warnings).toEqual(
          expect.arrayContaining([expect.stringMatching(/No email attribute is configured/)]),
        );
        expect(unconfigured.mapped.email).toBeNull();
      } finally {
        await settings.set(SAML_SETTING_KEYS.userEmail, CLAIMS.email);
      }
    });

    it('reports a missing login attribute as an error', async () => {
      const report = (await runTest({ [CLAIMS.displayName]: 'Alice' })).body as SamlValidationReport;
      expect(report.status).toBe('error');
      expect(report.login).toBeNull();
      expect(report.errors).toContain(
        `Mapping not found for the property ${SAML_SETTING_KEYS.userLogin}, the field ${CLAIMS.name} is not available in the SAML response.`,
      );
    });

    it('reports a signature problem, and still shows the (unverified) attributes to diagnose it', async () => {
      const wrongKey = makeSelfSignedCertificate().privateKeyPem;
      const users = await countRows(s.dataSource, 'users');
      const res = await runTest(claimsOf('alice@contoso.com', 'Alice'), { signingKeyPem: wrongKey });
      expect(res.status).toBe(200);
      const report = res.body as SamlValidationReport;
      expect(report).toMatchObject({ status: 'error', verified: false, login: 'alice@contoso.com' });
      expect(report.errors[0]).toMatch(/not validly signed/);
      expect(sessionCookieOf(res)).toBeUndefined();
      expect(await countRows(s.dataSource, 'users')).toBe(users);
    });

    it('warns of a clock difference the skew allowance still tolerates', async () => {
      const report = (
        await runTest(claimsOf('alice@contoso.com', 'Alice'), { issueInstant: new Date(Date.now() + 100_000) })
      ).body as SamlValidationReport;
      expect(report.status).toBe('success');
      expect(report.clockSkewSeconds).toBeGreaterThanOrEqual(95);
      expect(report.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/clock is \d+ s ahead/)]));
    });

    it('shows a browser a page, with what the identity provider sent escaped', async () => {
      const res = await runTest(claimsOf('alice@contoso.com', '<b>Alice</b>'), { accept: 'text/html' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('SAML configuration test');
      expect(res.text).toContain('alice@contoso.com');
      expect(res.text).toContain('&#60;b&#62;Alice&#60;/b&#62;');
      expect(res.text).not.toContain('<b>Alice</b>');
    });

    it('the test marker on the answer to an ordinary sign-in is refused, and signs nobody in', async () => {
      const users = await countRows(s.dataSource, 'users');
      const init = await s.http().get('/sessions/init/saml').expect(302);
      const request = idp.readRequest(init.headers.location);
      const samlResponse = idp.respond({
        acsUrl: request.acsUrl,
        inResponseTo: request.id,
        attributes: claimsOf('zoe@contoso.com', 'Zoe'),
      });
      const res = await postResponse(s, samlResponse, 'validation-query', 'application/json');
      expect(res.status).toBe(401);
      expect(sessionCookieOf(res)).toBeUndefined();
      expect(await countRows(s.dataSource, 'users')).toBe(users);
    });

    it('the answer to a test never signs in, even posted without the marker', async () => {
      const init = await s.http().get('/saml/validation_init').set('Authorization', `Bearer ${s.token}`).expect(302);
      const request = idp.readRequest(init.headers.location);
      const samlResponse = idp.respond({
        acsUrl: request.acsUrl,
        inResponseTo: request.id,
        attributes: claimsOf('zoe@contoso.com', 'Zoe'),
      });
      const res = await postResponse(s, samlResponse, '/', 'application/json');
      expect(res.status).toBe(200);
      expect(res.body.login).toBe('zoe@contoso.com');
      expect(sessionCookieOf(res)).toBeUndefined();
    });

    it('ordinary sign-in still works beside it', async () => {
      const { res } = await signInThroughIdp(s, idp, claimsOf('alice@contoso.com', 'Alice'));
      expect(res.status).toBe(302);
    });
  },
);
