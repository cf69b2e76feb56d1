import { makeLicenseKeyPair, signLicense } from '@nest-scim/license/testing';
import { testDialects } from '@nest-scim/persistence/testing';
import { completeSamlSettings, makeSelfSignedCertificate } from '@nest-scim/saml/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import { webApi, WebApiClient } from '../support/web-api-harness';

const DAY = 24 * 3600 * 1000;
const CONFIRM =
  'Turning on automatic user and group provisioning with SCIM must be confirmed: users and groups then become read-only here';
const NEEDS_SAML = 'SAML authentication must be configured and enabled first';
const KEYS = {
  enabled: 'sonar.auth.saml.enabled',
  applicationId: 'sonar.auth.saml.applicationId',
  providerId: 'sonar.auth.saml.providerId',
  loginUrl: 'sonar.auth.saml.loginUrl',
  certificate: 'sonar.auth.saml.certificate.secured',
  signatureEnabled: 'sonar.auth.saml.signature.enabled',
};

/** The same statement with another edition, under the original signature. */
function tamper(key: string, edition: string): string {
  const [payload, signature] = key.split('.');
  const statement = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  return `${Buffer.from(JSON.stringify({ ...statement, edition })).toString('base64url')}.${signature}`;
}

describe.each(testDialects())('Web API: license, SAML settings and the SCIM switch (%s)', (dialect) => {
  let s: ScimTestServer;
  let admin: WebApiClient;
  const license = (edition: 'developer' | 'enterprise', features: string[], expiresInDays = 365) =>
    signLicense(s.licenseKeys.privateKey, {
      licensee: 'Contoso',
      edition,
      features,
      expiresAt: new Date(Date.now() + expiresInDays * DAY),
    });
  const messagesOf = (body: { errors: { msg: string }[] }) => body.errors.map((e) => e.msg);

  beforeAll(async () => {
    s = await startScimServer(dialect, { withoutLicense: true });
    admin = webApi(s, { bearer: s.token });
  });
  afterAll(() => s.close());

  it('starts as Community, refuses a tampered, untrusted or malformed key with the reason, and shows an install at once', async () => {
    const none = await admin.get('/api/editions/license').expect(200);
    expect(none.body).toMatchObject({
      status: 'none',
      edition: 'community',
      licensee: null,
      features: [],
      warning: null,
    });

    const tampered = await admin
      .post('/api/editions/set_license', { license: tamper(license('developer', []), 'datacenter') })
      .expect(400);
    expect(tampered.body).toEqual({
      errors: [{ msg: 'The license key signature is invalid: the key was altered after it was signed' }],
    });
    const otherVendor = signLicense(makeLicenseKeyPair().privateKey, {
      licensee: 'Contoso',
      edition: 'enterprise',
      features: ['scim'],
      expiresAt: new Date(Date.now() + DAY),
    });
    const untrusted = await admin.post('/api/editions/set_license', { license: otherVendor }).expect(400);
    expect(untrusted.body).toEqual({ errors: [{ msg: 'The license key is not signed by a trusted key' }] });
    const malformed = await admin.post('/api/editions/set_license', { license: 'not-a-license' }).expect(400);
    expect(messagesOf(malformed.body)[0]).toMatch(/^The license key is malformed: /);
    await admin.post('/api/editions/set_license', {}).expect(400);
    expect((await admin.get('/api/editions/license').expect(200)).body.status).toBe('none');

    const key = license('enterprise', ['scim', 'saml'], 10);
    await admin.post('/api/editions/set_license', { license: key }).expect(204);
    const installed = await admin.get('/api/editions/license').expect(200);
    const expiresAt = new Date(installed.body.expiresAt);
    expect(installed.body).toMatchObject({
      status: 'valid',
      edition: 'enterprise',
      licensee: 'Contoso',
      features: ['scim', 'saml'],
      expiringSoon: true,
      warning: `The license expires on ${expiresAt.toISOString().slice(0, 10)}`,
      message: null,
    });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 9 * DAY);
  });

  it('reads SAML settings with secrets masked, validates what is set, and resets to defaults', async () => {
    const { certificatePem } = makeSelfSignedCertificate();
    await admin.post('/api/settings/set', { key: KEYS.certificate, value: certificatePem }).expect(204);
    await admin.postJson('/api/settings/set', { key: KEYS.enabled, value: true }).expect(204);

    const values = await admin.get('/api/settings/values').expect(200);
    const byKey = Object.fromEntries(values.body.settings.map((v: { key: string }) => [v.key, v]));
    expect(byKey[KEYS.certificate]).toEqual({ key: KEYS.certificate, hasValue: true, inherited: false, secured: true });
    expect(byKey[KEYS.enabled]).toMatchObject({ value: 'true', inherited: false, secured: false });
    expect(byKey[KEYS.applicationId]).toMatchObject({ value: 'sonarqube', inherited: true });
    expect(values.body.setSecuredSettings).toEqual([KEYS.certificate]);
    const body = JSON.stringify(values.body);
    expect(body).not.toContain('BEGIN CERTIFICATE');
    expect(body).not.toContain(certificatePem.split('\n')[1]);

    const some = await admin.get('/api/settings/values', { keys: `${KEYS.enabled},${KEYS.loginUrl}` }).expect(200);
    expect(some.body.settings.map((v: { key: string }) => v.key)).toEqual([KEYS.enabled, KEYS.loginUrl]);

    const badUrl = await admin
      .post('/api/settings/set', { key: KEYS.loginUrl, value: 'javascript:alert(1)' })
      .expect(400);
    expect(badUrl.body).toEqual({ errors: [{ msg: 'Login URL must be an http or https URL', field: KEYS.loginUrl }] });
    const badCertificate = await admin.post('/api/settings/set', { key: KEYS.certificate, value: 'nope' }).expect(400);
    expect(badCertificate.body.errors[0]).toEqual({
      msg: 'Identity provider certificate is not a valid X.509 certificate',
      field: KEYS.certificate,
    });
    const signing = await admin.post('/api/settings/set', { key: KEYS.signatureEnabled, value: 'true' }).expect(400);
    expect(messagesOf(signing.body)).toEqual([
      'Service provider certificate is missing',
      'Service provider private key is missing',
    ]);
    const unknown = await admin.post('/api/settings/set', { key: 'sonar.core.serverBaseURL', value: 'x' }).expect(400);
    expect(unknown.body).toEqual({
      errors: [{ msg: "'sonar.core.serverBaseURL' is not a SAML setting", field: 'sonar.core.serverBaseURL' }],
    });

    await admin.post('/api/settings/set', { key: KEYS.applicationId, value: 'my-app' }).expect(204);
    await admin
      .post('/api/settings/reset', { keys: `${KEYS.applicationId},${KEYS.certificate},${KEYS.enabled}` })
      .expect(204);
    const reset = await admin
      .get('/api/settings/values', { keys: `${KEYS.applicationId},${KEYS.certificate}` })
      .expect(200);
    expect(reset.body.settings).toEqual([
      { key: KEYS.applicationId, value: 'sonarqube', hasValue: true, inherited: true, secured: false },
      { key: KEYS.certificate, hasValue: false, inherited: true, secured: true },
    ]);
    expect(reset.body.setSecuredSettings).toEqual([]);
    await admin.post('/api/settings/reset', {}).expect(400);
  });
});

describe.each(testDialects())('Web API: switching SCIM provisioning on (%s)', (dialect) => {
  let s: ScimTestServer;
  let admin: WebApiClient;
  const license = (edition: 'developer' | 'enterprise', features: string[]) =>
    signLicense(s.licenseKeys.privateKey, {
      licensee: 'Contoso',
      edition,
      features,
      expiresAt: new Date(Date.now() + 365 * DAY),
    });
  const enable = (form: Record<string, string | boolean> = { confirm: true }) =>
    admin.post('/api/scim_management/enable', form);
  const messagesOf = (body: { errors: { msg: string }[] }) => body.errors.map((e) => e.msg);

  beforeAll(async () => {
    s = await startScimServer(dialect, { withoutLicense: true, env: { PUBLIC_URL: 'https://sonar.example.com' } });
    admin = webApi(s, { bearer: s.token });
  });
  afterAll(() => s.close());

  it('refuses to switch SCIM on for each missing prerequisite, naming it, and switches when all are met', async () => {
    const status = await admin.get('/api/scim_management/status').expect(200);
    expect(status.body).toEqual({ enabled: false, tenantUrl: 'https://sonar.example.com/api/scim/v2' });

    const nothing = await enable({}).expect(400);
    expect(messagesOf(nothing.body)).toEqual([
      'This feature requires an Enterprise license',
      `${NEEDS_SAML}: SAML authentication is not enabled, Provider ID is missing, Login URL is missing, ` +
        'Identity provider certificate is missing, User login attribute is missing, User name attribute is missing',
    ]);

    await admin.post('/api/editions/set_license', { license: license('developer', ['scim']) }).expect(204);
    for (const [key, value] of Object.entries(completeSamlSettings())) {
      await admin.post('/api/settings/set', { key, value }).expect(204);
    }
    expect(messagesOf((await enable().expect(400)).body)).toEqual(['This feature requires an Enterprise license']);

    await admin.post('/api/editions/set_license', { license: license('enterprise', ['saml']) }).expect(204);
    expect(messagesOf((await enable().expect(400)).body)).toEqual(["This feature requires the 'scim' feature"]);

    await admin.post('/api/editions/set_license', { license: license('enterprise', ['scim', 'saml']) }).expect(204);
    await admin.post('/api/settings/set', { key: KEYS.enabled, value: 'false' }).expect(204);
    expect(messagesOf((await enable().expect(400)).body)).toEqual([
      `${NEEDS_SAML}: SAML authentication is not enabled`,
    ]);

    await admin.post('/api/settings/set', { key: KEYS.enabled, value: 'true' }).expect(204);
    await admin.post('/api/settings/reset', { keys: KEYS.providerId }).expect(204);
    expect(messagesOf((await enable().expect(400)).body)).toEqual([`${NEEDS_SAML}: Provider ID is missing`]);

    await admin
      .post('/api/settings/set', { key: KEYS.providerId, value: 'https://sts.windows.net/tenant/' })
      .expect(204);
    expect(messagesOf((await enable({ confirm: false }).expect(400)).body)).toEqual([CONFIRM]);
    expect((await admin.get('/api/scim_management/status').expect(200)).body.enabled).toBe(false);

    await enable({ confirm: true }).expect(204);
    expect((await admin.get('/api/scim_management/status').expect(200)).body.enabled).toBe(true);
    await admin.post('/api/scim_management/disable').expect(204);
    expect((await admin.get('/api/scim_management/status').expect(200)).body.enabled).toBe(false);

    // No parameter at all, as SonarQube's scripts call it: the call is the decision.
    await enable({}).expect(204);
    expect((await admin.get('/api/scim_management/status').expect(200)).body.enabled).toBe(true);
    await admin.post('/api/scim_management/disable').expect(204);
    await s
      .http()
      .post('/api/scim_management/enable')
      .set('Authorization', `Basic ${Buffer.from(`${s.token}:`).toString('base64')}`)
      .expect(204);
    expect((await admin.get('/api/scim_management/status').expect(200)).body.enabled).toBe(true);
  });
});
