import { Column, Entity, PrimaryColumn } from 'typeorm';
import { openScratchDataSource, testDialects } from '@nest-scim/persistence/testing';
import type { ProvisioningModeService } from '@nest-scim/saml';
import { ScimTransactions } from './scim-transactions';

@Entity('tx_probe')
class ProbeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'integer' })
  n: number;
}

describe.each(testDialects())('ScimTransactions (%s)', (dialect) => {
  let db: Awaited<ReturnType<typeof openScratchDataSource>>;
  let scimOn = true;
  const mode = { isScimEnabled: async () => scimOn } as unknown as ProvisioningModeService;
  beforeAll(async () => {
    db = await openScratchDataSource(dialect, [ProbeEntity]);
  });
  afterAll(() => db.close());

  it('refuses a write inside its transaction when SCIM was switched off after the access check, writing nothing', async () => {
    const tx = new ScimTransactions(db.dataSource, mode);
    scimOn = false;
    await expect(tx.write((m) => m.insert(ProbeEntity, { id: 'a', n: 1 }))).rejects.toMatchObject({ status: 403 });
    expect(await db.dataSource.getRepository(ProbeEntity).count()).toBe(0);
    scimOn = true;
  });

  it('answers 403 rather than the refusal of a write that failed first, when SCIM was switched off', async () => {
    const tx = new ScimTransactions(db.dataSource, mode);
    scimOn = false;
    await expect(
      tx.write(async (m) => {
        await m.insert(ProbeEntity, { id: 'e', n: 1 });
        throw new Error('not found');
      }),
    ).rejects.toMatchObject({ status: 403 });
    expect(await db.dataSource.getRepository(ProbeEntity).count()).toBe(0);
    scimOn = true;
  });

  it('applies a write entirely or not at all', async () => {
    const tx = new ScimTransactions(db.dataSource, mode);
    await expect(
      tx.write(async (m) => {
        await m.insert(ProbeEntity, { id: 'b', n: 1 });
        throw new Error('second step failed');
      }),
    ).rejects.toThrow('second step failed');
    expect(await db.dataSource.getRepository(ProbeEntity).count()).toBe(0);
    await tx.write((m) => m.insert(ProbeEntity, { id: 'c', n: 2 }));
    expect(await db.dataSource.getRepository(ProbeEntity).count()).toBe(1);
  });

  it('never lets a read see a write that is still open and later rolled back', async () => {
    const tx = new ScimTransactions(db.dataSource, mode);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const writing = tx
      .write(async (m) => {
        await m.insert(ProbeEntity, { id: 'd', n: 3 });
        await held;
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reading = tx.read((m) => m.getRepository(ProbeEntity).findOneBy({ id: 'd' }));
    release();
    expect(await reading).toBeNull();
    await writing;
  });
});
