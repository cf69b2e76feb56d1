import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';
import { MIGRATION_LOCK_TABLE, runMigrationsExclusively } from './migration-lock';
import { createScratchDatabase, ScratchDatabase, testDialects } from './testing';

/** Two migrations that take a moment each, so that processes starting together overlap. */
class CreateFirst1700000000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'better-sqlite3') await q.query('SELECT SLEEP(0.3)');
    await q.query('CREATE TABLE probe_first (id INT PRIMARY KEY)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE probe_first');
  }
}
class CreateSecond1700000000002 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE probe_second (id INT PRIMARY KEY)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE probe_second');
  }
}

function open(db: ScratchDatabase): Promise<DataSource> {
  const options = buildDataSourceOptions(
    { url: db.url, sqlitePath: db.sqlitePath },
    { entities: [], migrations: () => [CreateFirst1700000000001, CreateSecond1700000000002] },
  );
  return new DataSource(options).initialize();
}

describe.each(testDialects())('runMigrationsExclusively (%s)', (dialect) => {
  let db: ScratchDatabase;
  const sources: DataSource[] = [];

  beforeEach(async () => {
    db = await createScratchDatabase(dialect);
  });
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => (s.isInitialized ? s.destroy() : undefined)));
    await db.drop();
  });

  it('applies pending migrations, and nothing the second time', async () => {
    const source = await open(db);
    sources.push(source);
    expect((await runMigrationsExclusively(source)).map((m) => m.name)).toEqual([
      'CreateFirst1700000000001',
      'CreateSecond1700000000002',
    ]);
    expect(await runMigrationsExclusively(source)).toEqual([]);
  });

  if (dialect !== 'mysql') return;

  it('three processes starting together apply each migration once, and leave no lock behind', async () => {
    for (let i = 0; i < 3; i++) sources.push(await open(db));
    const applied = await Promise.all(sources.map((s) => runMigrationsExclusively(s, { pollMs: 50 })));
    expect(applied.map((list) => list.length).sort()).toEqual([0, 0, 2]);
    expect(await sources[0].query('SELECT name FROM schema_migrations ORDER BY id')).toEqual([
      { name: 'CreateFirst1700000000001' },
      { name: 'CreateSecond1700000000002' },
    ]);
    expect(await sources[0].query(`SELECT * FROM ${MIGRATION_LOCK_TABLE}`)).toEqual([]);
  });

  it('waits while another holds the lock, and goes on once it is released', async () => {
    const holder = await open(db);
    const waiter = await open(db);
    sources.push(holder, waiter);
    await holder.query(
      `CREATE TABLE ${MIGRATION_LOCK_TABLE} (id tinyint unsigned NOT NULL PRIMARY KEY, owner varchar(100) NOT NULL,
         expires_at datetime(3) NOT NULL)`,
    );
    await holder.query(`INSERT INTO ${MIGRATION_LOCK_TABLE} VALUES (1, 'other', UTC_TIMESTAMP(3) + INTERVAL 1 HOUR)`);
    const lines: string[] = [];
    let done = false;
    const running = runMigrationsExclusively(waiter, { pollMs: 50, log: (l) => lines.push(l) }).finally(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(done).toBe(false);
    expect(lines).toEqual(['Waiting for the migrations run by other']);
    await holder.query(`DELETE FROM ${MIGRATION_LOCK_TABLE}`);
    expect(await running).toHaveLength(2);
  });

  it('takes over a lock whose lease ran out (its holder died)', async () => {
    const source = await open(db);
    sources.push(source);
    await source.query(
      `CREATE TABLE ${MIGRATION_LOCK_TABLE} (id tinyint unsigned NOT NULL PRIMARY KEY, owner varchar(100) NOT NULL,
         expires_at datetime(3) NOT NULL)`,
    );
    await source.query(`INSERT INTO ${MIGRATION_LOCK_TABLE} VALUES (1, 'dead', UTC_TIMESTAMP(3) - INTERVAL 1 SECOND)`);
    const lines: string[] = [];
    expect(await runMigrationsExclusively(source, { log: (l) => lines.push(l) })).toHaveLength(2);
    expect(lines).toEqual(['Took over the migration lock from a process whose lease ran out']);
  });

  it('gives up with a clear error after its timeout, and refuses nonsense options', async () => {
    const source = await open(db);
    sources.push(source);
    await expect(runMigrationsExclusively(source, { leaseSeconds: 0 })).rejects.toThrow(/leaseSeconds/);
    await source.query(
      `CREATE TABLE ${MIGRATION_LOCK_TABLE} (id tinyint unsigned NOT NULL PRIMARY KEY, owner varchar(100) NOT NULL,
         expires_at datetime(3) NOT NULL)`,
    );
    await source.query(`INSERT INTO ${MIGRATION_LOCK_TABLE} VALUES (1, 'slow', UTC_TIMESTAMP(3) + INTERVAL 1 HOUR)`);
    await expect(runMigrationsExclusively(source, { pollMs: 20, timeoutMs: 200 })).rejects.toThrow(
      /Timed out .* waiting for the migration lock \(slow\)/,
    );
  });
});
