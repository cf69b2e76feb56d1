import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { resolveDataSourceOptions, SchemaParts } from './data-source-options';
import type { Dialect } from './dialect';

/**
 * Test support shared by every database test: each runs on SQLite and, when a MySQL server is available, on MySQL.
 * `test/support/global-setup.ts` decides once per run whether MySQL is there and says so in one line.
 */
export const MYSQL_URL_VARIABLE = 'SCIM_TEST_MYSQL_URL';
/** Set by the global setup: the MySQL URL the tests use, or empty when the MySQL pass is skipped. */
export const RESOLVED_MYSQL_URL_VARIABLE = 'SCIM_TEST_MYSQL_URL_RESOLVED';

export function testDialects(): Dialect[] {
  return process.env[RESOLVED_MYSQL_URL_VARIABLE] ? ['sqlite', 'mysql'] : ['sqlite'];
}

/** A fresh, empty database of the dialect: a temporary SQLite file, or a new MySQL database dropped on `drop()`. */
export interface ScratchDatabase {
  dialect: Dialect;
  /** The settings to hand to `buildDataSourceOptions` (or to the server's configuration). */
  url?: string;
  sqlitePath: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(dialect: Dialect): Promise<ScratchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'scim-test-'));
  const sqlitePath = join(dir, 'test.sqlite');
  if (dialect === 'sqlite') {
    return { dialect, sqlitePath, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = process.env[RESOLVED_MYSQL_URL_VARIABLE];
  if (!base) throw new Error('MySQL tests were asked for, but no MySQL server is available');
  const name = `scim_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new DataSource({ type: 'mysql', url: base });
  await admin.initialize();
  // Binary collation: exact comparisons, as on SQLite; case-insensitive matching uses normalised columns instead.
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.destroy();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    sqlitePath,
    drop: async () => {
      const dropper = new DataSource({ type: 'mysql', url: base });
      await dropper.initialize();
      await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await dropper.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A connected DataSource over a scratch database, for a lib's own database tests. `synchronize` builds the schema
 * straight from the entities given, so a lib can test its repositories alone; the server's tests use migrations.
 */
export async function openScratchDataSource(
  dialect: Dialect,
  entities: SchemaParts['entities'],
): Promise<{ dataSource: DataSource; close(): Promise<void> }> {
  const db = await createScratchDatabase(dialect);
  const options = {
    ...(await resolveDataSourceOptions({ url: db.url, sqlitePath: db.sqlitePath }, { entities, migrations: () => [] })),
    synchronize: true,
  } as DataSourceOptions;
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  return {
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    },
  };
}
