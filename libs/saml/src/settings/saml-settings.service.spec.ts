import { openScratchDataSource, testDialects } from '@nest-scim/persistence/testing';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { DataSource, DataSourceOptions } from 'typeorm';
import { SAML_NEEDED_BY_SCIM } from '../provisioning/provisioning-mode.constants';
import { ProvisioningModeRepository } from '../provisioning/provisioning-mode.repository';
import { SAML_ENTITIES } from '../saml.entities';
import { completeSamlSettings, makeSelfSignedCertificate } from '../testing';
import { SamlSettingEntity } from './saml-setting.entity';
import { SAML_SETTING_KEYS as KEYS } from './saml-settings.constants';
import { SamlSettingsRepository } from './saml-settings.repository';
import { SamlSettingsService } from './saml-settings.service';
import { SamlSettingsValidationError } from './saml-settings-validation.error';

const idp = makeSelfSignedCertificate({ commonName: 'idp.example' });
const sp = makeSelfSignedCertificate({ commonName: 'sp.example' });
const pemBody = (pem: string) =>
  pem
    .split('\n')
    .filter((line) => line && !line.startsWith('-----'))
    .join('');

function settingsOn(dataSource: DataSource, scimSignsInWithSaml = false): SamlSettingsService {
  const repository = new SamlSettingsRepository(dataSource);
  return new SamlSettingsService(
    dataSource,
    repository,
    new ProvisioningModeRepository(dataSource),
    scimSignsInWithSaml,
  );
}

async function refusal(promise: Promise<unknown>): Promise<SamlSettingsValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SamlSettingsValidationError);
  return error as SamlSettingsValidationError;
}

describe.each(testDialects())('SamlSettingsService on %s', (dialect) => {
  let db: { dataSource: DataSource; close(): Promise<void> };
  let otherInstance: DataSource;
  let settings: SamlSettingsService;
  let settingsElsewhere: SamlSettingsService;

  beforeAll(async () => {
    db = await openScratchDataSource(dialect, SAML_ENTITIES);
    otherInstance = new DataSource({ ...db.dataSource.options, synchronize: false } as DataSourceOptions);
    await otherInstance.initialize();
    settings = settingsOn(db.dataSource);
    settingsElsewhere = settingsOn(otherInstance);
  });
  afterAll(async () => {
    await otherInstance.destroy();
    await db.close();
  });
  beforeEach(() => db.dataSource.getRepository(SamlSettingEntity).clear());

  const storedRows = () => db.dataSource.getRepository(SamlSettingEntity).count();

  it("starts from the product's defaults", async () => {
    const values = await settings.values();
    expect(values.map((v) => v.key)).toEqual([
      KEYS.enabled,
      KEYS.applicationId,
      KEYS.providerName,
      KEYS.providerId,
      KEYS.loginUrl,
      KEYS.certificate,
      KEYS.userLogin,
      KEYS.userName,
      KEYS.userEmail,
      KEYS.groupName,
      KEYS.signatureEnabled,
      KEYS.spPrivateKey,
      KEYS.spCertificate,
    ]);
    expect(values).toEqual(
      expect.arrayContaining([
        { key: KEYS.enabled, value: 'false', hasValue: true, inherited: true, secured: false },
        { key: KEYS.applicationId, value: 'sonarqube', hasValue: true, inherited: true, secured: false },
        { key: KEYS.providerName, value: 'SAML', hasValue: true, inherited: true, secured: false },
        { key: KEYS.signatureEnabled, value: 'false', hasValue: true, inherited: true, secured: false },
        { key: KEYS.providerId, hasValue: false, inherited: true, secured: false },
        { key: KEYS.certificate, hasValue: false, inherited: true, secured: true },
      ]),
    );
  });

  it('stores a value and reads it back; another instance sees it at once', async () => {
    await settings.set(KEYS.loginUrl, '  https://login.microsoftonline.com/tenant/saml2 ');
    expect(await settingsElsewhere.values([KEYS.loginUrl])).toEqual([
      {
        key: KEYS.loginUrl,
        value: 'https://login.microsoftonline.com/tenant/saml2',
        hasValue: true,
        inherited: false,
        secured: false,
      },
    ]);
    await settingsElsewhere.set(KEYS.enabled, true);
    expect((await settings.configuration()).enabled).toBe(true);
  });

  it('never returns a secret in clear, only that it is set', async () => {
    await settings.setMany({
      [KEYS.certificate]: idp.certificatePem,
      [KEYS.spCertificate]: sp.certificatePem,
      [KEYS.spPrivateKey]: sp.privateKeyPem,
    });
    const values = await settings.values();
    const secrets = values.filter((v) => v.secured);
    expect(secrets.map((v) => v.key)).toEqual([KEYS.certificate, KEYS.spPrivateKey, KEYS.spCertificate]);
    for (const secret of secrets)
      expect(secret).toEqual({ key: secret.key, hasValue: true, inherited: false, secured: true });
    const everything = JSON.stringify(values);
    expect(everything).not.toContain(pemBody(idp.certificatePem).slice(0, 40));
    expect(everything).not.toContain('PRIVATE KEY');
    // The sign-in still gets them.
    expect((await settings.configuration()).spPrivateKey).toContain('-----BEGIN PRIVATE KEY-----');
  });

  it('takes a certificate pasted without its PEM lines and stores it as PEM', async () => {
    await settings.set(KEYS.certificate, pemBody(idp.certificatePem));
    expect((await settings.configuration()).certificate).toBe(idp.certificatePem);
  });

  describe('refuses a bad value with a message about its field, and stores nothing', () => {
    const { privateKey: rsa, publicKey: rsaPublic } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const cases: [string, string, unknown, string][] = [
      ['a switch that is not a boolean', KEYS.enabled, 'yes', 'Enabled must be true or false'],
      ['a signing switch that is not a boolean', KEYS.signatureEnabled, 'on', 'Sign requests must be true or false'],
      [
        'a login URL that is not a URL',
        KEYS.loginUrl,
        'login.example.com/saml',
        'Login URL must be an http or https URL',
      ],
      [
        'a login URL of another scheme',
        KEYS.loginUrl,
        'ftp://idp.example/saml',
        'Login URL must be an http or https URL',
      ],
      ['a script URL', KEYS.loginUrl, 'javascript:alert(1)', 'Login URL must be an http or https URL'],
      ['an empty provider ID', KEYS.providerId, '   ', 'Provider ID must not be empty; reset the setting to clear it'],
      [
        'an empty user login attribute',
        KEYS.userLogin,
        '',
        'SAML user login attribute must not be empty; reset the setting to clear it',
      ],
      [
        'a certificate that does not parse',
        KEYS.certificate,
        'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA',
        'Identity provider certificate is not a valid X.509 certificate',
      ],
      [
        'a public key given as certificate',
        KEYS.certificate,
        rsaPublic.export({ type: 'spki', format: 'pem' }).toString(),
        'Identity provider certificate is not a valid X.509 certificate',
      ],
      [
        'a service provider certificate that does not parse',
        KEYS.spCertificate,
        '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
        'Service provider certificate is not a valid X.509 certificate',
      ],
      [
        'a private key that does not parse',
        KEYS.spPrivateKey,
        '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
        'Service provider private key is not a valid PKCS#8 private key',
      ],
      [
        'a private key in PKCS#1',
        KEYS.spPrivateKey,
        rsa.export({ type: 'pkcs1', format: 'pem' }).toString(),
        'Service provider private key must be in PKCS#8 format (-----BEGIN PRIVATE KEY-----)',
      ],
      [
        'an encrypted private key',
        KEYS.spPrivateKey,
        rsa.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }).toString(),
        'Service provider private key must not be encrypted',
      ],
      ['a key that is not a SAML setting', 'sonar.auth.saml.nope', 'x', "'sonar.auth.saml.nope' is not a SAML setting"],
      [
        'the provisioning mode, which is not a setting',
        'sonar.scim.enabled',
        'true',
        "'sonar.scim.enabled' is not a SAML setting",
      ],
    ];
    it.each(cases)('%s', async (_case, key, value, message) => {
      const error = await refusal(settings.set(key, value as string));
      expect(error.errors).toEqual([{ key, message }]);
      expect(error.getStatus()).toBe(400);
      expect(await storedRows()).toBe(0);
    });
  });

  it('takes a PKCS#8 private key, also as a bare base64 body', async () => {
    await settings.set(KEYS.spPrivateKey, pemBody(sp.privateKeyPem));
    const stored = (await settings.configuration()).spPrivateKey!;
    expect(createPrivateKey(stored).asymmetricKeyType).toBe('rsa');
  });

  it('saves several settings all or none', async () => {
    const error = await refusal(
      settings.setMany({
        [KEYS.providerId]: 'https://sts.windows.net/t/',
        [KEYS.loginUrl]: 'nope',
        [KEYS.enabled]: 'maybe',
      }),
    );
    expect(error.errors).toEqual([
      { key: KEYS.loginUrl, message: 'Login URL must be an http or https URL' },
      { key: KEYS.enabled, message: 'Enabled must be true or false' },
    ]);
    expect(error.message).toBe('Login URL must be an http or https URL; Enabled must be true or false');
    expect(await storedRows()).toBe(0);
  });

  it('needs both the service provider certificate and key to sign requests', async () => {
    const error = await refusal(settings.set(KEYS.signatureEnabled, 'true'));
    expect(error.errors).toEqual([
      { key: KEYS.spCertificate, message: 'Service provider certificate is missing' },
      { key: KEYS.spPrivateKey, message: 'Service provider private key is missing' },
    ]);
    expect(await storedRows()).toBe(0);

    await settings.set(KEYS.spCertificate, sp.certificatePem);
    expect((await refusal(settings.set(KEYS.signatureEnabled, 'true'))).errors).toEqual([
      { key: KEYS.spPrivateKey, message: 'Service provider private key is missing' },
    ]);

    await settings.setMany({ [KEYS.signatureEnabled]: true, [KEYS.spPrivateKey]: sp.privateKeyPem });
    expect((await settings.configuration()).signatureEnabled).toBe(true);

    // Taking the key away while signing is on would break sign-in: refused, and the key stays.
    expect((await refusal(settingsElsewhere.reset([KEYS.spPrivateKey]))).errors).toEqual([
      { key: KEYS.spPrivateKey, message: 'Service provider private key is missing' },
    ]);
    expect((await settings.values([KEYS.spPrivateKey]))[0].hasValue).toBe(true);

    await settings.reset([KEYS.signatureEnabled, KEYS.spPrivateKey, KEYS.spCertificate]);
    expect(await storedRows()).toBe(0);
  });

  it('resets a setting to its default', async () => {
    await settings.setMany({ [KEYS.applicationId]: 'my-product', [KEYS.providerName]: 'Entra ID' });
    await settings.reset([KEYS.applicationId]);
    expect(await settings.values([KEYS.applicationId, KEYS.providerName])).toEqual([
      { key: KEYS.applicationId, value: 'sonarqube', hasValue: true, inherited: true, secured: false },
      { key: KEYS.providerName, value: 'Entra ID', hasValue: true, inherited: false, secured: false },
    ]);
    expect((await refusal(settings.reset(['sonar.auth.saml.nope']))).errors).toEqual([
      { key: 'sonar.auth.saml.nope', message: "'sonar.auth.saml.nope' is not a SAML setting" },
    ]);
  });

  it("counts SAML as enabled only when switched on and complete, naming what is missing in the product's words", async () => {
    expect(await settings.isEnabled()).toBe(false);
    expect(await settings.missing()).toEqual([
      { key: KEYS.enabled, message: 'SAML authentication is not enabled' },
      { key: KEYS.providerId, message: 'Provider ID is missing' },
      { key: KEYS.loginUrl, message: 'Login URL is missing' },
      { key: KEYS.certificate, message: 'Identity provider certificate is missing' },
      { key: KEYS.userLogin, message: 'User login attribute is missing' },
      { key: KEYS.userName, message: 'User name attribute is missing' },
    ]);

    const complete = completeSamlSettings(idp.certificatePem);
    await settings.setMany({ ...complete, [KEYS.enabled]: 'false' });
    expect(await settings.missing()).toEqual([{ key: KEYS.enabled, message: 'SAML authentication is not enabled' }]);
    expect(await settings.isComplete()).toBe(false);

    await settings.set(KEYS.enabled, 'true');
    expect(await settingsElsewhere.missing()).toEqual([]);
    expect(await settingsElsewhere.isEnabled()).toBe(true);
    expect(await settingsElsewhere.isComplete()).toBe(true);

    // Email and group attributes are optional, as in the product.
    await settings.reset([KEYS.userEmail, KEYS.groupName, KEYS.certificate]);
    expect(await settingsElsewhere.missing()).toEqual([
      { key: KEYS.certificate, message: 'Identity provider certificate is missing' },
    ]);
  });

  it('while SCIM is on and signs in with SAML, refuses to switch SAML off or leave it incomplete, and nothing else', async () => {
    const guarded = settingsOn(db.dataSource, true);
    const complete = completeSamlSettings(idp.certificatePem);
    await guarded.setMany(complete);
    const mode = new ProvisioningModeRepository(db.dataSource);
    await db.dataSource.transaction((m) => mode.writeScimEnabled(m, true, new Date()));
    try {
      for (const change of [
        () => guarded.set(KEYS.enabled, 'false'),
        () => guarded.reset([KEYS.certificate]),
        () => guarded.setMany({ [KEYS.loginUrl]: 'https://login.example/saml', [KEYS.enabled]: false }),
      ]) {
        const error = await refusal(change());
        expect(error.errors).toEqual([{ key: expect.any(String), message: SAML_NEEDED_BY_SCIM }]);
      }
      expect(await guarded.missing()).toEqual([]);
      // A change that keeps SAML complete is a change like any other.
      await guarded.set(KEYS.providerName, 'Entra ID');
      // A host whose SCIM users do not sign in through SAML is not held to it.
      await settingsOn(db.dataSource).set(KEYS.enabled, 'false');
      expect(await guarded.isEnabled()).toBe(false);
      // Back to just in time, SAML may be switched off.
      await guarded.set(KEYS.enabled, 'true');
      await db.dataSource.transaction((m) => mode.writeScimEnabled(m, false, new Date()));
      await guarded.set(KEYS.enabled, 'false');
    } finally {
      await db.dataSource.transaction((m) => mode.writeScimEnabled(m, false, new Date()));
    }
  });
});
