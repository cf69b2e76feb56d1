import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { RESOLVED_MYSQL_URL_VARIABLE, testDialects } from '@nest-scim/persistence/testing';
import { compileFilter } from './filter.compiler';
import {
  GROUP_CASES,
  GROUPS,
  groupTargets,
  TableNames,
  USER_CASES,
  USERS,
  userTargets,
} from './filter-database.fixture';
import { parseFilter } from './filter.parser';
import type { FilterTargets } from './filter.targets';

/** compileFilter binds only strings, numbers, booleans, null and Dates, all of which mysql2 can send. */
type Values = NonNullable<Parameters<mysql.Connection['execute']>[1]>;
const values = (params: Record<string, unknown>) => params as Values;

/** The test run's MySQL pass decides (test/support/global-setup.ts): without a server these tests show as skipped. */
const describeOnMysql = testDialects().includes('mysql') ? describe : describe.skip;

const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const TABLES: TableNames = {
  users: `scimf_${suffix}_users`,
  emails: `scimf_${suffix}_emails`,
  groups: `scimf_${suffix}_groups`,
  members: `scimf_${suffix}_members`,
};

describeOnMysql('compiled filters on MySQL / MariaDB (mysql2)', () => {
  let conn: mysql.Connection;
  const users = userTargets(TABLES);
  const groups = groupTargets(TABLES);

  beforeAll(async () => {
    // timezone 'Z': Date parameters and DATETIME columns both in UTC, as the SQLite variant stores them.
    conn = await mysql.createConnection({
      uri: process.env[RESOLVED_MYSQL_URL_VARIABLE],
      namedPlaceholders: true,
      timezone: 'Z',
      connectTimeout: 2000,
    });
    // Case-exact columns get a binary collation; the rest keep the usual case-insensitive one.
    const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await conn.query(`CREATE TABLE ${TABLES.users} (
      id VARCHAR(36) COLLATE utf8mb4_bin PRIMARY KEY, user_name VARCHAR(255) NOT NULL,
      user_name_lower VARCHAR(255) NOT NULL UNIQUE, external_id VARCHAR(255) COLLATE utf8mb4_bin NULL,
      display_name VARCHAR(255) NULL, given_name VARCHAR(255) NULL, title VARCHAR(255) NULL,
      active TINYINT(1) NOT NULL, created DATETIME(3) NOT NULL, employee_number VARCHAR(64) COLLATE utf8mb4_bin NULL,
      manager_id VARCHAR(36) COLLATE utf8mb4_bin NULL, level INT NULL, score DECIMAL(10, 2) NULL,
      password_hash VARCHAR(255) NULL) ${table}`);
    await conn.query(`CREATE TABLE ${TABLES.emails} (
      id INT AUTO_INCREMENT PRIMARY KEY, user_id VARCHAR(36) COLLATE utf8mb4_bin NOT NULL, type VARCHAR(32) NULL,
      value VARCHAR(255) NULL, is_primary TINYINT(1) NOT NULL) ${table}`);
    await conn.query(`CREATE TABLE ${TABLES.groups} (
      id VARCHAR(36) COLLATE utf8mb4_bin PRIMARY KEY, display_name VARCHAR(255) NOT NULL) ${table}`);
    await conn.query(`CREATE TABLE ${TABLES.members} (
      group_id VARCHAR(36) COLLATE utf8mb4_bin NOT NULL, user_id VARCHAR(36) COLLATE utf8mb4_bin NOT NULL,
      PRIMARY KEY (group_id, user_id)) ${table}`);
    for (const u of USERS) {
      await conn.execute(
        `INSERT INTO ${TABLES.users} (id, user_name, user_name_lower, external_id, display_name, given_name, title,
           active, created, employee_number, manager_id, level, score)
         VALUES (:id, :userName, :lower, :externalId, :displayName, :givenName, :title, :active, :created,
           :employeeNumber, :managerId, :level, :score)`,
        values({ ...u, lower: u.userName.toLowerCase(), created: new Date(u.created), emails: null }),
      );
      for (const e of u.emails) {
        await conn.execute(
          `INSERT INTO ${TABLES.emails} (user_id, type, value, is_primary) VALUES (:id, :type, :value, :primary)`,
          { id: u.id, ...e },
        );
      }
    }
    for (const g of GROUPS) {
      await conn.execute(`INSERT INTO ${TABLES.groups} (id, display_name) VALUES (:id, :name)`, {
        id: g.id,
        name: g.displayName,
      });
      for (const m of g.members) {
        await conn.execute(`INSERT INTO ${TABLES.members} (group_id, user_id) VALUES (:g, :u)`, { g: g.id, u: m });
      }
    }
  });

  afterAll(async () => {
    if (!conn) return; // the connection failed: beforeAll's error is the one to read
    await conn.query(`DROP TABLE IF EXISTS ${Object.values(TABLES).join(', ')}`);
    await conn.end();
  });

  async function ids(table: string, alias: string, targets: FilterTargets, filter: string): Promise<string[]> {
    const { where, params } = compileFilter(parseFilter(filter), targets);
    const sql = `SELECT ${alias}.id AS id FROM ${table} ${alias} WHERE ${where} ORDER BY ${alias}.id`;
    // execute: a server-side prepared statement, so values travel apart from the SQL text.
    const [rows] = await conn.execute<mysql.RowDataPacket[]>(sql, values(params));
    return rows.map((row) => String(row.id));
  }

  it.each(USER_CASES)('users: %s', async (filter, expected) => {
    expect(await ids(TABLES.users, 'u', users, filter)).toEqual(expected);
  });

  it.each(GROUP_CASES)('groups: %s', async (filter, expected) => {
    expect(await ids(TABLES.groups, 'g', groups, filter)).toEqual(expected);
  });

  it('left every table intact after the injection attempts', async () => {
    const count = async (table: string) => {
      const [rows] = await conn.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`);
      return Number(rows[0].n);
    };
    expect(await count(TABLES.users)).toBe(USERS.length);
    expect(await count(TABLES.emails)).toBe(USERS.flatMap((u) => u.emails).length);
    expect(await count(TABLES.groups)).toBe(GROUPS.length);
  });

  it('runs two filters compiled with different prefixes in one query', async () => {
    const a = compileFilter(parseFilter('emails[type eq "work"]'), users, { paramPrefix: 'a' });
    const b = compileFilter(parseFilter('emails.value co "contoso" and active eq true'), users, { paramPrefix: 'b' });
    const [rows] = await conn.execute<mysql.RowDataPacket[]>(
      `SELECT u.id AS id FROM ${TABLES.users} u WHERE (${a.where}) AND (${b.where}) ORDER BY u.id`,
      values({ ...a.params, ...b.params }),
    );
    expect(rows.map((r) => r.id)).toEqual(['u1', 'u4']);
  });

  it('runs the longest flat filter the default length allows', async () => {
    const clauses = ['id eq "u7"'];
    while ('id eq "" or '.length + clauses.join(' or ').length <= 4096) clauses.unshift('id eq ""');
    expect(await ids(TABLES.users, 'u', users, clauses.join(' or '))).toEqual(['u7']);
  });
});
