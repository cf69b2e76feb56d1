import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { Dialect } from '@nest-scim/persistence';
import { RESOLVED_MYSQL_URL_VARIABLE, testDialects } from '@nest-scim/persistence/testing';
import { FilterTargets, parseFilter } from '@nest-scim/scim';
import { compileFilter, CompileFilterOptions } from './filter-sql.compiler';
import {
  GROUP_CASES,
  GROUPS,
  groupTargets,
  TableNames,
  USER_CASES,
  USERS,
  userTargets,
} from './filter-database.fixture';
import { dateParameter } from '../scim-sql.util';

/**
 * The compiled filters run on each database the tests have (`testDialects()`: SQLite always, MySQL / MariaDB when the
 * run has a server, otherwise that pass shows as skipped), against the same rows and the same expected answers.
 */

/** The few things the spec asks of a database: run a statement with named parameters, and close. */
interface Engine {
  run(sql: string, params?: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

interface SqliteStatement {
  all(params?: Record<string, unknown>): Record<string, unknown>[];
  run(params?: Record<string, unknown>): unknown;
  reader: boolean;
}
interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

/** better-sqlite3 in memory; booleans are bound as 1 / 0, as TypeORM's SQLite driver binds them. */
async function openSqlite(): Promise<Engine> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- no type declarations are installed for better-sqlite3
  const Database = require('better-sqlite3') as new (file: string) => SqliteDatabase;
  const db = new Database(':memory:');
  const bind = (params: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v]));
  return {
    run: async (sql, params = {}) => {
      const statement = db.prepare(sql);
      if (statement.reader) return statement.all(bind(params));
      statement.run(bind(params));
      return [];
    },
    close: async () => db.close(),
  };
}

/** mysql2 with server-side prepared statements, so values travel apart from the SQL text; times in UTC. */
async function openMysql(): Promise<Engine> {
  const conn = await mysql.createConnection({
    uri: process.env[RESOLVED_MYSQL_URL_VARIABLE],
    namedPlaceholders: true,
    timezone: 'Z',
    connectTimeout: 2000,
  });
  // compileFilter binds only strings, numbers, booleans, null and Dates, all of which mysql2 can send.
  type Values = NonNullable<Parameters<mysql.Connection['execute']>[1]>;
  return {
    run: async (sql, params = {}) => {
      const [rows] = await conn.execute<mysql.RowDataPacket[]>(sql, params as Values);
      return Array.isArray(rows) ? rows : [];
    },
    close: () => conn.end(),
  };
}

/** The tables, per dialect: on MySQL case-exact columns get a binary collation, the rest a case-insensitive one. */
function createTables(dialect: Dialect, t: TableNames): string[] {
  if (dialect === 'sqlite') {
    return [
      `CREATE TABLE ${t.users} (
        id TEXT PRIMARY KEY, user_name TEXT NOT NULL, user_name_lower TEXT NOT NULL UNIQUE, external_id TEXT,
        display_name TEXT, given_name TEXT, title TEXT, active INTEGER NOT NULL, created TEXT NOT NULL,
        employee_number TEXT, manager_id TEXT, level INTEGER, score REAL, password_hash TEXT)`,
      `CREATE TABLE ${t.emails} (
        id INTEGER PRIMARY KEY, user_id TEXT NOT NULL REFERENCES ${t.users} (id), type TEXT, value TEXT,
        is_primary INTEGER NOT NULL)`,
      `CREATE TABLE ${t.groups} (id TEXT PRIMARY KEY, display_name TEXT NOT NULL)`,
      `CREATE TABLE ${t.members} (group_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (group_id, user_id))`,
    ];
  }
  const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
  return [
    `CREATE TABLE ${t.users} (
      id VARCHAR(36) COLLATE utf8mb4_bin PRIMARY KEY, user_name VARCHAR(255) NOT NULL,
      user_name_lower VARCHAR(255) NOT NULL UNIQUE, external_id VARCHAR(255) COLLATE utf8mb4_bin NULL,
      display_name VARCHAR(255) NULL, given_name VARCHAR(255) NULL, title VARCHAR(255) NULL,
      active TINYINT(1) NOT NULL, created DATETIME(3) NOT NULL, employee_number VARCHAR(64) COLLATE utf8mb4_bin NULL,
      manager_id VARCHAR(36) COLLATE utf8mb4_bin NULL, level INT NULL, score DECIMAL(10, 2) NULL,
      password_hash VARCHAR(255) NULL) ${table}`,
    `CREATE TABLE ${t.emails} (
      id INT AUTO_INCREMENT PRIMARY KEY, user_id VARCHAR(36) COLLATE utf8mb4_bin NOT NULL, type VARCHAR(32) NULL,
      value VARCHAR(255) NULL, is_primary TINYINT(1) NOT NULL) ${table}`,
    `CREATE TABLE ${t.groups} (
      id VARCHAR(36) COLLATE utf8mb4_bin PRIMARY KEY, display_name VARCHAR(255) NOT NULL) ${table}`,
    `CREATE TABLE ${t.members} (
      group_id VARCHAR(36) COLLATE utf8mb4_bin NOT NULL, user_id VARCHAR(36) COLLATE utf8mb4_bin NOT NULL,
      PRIMARY KEY (group_id, user_id)) ${table}`,
  ];
}

describe.each(testDialects())('compiled filters on %s', (dialect) => {
  // A MySQL run shares its server with other suites: the tables get names of their own.
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const TABLES: TableNames =
    dialect === 'sqlite'
      ? { users: 'users', emails: 'user_emails', groups: 'scim_groups', members: 'group_members' }
      : {
          users: `scimf_${suffix}_users`,
          emails: `scimf_${suffix}_emails`,
          groups: `scimf_${suffix}_groups`,
          members: `scimf_${suffix}_members`,
        };
  const users = userTargets(TABLES);
  const groups = groupTargets(TABLES);
  const formatDate = dateParameter(dialect);
  let db: Engine | undefined;

  beforeAll(async () => {
    db = dialect === 'sqlite' ? await openSqlite() : await openMysql();
    for (const statement of createTables(dialect, TABLES)) await db.run(statement);
    for (const u of USERS) {
      await db.run(
        `INSERT INTO ${TABLES.users} (id, user_name, user_name_lower, external_id, display_name, given_name, title,
           active, created, employee_number, manager_id, level, score)
         VALUES (:id, :userName, :lower, :externalId, :displayName, :givenName, :title, :active, :created,
           :employeeNumber, :managerId, :level, :score)`,
        {
          id: u.id,
          userName: u.userName,
          lower: u.userName.toLowerCase(),
          externalId: u.externalId,
          displayName: u.displayName,
          givenName: u.givenName,
          title: u.title,
          active: u.active,
          created: formatDate(new Date(u.created)),
          employeeNumber: u.employeeNumber,
          managerId: u.managerId,
          level: u.level,
          score: u.score,
        },
      );
      for (const e of u.emails) {
        await db.run(
          `INSERT INTO ${TABLES.emails} (user_id, type, value, is_primary) VALUES (:id, :type, :value, :primary)`,
          { id: u.id, ...e },
        );
      }
    }
    for (const g of GROUPS) {
      await db.run(`INSERT INTO ${TABLES.groups} (id, display_name) VALUES (:id, :name)`, {
        id: g.id,
        name: g.displayName,
      });
      for (const m of g.members) {
        await db.run(`INSERT INTO ${TABLES.members} (group_id, user_id) VALUES (:g, :u)`, { g: g.id, u: m });
      }
    }
  });

  afterAll(async () => {
    if (db === undefined) return; // the connection failed: beforeAll's error is the one to read
    if (dialect === 'mysql') await db.run(`DROP TABLE IF EXISTS ${Object.values(TABLES).join(', ')}`);
    await db.close();
  });

  function engine(): Engine {
    if (db === undefined) throw new Error('no database');
    return db;
  }

  async function ids(
    table: string,
    alias: string,
    targets: FilterTargets,
    filter: string,
    options: CompileFilterOptions = {},
  ): Promise<unknown[]> {
    const { where, params } = compileFilter(parseFilter(filter), targets, { formatDate, ...options });
    const sql = `SELECT ${alias}.id AS id FROM ${table} ${alias} WHERE ${where} ORDER BY ${alias}.id`;
    return (await engine().run(sql, params)).map((row) => String(row.id));
  }

  it.each(USER_CASES)('users: %s', async (filter, expected) => {
    expect(await ids(TABLES.users, 'u', users, filter)).toEqual(expected);
  });

  it.each(GROUP_CASES)('groups: %s', async (filter, expected) => {
    expect(await ids(TABLES.groups, 'g', groups, filter)).toEqual(expected);
  });

  it('left every table intact after the injection attempts', async () => {
    const count = async (table: string) => Number((await engine().run(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    expect(await count(TABLES.users)).toBe(USERS.length);
    expect(await count(TABLES.emails)).toBe(USERS.flatMap((u) => u.emails).length);
    expect(await count(TABLES.groups)).toBe(GROUPS.length);
  });

  it('runs two filters compiled with different prefixes in one query', async () => {
    const a = compileFilter(parseFilter('emails[type eq "work"]'), users, { paramPrefix: 'a' });
    const b = compileFilter(parseFilter('emails.value co "contoso" and active eq true'), users, { paramPrefix: 'b' });
    const rows = await engine().run(
      `SELECT u.id AS id FROM ${TABLES.users} u WHERE (${a.where}) AND (${b.where}) ORDER BY u.id`,
      { ...a.params, ...b.params },
    );
    expect(rows.map((r) => r.id)).toEqual(['u1', 'u4']);
  });

  it('runs the longest flat filters the default length allows', async () => {
    const longest = (clause: string, last: string) => {
      const clauses = [last];
      while ((clause + ' or ').length + clauses.join(' or ').length <= 4096) clauses.unshift(clause);
      return clauses.join(' or ');
    };
    const many = longest('id eq ""', 'id eq "u7"');
    expect(many.length).toBeGreaterThan(4080);
    expect(await ids(TABLES.users, 'u', users, many)).toEqual(['u7']);
    expect(await ids(TABLES.users, 'u', users, longest('id pr', 'id pr'))).toEqual(USERS.map((u) => u.id));
    expect(await ids(TABLES.users, 'u', users, longest('emails pr', 'id eq "u3"'))).toEqual([
      'u1',
      'u2',
      'u3',
      'u4',
      'u5',
    ]);
  });
});
