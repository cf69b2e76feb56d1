import { compileFilter, CompileFilterOptions } from './filter.compiler';
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

interface Statement {
  all(params?: Record<string, unknown>): Record<string, unknown>[];
  run(...params: unknown[]): unknown;
}
interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): Statement;
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- no type declarations are installed for better-sqlite3
const Database = require('better-sqlite3') as new (file: string) => SqliteDatabase;

const TABLES: TableNames = { users: 'users', emails: 'user_emails', groups: 'scim_groups', members: 'group_members' };

/** How TypeORM stores dates on SQLite: UTC text that sorts as it compares. */
const sqliteDate = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '');

/** SQLite has no boolean type; TypeORM's SQLite driver binds booleans as 1 / 0, and so does this harness. */
function sqliteParams(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v]));
}

describe('compiled filters on SQLite (better-sqlite3, in memory)', () => {
  let db: SqliteDatabase;
  const users = userTargets(TABLES);
  const groups = groupTargets(TABLES);

  beforeAll(() => {
    db = new Database(':memory:');
    db.exec(`
      CREATE TABLE users (
        id TEXT PRIMARY KEY, user_name TEXT NOT NULL, user_name_lower TEXT NOT NULL UNIQUE, external_id TEXT,
        display_name TEXT, given_name TEXT, title TEXT, active INTEGER NOT NULL, created TEXT NOT NULL,
        employee_number TEXT, manager_id TEXT, level INTEGER, score REAL, password_hash TEXT);
      CREATE TABLE user_emails (
        id INTEGER PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users (id), type TEXT, value TEXT,
        is_primary INTEGER NOT NULL);
      CREATE TABLE scim_groups (id TEXT PRIMARY KEY, display_name TEXT NOT NULL);
      CREATE TABLE group_members (group_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (group_id, user_id));
    `);
    const insertUser = db.prepare(
      `INSERT INTO users (id, user_name, user_name_lower, external_id, display_name, given_name, title, active, created,
         employee_number, manager_id, level, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertEmail = db.prepare('INSERT INTO user_emails (user_id, type, value, is_primary) VALUES (?, ?, ?, ?)');
    for (const u of USERS) {
      insertUser.run(
        u.id,
        u.userName,
        u.userName.toLowerCase(),
        u.externalId,
        u.displayName,
        u.givenName,
        u.title,
        Number(u.active),
        sqliteDate(new Date(u.created)),
        u.employeeNumber,
        u.managerId,
        u.level,
        u.score,
      );
      for (const e of u.emails) insertEmail.run(u.id, e.type, e.value, Number(e.primary));
    }
    for (const g of GROUPS) {
      db.prepare('INSERT INTO scim_groups (id, display_name) VALUES (?, ?)').run(g.id, g.displayName);
      for (const m of g.members) db.prepare('INSERT INTO group_members (group_id, user_id) VALUES (?, ?)').run(g.id, m);
    }
  });

  afterAll(() => db.close());

  function ids(
    table: string,
    alias: string,
    targets: FilterTargets,
    filter: string,
    options: CompileFilterOptions = {},
  ) {
    const { where, params } = compileFilter(parseFilter(filter), targets, { formatDate: sqliteDate, ...options });
    const sql = `SELECT ${alias}.id AS id FROM ${table} ${alias} WHERE ${where} ORDER BY ${alias}.id`;
    return db
      .prepare(sql)
      .all(sqliteParams(params))
      .map((row) => row.id);
  }

  it.each(USER_CASES)('users: %s', (filter, expected) => {
    expect(ids(TABLES.users, 'u', users, filter)).toEqual(expected);
  });

  it.each(GROUP_CASES)('groups: %s', (filter, expected) => {
    expect(ids(TABLES.groups, 'g', groups, filter)).toEqual(expected);
  });

  it('left every table intact after the injection attempts', () => {
    const count = (table: string) => db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).all()[0].n;
    expect(count(TABLES.users)).toBe(USERS.length);
    expect(count(TABLES.emails)).toBe(USERS.flatMap((u) => u.emails).length);
    expect(count(TABLES.groups)).toBe(GROUPS.length);
  });

  it('runs two filters compiled with different prefixes in one query', () => {
    const a = compileFilter(parseFilter('emails[type eq "work"]'), users, { paramPrefix: 'a' });
    const b = compileFilter(parseFilter('emails.value co "contoso" and active eq true'), users, { paramPrefix: 'b' });
    const rows = db
      .prepare(`SELECT u.id AS id FROM users u WHERE (${a.where}) AND (${b.where}) ORDER BY u.id`)
      .all(sqliteParams({ ...a.params, ...b.params }));
    expect(rows.map((r) => r.id)).toEqual(['u1', 'u4']);
  });

  it('runs the longest flat filters the default length allows', () => {
    const longest = (clause: string, last: string) => {
      const clauses = [last];
      while ((clause + ' or ').length + clauses.join(' or ').length <= 4096) clauses.unshift(clause);
      return clauses.join(' or ');
    };
    const many = longest('id eq ""', 'id eq "u7"');
    expect(many.length).toBeGreaterThan(4080);
    expect(ids(TABLES.users, 'u', users, many)).toEqual(['u7']);
    expect(ids(TABLES.users, 'u', users, longest('id pr', 'id pr'))).toEqual(USERS.map((u) => u.id));
    expect(ids(TABLES.users, 'u', users, longest('emails pr', 'id eq "u3"'))).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
  });
});
