import { Column, CreateDateColumn, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { driverErrorCode, isUniqueViolation } from './driver-errors';
import { insertRows, persistentValue, selectEntities } from './fixed-statements';
import { openScratchDataSource, testDialects } from './testing';
import { TimestampColumn } from './timestamp-column.decorator';

@Entity('fixed_probe')
class Probe {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'varchar', length: 64, nullable: true })
  note!: string | null;

  @TimestampColumn({ name: 'seen_at' })
  seenAt!: Date;
}

/** An entity whose creation date TypeORM fills: `insertRows` hands it to EntityManager.insert. */
@Entity('fixed_probe_dated')
class DatedProbe {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}

const AT = new Date('2026-03-04T05:06:07.089Z');

describe.each(testDialects())('fixed statements (%s)', (dialect) => {
  let dataSource: DataSource;
  let close: () => Promise<void>;
  let statements: string[] = [];

  beforeAll(async () => {
    ({ dataSource, close } = await openScratchDataSource(dialect, [Probe, DatedProbe]));
    (dataSource.subscribers as unknown[]).push({
      afterQuery: (event: { query: string }) => statements.push(event.query),
    });
  });
  afterAll(() => close());
  beforeEach(async () => {
    await dataSource.getRepository(Probe).clear();
    await dataSource.getRepository(DatedProbe).clear();
    statements = [];
  });

  /** A stored row as the database holds it, without its id. */
  async function stored(id: string): Promise<Record<string, unknown>> {
    const [row] = (await dataSource.query(`SELECT * FROM ${dataSource.driver.escape('fixed_probe')} WHERE id = ?`, [
      id,
    ])) as Record<string, unknown>[];
    const { id: _id, ...rest } = row;
    return rest;
  }

  it('stores a row exactly as EntityManager.insert does: booleans, timestamps, nulls, and defaults for unset columns', async () => {
    const row = { name: 'Adele', active: false, note: null, seenAt: AT };
    await insertRows(dataSource.manager, Probe, [{ id: 'fixed', ...row }]);
    await dataSource.manager.insert(Probe, { id: 'typeorm', ...row });
    expect(await stored('fixed')).toEqual(await stored('typeorm'));

    await insertRows(dataSource.manager, Probe, [{ id: 'fixed-default', name: 'Alex', seenAt: AT }]);
    await dataSource.manager.insert(Probe, { id: 'typeorm-default', name: 'Alex', seenAt: AT });
    expect(await stored('fixed-default')).toEqual(await stored('typeorm-default'));
    expect(await dataSource.getRepository(Probe).findOneByOrFail({ id: 'fixed-default' })).toMatchObject({
      active: true,
      note: null,
      seenAt: AT,
    });
  });

  it('writes rows of one shape in one INSERT, and rows of different shapes all the same', async () => {
    await insertRows(dataSource.manager, Probe, [
      { id: 'a', name: 'A', active: false, seenAt: AT },
      { id: 'b', name: 'B', active: true, seenAt: AT },
      { id: 'c', name: 'C', active: false, seenAt: AT },
    ]);
    expect(statements.filter((sql) => /^INSERT/i.test(sql))).toHaveLength(1);

    await insertRows(dataSource.manager, Probe, [
      { id: 'd', name: 'D', seenAt: AT },
      { id: 'e', name: 'E', active: false, note: 'set', seenAt: AT },
    ]);
    const rows = await dataSource.getRepository(Probe).find({ order: { id: 'ASC' } });
    expect(rows.map((r) => [r.id, r.active, r.note])).toEqual([
      ['a', false, null],
      ['b', true, null],
      ['c', false, null],
      ['d', true, null],
      ['e', false, 'set'],
    ]);
  });

  it('refuses a duplicate key with the same database error as EntityManager.insert', async () => {
    await insertRows(dataSource.manager, Probe, [{ id: 'twice', name: 'T', seenAt: AT }]);
    const fixed = await insertRows(dataSource.manager, Probe, [{ id: 'twice', name: 'T', seenAt: AT }]).catch(
      (error: unknown) => error,
    );
    const typeorm = await dataSource.manager
      .insert(Probe, { id: 'twice', name: 'T', seenAt: AT })
      .catch((error: unknown) => error);
    expect(isUniqueViolation(fixed)).toBe(true);
    expect(driverErrorCode(fixed)).toBe(driverErrorCode(typeorm));
  });

  it('leaves an entity whose columns TypeORM fills to EntityManager.insert', async () => {
    await insertRows(dataSource.manager, DatedProbe, [{ id: 'dated' }]);
    const row = await dataSource.getRepository(DatedProbe).findOneByOrFail({ id: 'dated' });
    expect(row.createdAt).toBeInstanceOf(Date);
    expect(Number.isNaN(row.createdAt.getTime())).toBe(false);
  });

  it('reads entities as the repository does, and matches a timestamp through persistentValue', async () => {
    await insertRows(dataSource.manager, Probe, [
      { id: 'r1', name: 'One', active: false, note: null, seenAt: AT },
      { id: 'r2', name: 'Two', active: true, note: 'n', seenAt: new Date(AT.getTime() + 1) },
    ]);
    const repository = dataSource.getRepository(Probe);
    for (const id of ['r1', 'r2']) {
      const [read] = await selectEntities(dataSource.manager, Probe, 'id = ?', [id]);
      expect(read).toBeInstanceOf(Probe);
      expect(read).toEqual(await repository.findOneByOrFail({ id }));
    }
    const atExactly = await selectEntities(dataSource.manager, Probe, `${dataSource.driver.escape('seen_at')} = ?`, [
      persistentValue(dataSource.manager, Probe, 'seenAt', AT),
    ]);
    expect(atExactly.map((r) => r.id)).toEqual(['r1']);
    expect(() => persistentValue(dataSource.manager, Probe, 'missing' as keyof Probe & string, 1)).toThrow(
      'No column for Probe.missing',
    );
  });
});
