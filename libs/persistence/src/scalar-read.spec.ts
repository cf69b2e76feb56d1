import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { runWithScalarReads, ScalarRead, scalarValuesOf, withScalarReads } from './scalar-read';
import { openScratchDataSource, testDialects } from './testing';

/** A key and its value. Both data sources have the table, each with rows of its own: a value tells where it was read. */
@Entity('scalar_setting')
class Setting {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  key!: string;

  @Column({ type: 'varchar', length: 64 })
  value!: string;
}

describe.each(testDialects())('runWithScalarReads (%s)', (dialect) => {
  let main: DataSource;
  let other: DataSource;
  const closers: (() => Promise<void>)[] = [];
  /** The statements each data source ran, in order. */
  const ran = new Map<DataSource, string[]>();

  beforeAll(async () => {
    const opened = [await openScratchDataSource(dialect, [Setting]), await openScratchDataSource(dialect, [Setting])];
    [main, other] = opened.map((o) => o.dataSource);
    closers.push(...opened.map((o) => o.close));
    await main.getRepository(Setting).insert([
      { key: 'a', value: 'main a' },
      { key: 'c', value: 'main c' },
    ]);
    await other.getRepository(Setting).insert([
      { key: 'b', value: 'other b' },
      { key: 'd', value: 'other d' },
    ]);
    for (const dataSource of [main, other]) {
      ran.set(dataSource, []);
      (dataSource.subscribers as unknown[]).push({
        afterQuery: (event: { query: string }) => ran.get(dataSource)!.push(event.query),
      });
    }
  });
  afterAll(() => Promise.all(closers.map((close) => close())));
  beforeEach(() => ran.forEach((statements) => (statements.length = 0)));

  function valueOf(source: DataSource, key: string): ScalarRead<string | null> {
    const table = source.driver.escape('scalar_setting');
    return {
      source,
      columns: [{ sql: `SELECT value FROM ${table} WHERE ${source.driver.escape('key')} = ?`, parameters: [key] }],
      read: ([value]) => (value === null || value === undefined ? null : String(value)),
    };
  }

  /** A statement on `main` answering a count, carrying what it is given. */
  async function statement(carried: readonly ScalarRead<unknown>[]) {
    const extended = withScalarReads(`SELECT COUNT(*) AS n FROM ${main.driver.escape('scalar_setting')}`, [], carried);
    const [row] = (await main.query(extended.sql, extended.parameters)) as Record<string, unknown>[];
    return { answer: Number(row.n), values: scalarValuesOf(row, carried) as unknown[] };
  }

  it('answers the values in the order of the reads, whichever data source each is on', async () => {
    const reads = [
      valueOf(main, 'a'),
      valueOf(other, 'b'),
      valueOf(other, 'd'),
      valueOf(main, 'c'),
      valueOf(main, 'missing'),
    ] as const;
    const { answer, values } = await runWithScalarReads(main, reads, statement);
    expect(answer).toBe(2);
    expect(values).toEqual(['main a', 'other b', 'other d', 'main c', null]);
  });

  it('places on the statement only the reads of its data source, and runs the others on their own data source', async () => {
    const given: (readonly ScalarRead<unknown>[])[] = [];
    const reads = [valueOf(other, 'd'), valueOf(main, 'c'), valueOf(other, 'b'), valueOf(main, 'a')];
    const { values } = await runWithScalarReads(main, reads, (carried) => {
      given.push(carried);
      return statement(carried);
    });
    expect(values).toEqual(['other d', 'main c', 'other b', 'main a']);
    expect(given).toEqual([[reads[1], reads[3]]]);
    // One statement on each data source: the carried reads rode on the statement, the others ran together elsewhere.
    expect(ran.get(main)).toHaveLength(1);
    expect(ran.get(main)![0]).toContain('COUNT(*)');
    expect(ran.get(other)).toHaveLength(1);
    expect(ran.get(other)![0]).not.toContain('COUNT(*)');
  });

  it('treats a transaction of the data source as the same database', async () => {
    const values = await main.transaction(async (manager) => {
      const reads = [valueOf(other, 'b'), { ...valueOf(main, 'a'), source: manager }] as const;
      return (await runWithScalarReads(manager, reads, statement)).values;
    });
    expect(values).toEqual(['other b', 'main a']);
    expect(ran.get(other)).toHaveLength(1);
  });

  it('fails when the statement fails', async () => {
    const failure = new Error('statement failed');
    await expect(runWithScalarReads(main, [valueOf(other, 'b')], () => Promise.reject(failure))).rejects.toBe(failure);
  });
});
