import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  buildDataSourceOptions,
  DatabaseSettingsError,
  resolveDataSourceOptions,
  SchemaParts,
} from './data-source-options';
import { RESOLVED_MYSQL_URL_VARIABLE, testDialects } from './testing';

const parts: SchemaParts = { entities: [], migrations: () => [] };

describe('database settings: a host is told at start which option is wrong, and nothing is written', () => {
  let cwd: string;
  let previous: string;
  beforeEach(() => {
    previous = process.cwd();
    cwd = mkdtempSync(join(tmpdir(), 'scim-settings-'));
    process.chdir(cwd);
  });
  afterEach(() => {
    process.chdir(previous);
    rmSync(cwd, { recursive: true, force: true });
  });

  it('refuses a missing URL instead of falling back to an SQLite file, naming the option', () => {
    for (const url of [undefined, '', '  ']) {
      expect(() => buildDataSourceOptions({ url, option: 'SCIM_DATABASE_URL' }, parts)).toThrow(
        new DatabaseSettingsError(
          'SCIM_DATABASE_URL is not set: give the database as mysql://user:password@host:3306/database',
        ),
      );
    }
    expect(readdirSync(cwd)).toEqual([]);
  });

  it.each([
    ['not a URL', 'SCIM_DATABASE_URL is not a URL'],
    ['postgres://u:secret@db/scim', 'SCIM_DATABASE_URL must start with mysql:// or mariadb:// (got postgres://…)'],
    ['mysql://u:secret@db:3306', 'SCIM_DATABASE_URL names no database'],
    ['mysql://u:secret@db:3306/', 'SCIM_DATABASE_URL names no database'],
  ])('refuses the malformed URL %s in one line naming the option, never its password', (url, message) => {
    let error: Error | undefined;
    try {
      buildDataSourceOptions({ url, option: 'SCIM_DATABASE_URL' }, parts);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(DatabaseSettingsError);
    expect(error!.message.startsWith(message)).toBe(true);
    expect(error!.message).not.toMatch(/secret|\n/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('names `url` when the host did not name its option', () => {
    expect(() => buildDataSourceOptions({}, parts)).toThrow(/^url is not set/);
  });

  it('writes nothing for a MySQL URL, and creates the SQLite folder only when a file was asked for', () => {
    buildDataSourceOptions({ url: 'mysql://u@db:3306/scim' }, parts);
    expect(readdirSync(cwd)).toEqual([]);
    const options = buildDataSourceOptions({ sqlitePath: 'state/scim.sqlite' }, parts);
    expect(options.type).toBe('better-sqlite3');
    expect(existsSync(join(cwd, 'state'))).toBe(true);
  });

  it('opens an SQLite file in WAL mode with foreign keys on and a 2 MB page cache', async () => {
    const dataSource = new DataSource(buildDataSourceOptions({ sqlitePath: 'state/scim.sqlite' }, parts));
    await dataSource.initialize();
    try {
      const pragma = async (name: string) =>
        Object.values(((await dataSource.query(`PRAGMA ${name}`)) as Record<string, unknown>[])[0])[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('cache_size')).toBe(-2000);
    } finally {
      await dataSource.destroy();
    }
  });

  it('fails fast on an unreachable server, in one line naming the option and without the password', async () => {
    const started = Date.now();
    const failure = resolveDataSourceOptions({ url: 'mysql://u:secret@127.0.0.1:1/scim', option: 'SCIM_DB' }, parts);
    await expect(failure).rejects.toThrow(
      new DatabaseSettingsError('SCIM_DB: cannot use mysql://u:***@127.0.0.1:1/scim: no answer (ECONNREFUSED)'),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 15_000);

  describe.each(testDialects().filter((d) => d === 'mysql'))('on a real server (%s)', () => {
    it('says that the database does not exist, at once', async () => {
      const url = new URL(process.env[RESOLVED_MYSQL_URL_VARIABLE]!);
      url.pathname = '/scim_no_such_database';
      const started = Date.now();
      await expect(resolveDataSourceOptions({ url: url.toString(), option: 'SCIM_DB' }, parts)).rejects.toThrow(
        /^SCIM_DB: cannot use mysql:\/\/.*\/scim_no_such_database: the database scim_no_such_database does not exist \(create it first\)$/,
      );
      expect(Date.now() - started).toBeLessThan(2_000);
    });
  });
});
