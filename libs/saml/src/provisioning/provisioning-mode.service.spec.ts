import { LICENSE_ENTITIES, LicenseModule, LicenseService } from '@app/license';
import { makeLicenseKeyPair, signLicense } from '@app/license/testing';
import { openScratchDataSource, testDialects } from '@app/persistence/testing';
import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions, EntityManager } from 'typeorm';
import { SamlModule } from '../saml.module';
import { SAML_ENTITIES } from '../saml.entities';
import { SamlSettingEntity } from '../settings/saml-setting.entity';
import { SAML_SETTING_KEYS as KEYS } from '../settings/saml-settings.constants';
import { SamlSettingsRepository } from '../settings/saml-settings.repository';
import { SamlSettingsService } from '../settings/saml-settings.service';
import { completeSamlSettings, makeSelfSignedCertificate } from '../testing';
import { InternalPropertyEntity } from './internal-property.entity';
import { ProvisioningModeRepository } from './provisioning-mode.repository';
import { ProvisioningModeService } from './provisioning-mode.service';
import type {
  ProvisioningLicenseCheck,
  ProvisioningModeChange,
  ProvisioningModeListener,
} from './provisioning-mode.types';
import { ScimEnableRefusedError } from './scim-enable-refused.error';

const vendor = makeLicenseKeyPair();
const idp = makeSelfSignedCertificate({ commonName: 'login.microsoftonline.com' });

/**
 * Stands in for the identity lib's "drop the SCIM links" listener: records what it was told, and writes through the
 * manager it was given so the test can see that write commit, or roll back, with the switch.
 */
@Injectable()
class RecordingListener implements ProvisioningModeListener {
  calls: { change: ProvisioningModeChange; inTransaction: boolean }[] = [];
  failWith: Error | null = null;

  async onProvisioningModeChange(change: ProvisioningModeChange, manager: EntityManager): Promise<void> {
    this.calls.push({ change, inTransaction: manager.queryRunner?.isTransactionActive === true });
    await manager.upsert(
      InternalPropertyEntity,
      { key: 'test.links.dropped', value: String(change.to === 'jit'), updatedAt: new Date() },
      ['key'],
    );
    if (this.failWith) throw this.failWith;
  }
}

describe.each(testDialects())('ProvisioningModeService on %s', (dialect) => {
  let db: { dataSource: DataSource; close(): Promise<void> };
  let moduleRef: TestingModule;
  let mode: ProvisioningModeService;
  let settings: SamlSettingsService;
  let licenses: LicenseService;
  let listener: RecordingListener;
  let now: Date;
  /** Another server instance on the same database, with no listeners of its own. */
  let otherInstance: DataSource;
  let modeElsewhere: ProvisioningModeService;

  beforeAll(async () => {
    db = await openScratchDataSource(dialect, [...LICENSE_ENTITIES, ...SAML_ENTITIES]);
    moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => db.dataSource.options,
          dataSourceFactory: async () => db.dataSource,
        }),
        LicenseModule.forRoot({ trustedPublicKeys: [vendor.publicKey], clock: () => now }),
        SamlModule.forRoot({ provisioningModeListeners: [RecordingListener] }),
      ],
    }).compile();
    await moduleRef.init();
    mode = moduleRef.get(ProvisioningModeService);
    settings = moduleRef.get(SamlSettingsService);
    licenses = moduleRef.get(LicenseService);
    listener = moduleRef.get(RecordingListener);

    otherInstance = new DataSource({ ...db.dataSource.options, synchronize: false } as DataSourceOptions);
    await otherInstance.initialize();
    modeElsewhere = new ProvisioningModeService(
      otherInstance,
      new ProvisioningModeRepository(otherInstance),
      new SamlSettingsService(otherInstance, new SamlSettingsRepository(otherInstance)),
      [],
    );
  });
  afterAll(async () => {
    await otherInstance.destroy();
    await moduleRef.close();
    await db.close();
  });
  beforeEach(async () => {
    now = new Date('2026-06-01T12:00:00Z');
    await licenses.remove();
    await db.dataSource.getRepository(SamlSettingEntity).clear();
    await db.dataSource.getRepository(InternalPropertyEntity).clear();
    listener.calls = [];
    listener.failWith = null;
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
  const refusalOf = async (request: { confirmed: boolean; license?: ProvisioningLicenseCheck }) => {
    const error = await mode.enableScim({ license: licenses, ...request }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ScimEnableRefusedError);
    return error as ScimEnableRefusedError;
  };
  const droppedLinksFlag = async () =>
    (await db.dataSource.getRepository(InternalPropertyEntity).findOneBy({ key: 'test.links.dropped' }))?.value ?? null;

  it('provisions just in time until told otherwise', async () => {
    expect(await mode.currentMode()).toBe('jit');
    expect(await mode.isScimEnabled()).toBe(false);
  });

  it('lists every unmet prerequisite, one message each, and changes nothing', async () => {
    const error = await refusalOf({ confirmed: false });
    expect(error.failures.map((f) => [f.prerequisite, f.message])).toEqual([
      [
        'confirmation',
        'Turning on automatic user and group provisioning with SCIM must be confirmed: users and groups then become read-only here',
      ],
      ['license', 'This feature requires an Enterprise license'],
      [
        'saml',
        'SAML authentication must be configured and enabled first: SAML authentication is not enabled, Provider ID is missing, ' +
          'Login URL is missing, Identity provider certificate is missing, User login attribute is missing, User name attribute is missing',
      ],
    ]);
    expect(error.failures[2].missingSettings?.map((m) => m.key)).toEqual([
      KEYS.enabled,
      KEYS.providerId,
      KEYS.loginUrl,
      KEYS.certificate,
      KEYS.userLogin,
      KEYS.userName,
    ]);
    expect(error.getStatus()).toBe(400);
    expect(await mode.currentMode()).toBe('jit');
    expect(listener.calls).toEqual([]);
  });

  describe('refuses when exactly one prerequisite is missing', () => {
    const cases: [string, () => Promise<unknown>, boolean, string, string][] = [
      [
        'no confirmation',
        async () => undefined,
        false,
        'confirmation',
        'Turning on automatic user and group provisioning with SCIM must be confirmed: users and groups then become read-only here',
      ],
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
        'saml',
        'SAML authentication must be configured and enabled first: SAML authentication is not enabled',
      ],
      [
        'SAML without provider ID',
        () => settings.reset([KEYS.providerId]),
        true,
        'saml',
        'SAML authentication must be configured and enabled first: Provider ID is missing',
      ],
      [
        'SAML without its certificate',
        () => settings.reset([KEYS.certificate]),
        true,
        'saml',
        'SAML authentication must be configured and enabled first: Identity provider certificate is missing',
      ],
    ];
    it.each(cases)('%s', async (_case, spoil, confirmed, prerequisite, message) => {
      await meetAllPrerequisites();
      await spoil();
      const error = await refusalOf({ confirmed });
      expect(error.failures.map((f) => ({ prerequisite: f.prerequisite, message: f.message }))).toEqual([
        { prerequisite, message },
      ]);
      expect(error.message).toBe(message);
      expect(await modeElsewhere.currentMode()).toBe('jit');
    });
  });

  it('switches to SCIM when all is met; another instance sees it at once', async () => {
    await meetAllPrerequisites();
    await mode.enableScim({ confirmed: true, license: licenses });
    expect(await modeElsewhere.currentMode()).toBe('scim');
    expect(await modeElsewhere.isScimEnabled()).toBe(true);
    expect(listener.calls).toEqual([{ change: { from: 'jit', to: 'scim' }, inTransaction: true }]);
  });

  it('accepts Data Center in place of Enterprise', async () => {
    await installLicense('datacenter', ['scim']);
    await settings.setMany(completeSamlSettings(idp.certificatePem));
    await mode.enableScim({ confirmed: true, license: licenses });
    expect(await mode.currentMode()).toBe('scim');
  });

  it('goes back to JIT, telling listeners inside the same transaction', async () => {
    await meetAllPrerequisites();
    await mode.enableScim({ confirmed: true, license: licenses });
    listener.calls = [];

    await mode.disableScim();
    expect(await modeElsewhere.currentMode()).toBe('jit');
    expect(listener.calls).toEqual([{ change: { from: 'scim', to: 'jit' }, inTransaction: true }]);
    expect(await droppedLinksFlag()).toBe('true');
  });

  it("keeps SCIM on, and undoes the listeners' writes, when a listener fails", async () => {
    await meetAllPrerequisites();
    await mode.enableScim({ confirmed: true, license: licenses });
    expect(await droppedLinksFlag()).toBe('false');

    listener.failWith = new Error('identity store unavailable');
    await expect(mode.disableScim()).rejects.toThrow('identity store unavailable');
    expect(await modeElsewhere.currentMode()).toBe('scim');
    expect(await droppedLinksFlag()).toBe('false');
  });

  it('can be disabled again, so leftovers of an earlier switch are cleaned up', async () => {
    await mode.disableScim();
    expect(listener.calls).toEqual([{ change: { from: 'jit', to: 'jit' }, inTransaction: true }]);
    expect(await mode.currentMode()).toBe('jit');
  });

  it("reads the mode inside a caller's transaction", async () => {
    await meetAllPrerequisites();
    await mode.enableScim({ confirmed: true, license: licenses });
    const seen = await db.dataSource.transaction((manager) => mode.currentMode(manager));
    expect(seen).toBe('scim');
  });

  // Only on MySQL: SQLite has no row locks to wait on (its transactions run one behind another).
  (dialect === 'mysql' ? it : (..._ignored: unknown[]) => undefined)(
    'makes a switch wait for a write that read the mode in its transaction',
    async () => {
      await meetAllPrerequisites();
      await mode.enableScim({ confirmed: true, license: licenses });
      let finishWrite!: () => void;
      const writeMayFinish = new Promise<void>((resolve) => (finishWrite = resolve));
      let modeRead!: () => void;
      const modeWasRead = new Promise<void>((resolve) => (modeRead = resolve));
      // A SCIM write in progress on one instance…
      const write = db.dataSource.transaction(async (manager) => {
        expect(await mode.currentMode(manager)).toBe('scim');
        modeRead();
        await writeMayFinish;
      });
      await modeWasRead;
      // …and an admin switching back to JIT on another.
      let switched = false;
      const disabling = modeElsewhere.disableScim().then(() => (switched = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(switched).toBe(false);
      finishWrite();
      await write;
      await disabling;
      expect(await mode.currentMode()).toBe('jit');
    },
  );
});
