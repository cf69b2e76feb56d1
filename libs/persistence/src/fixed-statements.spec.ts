import {
  Column,
  CreateDateColumn,
  DataSource,
  DataSourceOptions,
  Entity,
  PrimaryColumn,
  QueryFailedError,
} from 'typeorm';
import { driverErrorCode, isDatabaseUnavailable, isUniqueViolation } from './driver-errors';
import { insertRows, persistentValue, runFixedStatement, selectEntities } from './fixed-statements';
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

/** Columns of every kind a fixed statement reads back. */
@Entity('fixed_kinds')
class Kinds {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  text!: string | null;

  @Column({ type: 'text', nullable: true })
  long!: string | null;

  @Column({ type: 'boolean', nullable: true })
  flag!: boolean | null;

  @Column({ type: 'int', nullable: true })
  count!: number | null;

  @Column({ type: 'bigint', nullable: true })
  big!: string | number | null;

  @Column({ type: 'decimal', precision: 12, scale: 3, nullable: true })
  amount!: string | number | null;

  @TimestampColumn({ name: 'at', nullable: true })
  at!: Date | null;
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
    ({ dataSource, close } = await openScratchDataSource(dialect, [Probe, DatedProbe, Kinds]));
    (dataSource.subscribers as unknown[]).push({
      afterQuery: (event: { query: string }) => statements.push(event.query),
    });
  });
  afterAll(() => close());
  beforeEach(async () => {
    await dataSource.getRepository(Probe).clear();
    await dataSource.getRepository(DatedProbe).clear();
    await dataSource.getRepository(Kinds).clear();
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

  it("puts a comment before the INSERT on both paths, its own and TypeORM's, to tell its statements apart", async () => {
    const inserts = () => statements.filter((sql) => /INSERT/i.test(sql));
    await insertRows(dataSource.manager, Probe, [{ id: 'noted', name: 'N', seenAt: AT }], { comment: 'probe-note' });
    await insertRows(dataSource.manager, Probe, [{ id: 'plain', name: 'P', seenAt: AT }]);
    await insertRows(dataSource.manager, DatedProbe, [{ id: 'dated-noted' }], { comment: 'probe-note' });
    expect(inserts()).toHaveLength(3);
    expect(inserts()[0]).toMatch(/^\/\* probe-note \*\/ INSERT INTO/);
    expect(inserts()[1]).toMatch(/^INSERT INTO/);
    expect(inserts()[2]).toMatch(/^\/\* probe-note \*\/ INSERT INTO/);
    expect(await dataSource.getRepository(Probe).count()).toBe(2);
    expect(await dataSource.getRepository(DatedProbe).count()).toBe(1);
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

  describe('runFixedStatement', () => {
    const table = () => dataSource.driver.escape('fixed_kinds');
    const SMILE = 'Zoë 😀 日本';

    async function seedKinds(): Promise<void> {
      await dataSource.query(
        `INSERT INTO ${table()} (id, text, ${dataSource.driver.escape('long')}, flag, ${dataSource.driver.escape('count')}, big, amount, at) ` +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?)',
        [
          ...['full', SMILE, 'x'.repeat(5000), 1, -7, '9007199254740993', '12.345'],
          persistentValue(dataSource.manager, Kinds, 'at', AT),
          ...['empty', null, null, null, null, null, null, null],
        ],
      );
    }

    /** The same statement through `query` and `runFixedStatement`: equal answers. */
    async function same(sql: string, parameters: unknown[]): Promise<unknown> {
      const expected: unknown = await dataSource.query(sql, parameters);
      const fixed = await runFixedStatement(dataSource, sql, parameters);
      expect(fixed).toEqual(expected);
      return fixed;
    }

    it('answers what query answers: NULLs, dates, booleans, big integers, decimals, utf8mb4 text, expressions', async () => {
      await seedKinds();
      const rows = (await same(
        `SELECT k.*, (SELECT COUNT(*) FROM ${table()}) AS total, CASE WHEN k.flag = 1 THEN 1 ELSE 0 END AS on_flag, ` +
          `(SELECT at FROM ${table()} WHERE id = ?) AS sub_at FROM ${table()} k ORDER BY k.id LIMIT ? OFFSET ?`,
        ['full', 10, 0],
      )) as Record<string, unknown>[];
      expect(rows.map((row) => row.id)).toEqual(['empty', 'full']);
      expect(rows[1]).toMatchObject({ text: SMILE, total: 2, on_flag: 1 });
      expect(rows[0]).toMatchObject({ text: null, flag: null, big: null, at: null, on_flag: 0 });
      if (dialect === 'mysql') {
        expect(rows[1].at).toEqual(AT);
        expect(rows[1].sub_at).toEqual(AT);
        // Beyond 2^53 a BIGINT comes back as its exact text, as with the text protocol.
        expect(rows[1].big).toBe('9007199254740993');
      }
    });

    it('binds strings, numbers, booleans, dates and NULL as query does', async () => {
      await seedKinds();
      const at = persistentValue(dataSource.manager, Kinds, 'at', AT);
      for (const [where, value] of [
        ['text = ?', SMILE],
        [`${dataSource.driver.escape('count')} = ?`, -7],
        ['flag = ?', true],
        ['flag = ?', false],
        ['at = ?', at],
        ['at < ?', at],
        ['(text = ? OR text IS NULL)', null],
      ] as const) {
        await same(`SELECT id FROM ${table()} WHERE ${where} ORDER BY id`, [value]);
      }
      // What the binary protocol would not send as the text protocol writes it (a list, undefined) runs as text.
      if (dialect === 'mysql') {
        expect(await same(`SELECT id FROM ${table()} WHERE id IN (?) ORDER BY id`, [['full', 'empty']])).toEqual([
          { id: 'empty' },
          { id: 'full' },
        ]);
        await same(`SELECT id FROM ${table()} WHERE text <=> ?`, [undefined]);
      }
    });

    it('writes, answers the result header, and fails a duplicate key with the same error as query', async () => {
      const insert = `INSERT INTO ${table()} (id, text) VALUES (?, ?)`;
      const header = (await runFixedStatement(dataSource, insert, ['dup', SMILE])) as { affectedRows?: number };
      const expected = (await dataSource.query(insert, ['dup2', SMILE])) as { affectedRows?: number };
      expect(header.affectedRows).toBe(expected.affectedRows);
      const fixed = await runFixedStatement(dataSource, insert, ['dup', 'again']).catch((error: unknown) => error);
      const typeorm = await dataSource.query(insert, ['dup', 'again']).catch((error: unknown) => error);
      expect(fixed).toBeInstanceOf(QueryFailedError);
      expect(isUniqueViolation(fixed)).toBe(true);
      expect(driverErrorCode(fixed)).toBe(driverErrorCode(typeorm));
      const wrong = await runFixedStatement(dataSource, 'SELECT FROM nowhere', []).catch((error: unknown) => error);
      expect(wrong).toBeInstanceOf(QueryFailedError);
      expect(driverErrorCode(wrong)).toBe(
        driverErrorCode(await dataSource.query('SELECT FROM nowhere').catch((error: unknown) => error)),
      );
    });

    it('runs in the transaction of the manager it is given, and is seen by afterQuery subscribers', async () => {
      await dataSource
        .transaction(async (m) => {
          await m.query(`INSERT INTO ${table()} (id) VALUES (?)`, ['uncommitted']);
          expect(await runFixedStatement(m, `SELECT id FROM ${table()} WHERE id = ?`, ['uncommitted'])).toEqual([
            { id: 'uncommitted' },
          ]);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      expect(await runFixedStatement(dataSource, `SELECT id FROM ${table()}`, [])).toEqual([]);
      expect(statements).toContain(`SELECT id FROM ${table()} WHERE id = ?`);
    });

    if (dialect === 'mysql') {
      it('is a server-side prepared statement on MySQL, prepared once per connection', async () => {
        await dataSource.transaction(async (m) => {
          const status = async () => {
            const rows = (await m.query(
              "SHOW SESSION STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_execute')",
            )) as { Variable_name: string; Value: string }[];
            return Object.fromEntries(rows.map((row) => [row.Variable_name, Number(row.Value)]));
          };
          const sql = `SELECT id FROM ${table()} WHERE id = ? /* prepared once */`;
          const before = await status();
          await runFixedStatement(m, sql, ['a']);
          await runFixedStatement(m, sql, ['b']);
          const after = await status();
          expect(after.Com_stmt_prepare - before.Com_stmt_prepare).toBe(1);
          expect(after.Com_stmt_execute - before.Com_stmt_execute).toBe(2);
        });
      });

      it('runs a statement as text when the server will not prepare it, with the pooled connection back first', async () => {
        const single = new DataSource({
          ...dataSource.options,
          entities: [],
          synchronize: false,
          extra: { connectionLimit: 1 },
        } as DataSourceOptions);
        await single.initialize();
        try {
          type Connection = { execute(options: unknown, values: unknown[], callback: (error: unknown) => void): void };
          type Pool = { getConnection(callback: (error: unknown, connection: Connection) => void): void };
          const pool = (single.driver as unknown as { pool: Pool }).pool;
          const getConnection = pool.getConnection.bind(pool);
          let refused = 0;
          // As a server at its max_prepared_stmt_count answers a prepare.
          pool.getConnection = (callback) =>
            getConnection((error, connection) => {
              connection.execute = (_options, _values, answer) => {
                refused++;
                answer(
                  Object.assign(new Error('Too many prepared statements'), {
                    code: 'ER_MAX_PREPARED_STMT_COUNT_REACHED',
                  }),
                );
              };
              callback(error, connection);
            });
          expect(await runFixedStatement(single, 'SELECT ? AS one', [1])).toEqual([{ one: 1 }]);
          expect(refused).toBe(1);
        } finally {
          await single.destroy();
        }
      });

      it('drops a connection whose statement ran out of time, so the next statement does not wait behind it', async () => {
        const limited = new DataSource({
          ...dataSource.options,
          entities: [],
          synchronize: false,
          maxQueryExecutionTime: 300,
          extra: { connectionLimit: 1 },
        } as DataSourceOptions);
        await limited.initialize();
        try {
          const error = await runFixedStatement(limited, 'SELECT SLEEP(?) AS s', [2]).catch((e: unknown) => e);
          expect(isDatabaseUnavailable(error)).toBe(true);
          const started = Date.now();
          expect(await runFixedStatement(limited, 'SELECT ? AS one', [1])).toEqual([{ one: 1 }]);
          expect(Date.now() - started).toBeLessThan(1000);
        } finally {
          await limited.destroy();
        }
      });
    }
  });
});
