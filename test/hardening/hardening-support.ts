import type { Response, Test } from 'supertest';
import type { DataSource } from 'typeorm';
import type { Dialect } from '@nest-scim/persistence';
import { SCIM, SCIM_JSON, startScimServer, ScimStartOptions, ScimTestServer } from '../support/scim-harness';
import { recordStatements, RecordedStatement } from '../support/sql-statements';

/** The URNs the hardening tests write by hand. */
export const URN = {
  USER: 'urn:ietf:params:scim:schemas:core:2.0:User',
  GROUP: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  ENTERPRISE: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  PATCH_OP: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  LIST: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  ERROR: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

/**
 * A server for the security cases. Every request of a test run comes from 127.0.0.1, so the failed-authentication
 * throttle is set out of reach unless a test is about it (auth-throttle.e2e-spec.ts).
 */
export function startHardenedServer(dialect: Dialect, options: ScimStartOptions = {}): Promise<ScimTestServer> {
  return startScimServer(dialect, {
    ...options,
    env: { AUTH_MAX_FAILURES_PER_ADDRESS: '100000', ...options.env },
  });
}

/** An RFC 7644 §3.12 error in application/scim+json: schemas, status as a string, scimType when expected, a detail. */
export function expectScimError(res: Response, status: number, scimType?: string | string[]): void {
  expect({ status: res.status, schemas: res.body?.schemas, bodyStatus: res.body?.status }).toEqual({
    status,
    schemas: [URN.ERROR],
    bodyStatus: String(status),
  });
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  expect(typeof res.body.detail).toBe('string');
  if (scimType === undefined) return;
  if (Array.isArray(scimType)) expect(scimType).toContain(res.body.scimType);
  else expect(res.body.scimType).toBe(scimType);
}

/** True for an answer that is a SCIM error body of a 4xx status. */
export function isScimClientError(res: Response): boolean {
  return (
    res.status >= 400 &&
    res.status < 500 &&
    /^application\/scim\+json/.test(String(res.headers['content-type'])) &&
    Array.isArray(res.body?.schemas) &&
    res.body.schemas[0] === URN.ERROR &&
    res.body.status === String(res.status)
  );
}

/**
 * The tables whose rows a refused request must leave as they were: identity,
 * credentials, license, SAML and mode settings, and the SCIM side. Left out: the audit trail (a record of an attempt
 * is allowed), the failed-authentication counters (counting failures is their job), and `last_connection_date`, which
 * moves with each authenticated request.
 */
const SNAPSHOT_TABLES: Record<string, string> = {
  users: 'id',
  user_groups: 'id',
  group_members: 'group_id, user_id',
  user_permissions: 'user_id, permission',
  group_permissions: 'group_id, permission',
  user_tokens: 'id',
  user_sessions: 'id',
  user_passwords: 'user_id',
  installed_license: 'slot',
  saml_settings: 'setting_key',
  internal_properties: 'property_key',
  scim_users: 'scim_id',
  scim_user_profiles: 'user_id',
  scim_user_emails: 'user_id, position',
  scim_groups: 'scim_id',
  scim_group_profiles: 'group_id',
};

export type Snapshot = Record<string, Record<string, unknown>[]>;

export async function snapshot(dataSource: DataSource): Promise<Snapshot> {
  const result: Snapshot = {};
  for (const [table, order] of Object.entries(SNAPSHOT_TABLES)) {
    const rows: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM ${table} ORDER BY ${order}`);
    result[table] = rows.map((row) => {
      const copy = { ...row };
      delete copy.last_connection_date;
      return copy;
    });
  }
  return result;
}

/** Runs `work` and asserts that no snapshot table changed. */
export async function expectNothingChanged<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  const before = await snapshot(dataSource);
  const result = await work();
  expect(await snapshot(dataSource)).toEqual(before);
  return result;
}

export function filterQuery(filter: string, extra = ''): string {
  return `filter=${encodeURIComponent(filter)}${extra ? `&${extra}` : ''}`;
}

export function patchOps(...operations: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: [URN.PATCH_OP], Operations: operations };
}

export function userBody(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [URN.USER], userName, active: true, ...extra };
}

export async function createUser(
  s: ScimTestServer,
  userName: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; [key: string]: unknown }> {
  const res = await s.post('/Users', userBody(userName, extra));
  if (res.status !== 201) throw new Error(`creating ${userName}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createGroup(
  s: ScimTestServer,
  displayName: string,
  memberIds: string[] = [],
): Promise<{ id: string }> {
  const res = await s.post('/Groups', {
    schemas: [URN.GROUP],
    displayName,
    members: memberIds.map((value) => ({ value })),
  });
  if (res.status !== 201) throw new Error(`creating group ${displayName}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A request with the admin token and a body sent exactly as given. */
export function rawRequest(
  s: ScimTestServer,
  method: 'post' | 'put' | 'patch',
  path: string,
  body: string | Buffer,
  contentType: string = SCIM_JSON,
): Test {
  return s
    .http()
    [method](SCIM + path)
    .set('Authorization', `Bearer ${s.token}`)
    .set('Content-Type', contentType)
    .send(body);
}

/** SCIM ids of the members of a group, sorted, read from the database. */
export async function memberScimIds(dataSource: DataSource, groupScimId: string): Promise<string[]> {
  const rows: { scim_id: string }[] = await dataSource.query(
    `SELECT su.scim_id AS scim_id FROM scim_groups sg
       JOIN group_members gm ON gm.group_id = sg.group_id
       JOIN scim_users su ON su.user_id = gm.user_id
     WHERE sg.scim_id = ? ORDER BY su.scim_id`,
    [groupScimId],
  );
  return rows.map((r) => r.scim_id);
}

/** The internal user id behind a SCIM id. */
export async function internalUserId(dataSource: DataSource, scimId: string): Promise<string> {
  const rows: { user_id: string }[] = await dataSource.query('SELECT user_id FROM scim_users WHERE scim_id = ?', [
    scimId,
  ]);
  if (!rows[0]) throw new Error(`no SCIM user ${scimId}`);
  return rows[0].user_id;
}

export async function count(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await dataSource.query(`SELECT COUNT(*) AS n FROM ${sql}`, params);
  return Number(row.n);
}

export { SCIM, SCIM_JSON };
export type { ScimTestServer };

/** The port the in-process server listens on, opening it on first use (large bodies go through plain `http`). */
async function portOf(s: ScimTestServer): Promise<number> {
  const server = s.app.getHttpServer() as import('node:http').Server;
  if (!server.listening) await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return (server.address() as import('node:net').AddressInfo).port;
}

export interface RawAnswer {
  status: number;
  headers: import('node:http').IncomingHttpHeaders;
  text: string;
  body: any;
}

/**
 * A request through Node's own client: superagent slows to a crawl on multi-megabyte bodies, and a test of the body
 * limit must measure the server, not the client.
 */
export async function sendRaw(
  s: ScimTestServer,
  method: string,
  path: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const { request } = await import('node:http');
  const port = await portOf(s);
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: SCIM + path,
        headers: {
          Authorization: `Bearer ${s.token}`,
          'Content-Type': SCIM_JSON,
          'Content-Length': String(payload.length),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
        });
      },
    );
    // The server may answer 413 and close before reading everything it was sent.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    req.end(payload);
  });
}

/** The SQL statements the data source ran while `work` ran (see recordStatements), and their texts. */
export async function statementsDuring<T>(
  dataSource: DataSource,
  work: () => Promise<T>,
): Promise<{ result: T; sql: string[]; statements: RecordedStatement[] }> {
  const { result, statements } = await recordStatements(dataSource, work);
  return { result, sql: statements.map((s) => s.sql), statements };
}

/**
 * Makes every insert into `table` fail inside the database, with `message` as the database's error text (a stand-in
 * for any driver error that quotes a value). Returns the function that removes the fault.
 */
export async function failInserts(
  dataSource: DataSource,
  table: string,
  message: string,
): Promise<() => Promise<void>> {
  const name = `hardening_fault_${table}`;
  const literal = `'${message.replace(/'/g, "''")}'`;
  if (dataSource.options.type === 'better-sqlite3') {
    await dataSource.query(
      `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, ${literal}); END`,
    );
  } else {
    await dataSource.query(
      `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${literal}`,
    );
  }
  return async () => {
    await dataSource.query(`DROP TRIGGER IF EXISTS ${name}`);
  };
}
