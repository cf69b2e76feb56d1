import { verify } from 'node:crypto';
import { stringify } from 'node:querystring';
import { testDialects } from '@nest-scim/persistence/testing';
import { SAML_SETTING_KEYS, SamlSettingsService } from '@nest-scim/saml';
import { makeSelfSignedCertificate } from '@nest-scim/saml/testing';
import { startTestServer, TestServer } from '../support/server-harness';
import { claimsOf, configureSaml, PUBLIC_URL, signedInLogin, signInThroughIdp } from './saml-support';
import { TestIdentityProvider } from './test-identity-provider';

describe.each(testDialects())('the service provider side: metadata and signed requests (%s)', (dialect) => {
  let s: TestServer;
  const idp = new TestIdentityProvider();
  const sp = makeSelfSignedCertificate({ commonName: 'sonarqube.test' });

  beforeAll(async () => {
    s = await startTestServer(dialect, { env: { PUBLIC_URL } });
    await configureSaml(s.app, idp);
  });
  afterAll(() => s.close());

  it('serves the metadata an admin gives Entra: entity ID, assertion consumer service, signed assertions wanted', async () => {
    const res = await s.http().get('/saml/metadata').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/samlmetadata\+xml/);
    expect(res.text).toContain('entityID="sonarqube"');
    expect(res.text).toContain(`Location="${PUBLIC_URL}/oauth2/callback/saml"`);
    expect(res.text).toContain('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    expect(res.text).toMatch(/WantAssertionsSigned="true"/);
    expect(res.text).toMatch(/AuthnRequestsSigned="false"/);
  });

  it('does not start a sign-in while SAML is incomplete', async () => {
    const settings = s.app.get(SamlSettingsService);
    await settings.set(SAML_SETTING_KEYS.enabled, false);
    try {
      const res = await s.http().get('/sessions/init/saml').set('Accept', 'application/json');
      expect(res.status).toBe(400);
      expect(res.body.errors[0].msg).toMatch(/not enabled/);
    } finally {
      await settings.set(SAML_SETTING_KEYS.enabled, true);
    }
  });

  describe('with request signing configured', () => {
    beforeAll(async () => {
      await s.app.get(SamlSettingsService).setMany({
        [SAML_SETTING_KEYS.signatureEnabled]: 'true',
        [SAML_SETTING_KEYS.spCertificate]: sp.certificatePem,
        [SAML_SETTING_KEYS.spPrivateKey]: sp.privateKeyPem,
      });
    });

    it('signs the AuthnRequest (HTTP-Redirect binding, RSA-SHA256) with the service provider key', async () => {
      const res = await s.http().get('/sessions/init/saml?return_to=%2Fprojects').expect(302);
      const { query } = idp.readRequest(res.headers.location);
      expect(query.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
      const signedOctets = stringify({
        SAMLRequest: query.get('SAMLRequest'),
        RelayState: query.get('RelayState'),
        SigAlg: query.get('SigAlg'),
      });
      const signature = Buffer.from(query.get('Signature')!, 'base64');
      expect(verify('sha256', Buffer.from(signedOctets), sp.certificatePem, signature)).toBe(true);
      expect(verify('sha256', Buffer.from(signedOctets), idp.certificate.certificatePem, signature)).toBe(false);
    });

    it('says so in its metadata, with the service provider certificate', async () => {
      const res = await s.http().get('/saml/metadata').expect(200);
      expect(res.text).toMatch(/AuthnRequestsSigned="true"/);
      const body = sp.certificatePem.replace(/-----[A-Z ]+-----|\s/g, '');
      expect(res.text.replace(/\s/g, '')).toContain(body);
    });

    it('and the round trip still signs in', async () => {
      const { res } = await signInThroughIdp(s, idp, claimsOf('alice@contoso.com', 'Alice'));
      expect(res.status).toBe(302);
      expect(await signedInLogin(s.app, res)).toBe('alice@contoso.com');
    });
  });
});
