import { LICENSE_ENTITIES, LicenseModule, LicenseService } from '@nest-scim/license';
import { makeLicenseKeyPair } from '@nest-scim/license/testing';
import { openScratchDataSource, testDialects } from '@nest-scim/persistence/testing';
import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions, EntityManager } from 'typeorm';
import { SamlModule } from '../saml.module';
import { SAML_ENTITIES } from '../saml.entities';
import { SamlSettingEntity } from '../settings/saml-setting.entity';
import { InternalPropertyEntity } from './internal-property.entity';
import { ProvisioningModeRepository } from './provisioning-mode.repository';
import { ProvisioningModeService } from './provisioning-mode.service';
import type { ProvisioningModeChange, ProvisioningModeListener } from './provisioning-mode.types';

const vendor = makeLicenseKeyPair();

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
    licenses = moduleRef.get(LicenseService);
    listener = moduleRef.get(RecordingListener);

    otherInstance = new DataSource({ ...db.dataSource.options, synchronize: false } as DataSourceOptions);
    await otherInstance.initialize();
    modeElsewhere = new ProvisioningModeService(otherInstance, new ProvisioningModeRepository(otherInstance), []);
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

  const droppedLinksFlag = async () =>
    (await db.dataSource.getRepository(InternalPropertyEntity).findOneBy({ key: 'test.links.dropped' }))?.value ?? null;

  it('provisions just in time until told otherwise', async () => {
    expect(await mode.currentMode()).toBe('jit');
    expect(await mode.isScimEnabled()).toBe(false);
  });

  it("runs the caller's check inside the switch's transaction; a check that throws changes nothing", async () => {
    let seenInTransaction = false;
    await expect(
      mode.switchTo('scim', async (manager) => {
        seenInTransaction = manager.queryRunner?.isTransactionActive === true;
        throw new Error('prerequisite not met');
      }),
    ).rejects.toThrow('prerequisite not met');
    expect(seenInTransaction).toBe(true);
    expect(await modeElsewhere.currentMode()).toBe('jit');
    expect(listener.calls).toEqual([]);
  });

  it('switches to SCIM; another instance sees it at once', async () => {
    await mode.switchTo('scim');
    expect(await modeElsewhere.currentMode()).toBe('scim');
    expect(await modeElsewhere.isScimEnabled()).toBe(true);
    expect(listener.calls).toEqual([{ change: { from: 'jit', to: 'scim' }, inTransaction: true }]);
  });

  it('goes back to JIT, telling listeners inside the same transaction', async () => {
    await mode.switchTo('scim');
    listener.calls = [];

    await mode.switchTo('jit');
    expect(await modeElsewhere.currentMode()).toBe('jit');
    expect(listener.calls).toEqual([{ change: { from: 'scim', to: 'jit' }, inTransaction: true }]);
    expect(await droppedLinksFlag()).toBe('true');
  });

  it("keeps SCIM on, and undoes the listeners' writes, when a listener fails", async () => {
    await mode.switchTo('scim');
    expect(await droppedLinksFlag()).toBe('false');

    listener.failWith = new Error('identity store unavailable');
    await expect(mode.switchTo('jit')).rejects.toThrow('identity store unavailable');
    expect(await modeElsewhere.currentMode()).toBe('scim');
    expect(await droppedLinksFlag()).toBe('false');
  });

  it('can be disabled again, so leftovers of an earlier switch are cleaned up', async () => {
    await mode.switchTo('jit');
    expect(listener.calls).toEqual([{ change: { from: 'jit', to: 'jit' }, inTransaction: true }]);
    expect(await mode.currentMode()).toBe('jit');
  });

  it("reads the mode inside a caller's transaction", async () => {
    await mode.switchTo('scim');
    const seen = await db.dataSource.transaction((manager) => mode.currentMode(manager));
    expect(seen).toBe('scim');
  });

  // Only on MySQL: SQLite has no row locks to wait on (its transactions run one behind another).
  (dialect === 'mysql' ? it : (..._ignored: unknown[]) => undefined)(
    'makes a switch wait for a write that read the mode in its transaction',
    async () => {
      await mode.switchTo('scim');
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
      const disabling = modeElsewhere.switchTo('jit').then(() => (switched = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(switched).toBe(false);
      finishWrite();
      await write;
      await disabling;
      expect(await mode.currentMode()).toBe('jit');
    },
  );
});
