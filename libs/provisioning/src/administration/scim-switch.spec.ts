import { Test, TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { LICENSE_ENTITIES, LicenseModule, LicenseService } from '@nest-scim/license';
import { makeLicenseKeyPair, signLicense } from '@nest-scim/license/testing';
import { openScratchDataSource, testDialects } from '@nest-scim/persistence/testing';
import {
  InternalPropertyEntity,
  ProvisioningModeService,
  SAML_ENTITIES,
  SAML_SETTING_KEYS as KEYS,
  SamlModule,
  SamlSettingEntity,
  SamlSettingsService,
  SamlSignInReadiness,
} from '@nest-scim/saml';
import { completeSamlSettings, makeSelfSignedCertificate } from '@nest-scim/saml/testing';
import { ScimEnableRefusedError } from './scim-enable-refused.error';
import { SCIM_NOT_CONFIRMED, ScimSwitch } from './scim-switch.service';
import type { SignInReadiness } from './sign-in-readiness';

const vendor = makeLicenseKeyPair();
const idp = makeSelfSignedCertificate({ commonName: 'login.microsoftonline.com' });
const NEEDS_SAML = 'SAML authentication must be configured and enabled first';

describe.each(testDialects())('ScimSwitch on %s', (dialect) => {
  let db: { dataSource: DataSource; close(): Promise<void> };
  let moduleRef: TestingModule;
  let mode: ProvisioningModeService;
  let settings: SamlSettingsService;
  let licenses: LicenseService;
  let now: Date;
  /** The switch of a host whose people sign in through SAML, as the standalone server plugs it. */
  let samlSwitch: ScimSwitch;
  const switchWith = (readiness?: SignInReadiness, publicUrl?: string) =>
    new ScimSwitch(
      mode,
      licenses,
      { trustedLicensePublicKeys: [], publicUrl },
      '/api/scim/v2',
      db.dataSource,
      readiness,
    );

  beforeAll(async () => {
    db = await openScratchDataSource(dialect, [...LICENSE_ENTITIES, ...SAML_ENTITIES]);
    moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => db.dataSource.options,
          dataSourceFactory: async () => db.dataSource,
        }),
        LicenseModule.forRoot({ trustedPublicKeys: [vendor.publicKey], clock: () => now }),
        SamlModule.forRoot(),
      ],
    }).compile();
    await moduleRef.init();
    mode = moduleRef.get(ProvisioningModeService);
    settings = moduleRef.get(SamlSettingsService);
    licenses = moduleRef.get(LicenseService);
    samlSwitch = switchWith(moduleRef.get(SamlSignInReadiness));
  });
  afterAll(async () => {
    await moduleRef.close();
    await db.close();
  });
  beforeEach(async () => {
    now = new Date('2026-06-01T12:00:00Z');
    await licenses.remove();
    await db.dataSource.getRepository(SamlSettingEntity).clear();
    await db.dataSource.getRepository(InternalPropertyEntity).clear();
  });

  const installLicense = (
    edition: 'developer' | 'enterprise' | 'datacenter',
    features: string[],
    expiresAt = '2027-12-31',
  ) =>
    licenses.install(
      signLicense(vendor.privateKey, { licensee: 'Acme', edition, features, issuedAt: '2026-01-01', expiresAt }),
    );
  const meetAllPrerequisites = async () => {
    await installLicense('enterprise', ['scim', 'saml']);
    await settings.setMany(completeSamlSettings(idp.certificatePem));
  };
  const refusalOf = async (scimSwitch: ScimSwitch, confirmed: boolean) => {
    const error = await scimSwitch.enable({ confirmed }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ScimEnableRefusedError);
    return error as ScimEnableRefusedError;
  };

  it('lists every unmet prerequisite, one message each, and changes nothing', async () => {
    const error = await refusalOf(samlSwitch, false);
    expect(error.failures.map((f) => [f.prerequisite, f.message])).toEqual([
      ['confirmation', SCIM_NOT_CONFIRMED],
      ['license', 'This feature requires an Enterprise license'],
      [
        'sign-in',
        `${NEEDS_SAML}: SAML authentication is not enabled, Provider ID is missing, Login URL is missing, ` +
          'Identity provider certificate is missing, User login attribute is missing, User name attribute is missing',
      ],
    ]);
    expect(error.getStatus()).toBe(400);
    expect(await mode.currentMode()).toBe('jit');
  });

  describe('refuses when exactly one prerequisite is missing', () => {
    const cases: [string, () => Promise<unknown>, boolean, string, string][] = [
      ['no confirmation', async () => undefined, false, 'confirmation', SCIM_NOT_CONFIRMED],
      ['no license', () => licenses.remove(), true, 'license', 'This feature requires an Enterprise license'],
      [
        'a Developer license',
        () => installLicense('developer', ['scim']),
        true,
        'license',
        'This feature requires an Enterprise license',
      ],
      [
        'an Enterprise license without the scim feature',
        () => installLicense('enterprise', ['saml']),
        true,
        'license',
        "This feature requires the 'scim' feature",
      ],
      [
        'an expired license',
        async () => {
          await installLicense('enterprise', ['scim'], '2026-06-10');
          now = new Date('2026-06-11T00:00:00Z');
        },
        true,
        'license',
        'The license expired on 2026-06-10',
      ],
      [
        'SAML switched off',
        () => settings.set(KEYS.enabled, false),
        true,
        'sign-in',
        `${NEEDS_SAML}: SAML authentication is not enabled`,
      ],
      [
        'SAML without provider ID',
        () => settings.reset([KEYS.providerId]),
        true,
        'sign-in',
        `${NEEDS_SAML}: Provider ID is missing`,
      ],
      [
        'SAML without its certificate',
        () => settings.reset([KEYS.certificate]),
        true,
        'sign-in',
        `${NEEDS_SAML}: Identity provider certificate is missing`,
      ],
    ];
    it.each(cases)('%s', async (_case, spoil, confirmed, prerequisite, message) => {
      await meetAllPrerequisites();
      await spoil();
      const error = await refusalOf(samlSwitch, confirmed);
      expect(error.failures.map((f) => ({ prerequisite: f.prerequisite, message: f.message }))).toEqual([
        { prerequisite, message },
      ]);
      expect(error.message).toBe(message);
      expect(await mode.currentMode()).toBe('jit');
    });
  });

  it('tells the unmet license and sign-in prerequisites before any confirmation, in the words enable uses', async () => {
    expect((await samlSwitch.unmetPrerequisites()).map((f) => f.prerequisite)).toEqual(['license', 'sign-in']);
    await installLicense('enterprise', ['scim']);
    expect(await samlSwitch.unmetPrerequisites()).toEqual([
      {
        prerequisite: 'sign-in',
        message:
          `${NEEDS_SAML}: SAML authentication is not enabled, Provider ID is missing, Login URL is missing, ` +
          'Identity provider certificate is missing, User login attribute is missing, User name attribute is missing',
      },
    ]);
    await settings.setMany(completeSamlSettings(idp.certificatePem));
    expect(await samlSwitch.unmetPrerequisites()).toEqual([]);
    expect(await switchWith(undefined).unmetPrerequisites()).toEqual([]);
    expect(await mode.currentMode()).toBe('jit');
  });

  it('switches on when all is met, accepts Data Center in place of Enterprise, and switches back', async () => {
    await installLicense('datacenter', ['scim']);
    await settings.setMany(completeSamlSettings(idp.certificatePem));
    await samlSwitch.enable({ confirmed: true });
    expect(await samlSwitch.status()).toEqual({ enabled: true });
    await samlSwitch.disable();
    expect(await mode.currentMode()).toBe('jit');
  });

  it('needs no SAML on a host that plugs no sign-in check (OIDC, say)', async () => {
    await installLicense('enterprise', ['scim']);
    const oidcHost = switchWith(undefined, 'https://product.example/');
    await oidcHost.enable({ confirmed: true });
    expect(await oidcHost.status()).toEqual({ enabled: true, tenantUrl: 'https://product.example/api/scim/v2' });
    // The confirmation and the license still count.
    await oidcHost.disable();
    expect((await refusalOf(oidcHost, false)).failures.map((f) => f.prerequisite)).toEqual(['confirmation']);
  });

  it("takes the host's own check, read inside the switch's transaction", async () => {
    await installLicense('enterprise', ['scim']);
    const seen: boolean[] = [];
    let unmet: string | undefined = 'OIDC issuer is not configured';
    const check: SignInReadiness = {
      unmet: async (manager: EntityManager) => {
        seen.push(manager.queryRunner?.isTransactionActive === true);
        return unmet;
      },
    };
    const error = await refusalOf(switchWith(check), true);
    expect(error.failures).toEqual([{ prerequisite: 'sign-in', message: 'OIDC issuer is not configured' }]);
    expect(await mode.currentMode()).toBe('jit');
    unmet = undefined;
    await switchWith(check).enable({ confirmed: true });
    expect(await mode.currentMode()).toBe('scim');
    expect(seen).toEqual([true, true]);
  });
});
