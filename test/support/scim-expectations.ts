import type { Response } from 'supertest';
import { SCIM, SCIM_JSON, ScimTestServer } from './scim-harness';

/** The URNs a test writes by hand, spelled once. */
export const URN = {
  USER: 'urn:ietf:params:scim:schemas:core:2.0:User',
  GROUP: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  ENTERPRISE: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  PATCH_OP: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  LIST: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  ERROR: 'urn:ietf:params:scim:api:messages:2.0:Error',
  SCHEMA: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
  RESOURCE_TYPE: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  SERVICE_PROVIDER_CONFIG: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
} as const;

/** Every SCIM answer with a body is `application/scim+json` (RFC 7644 §8.1). */
export function expectScimJson(res: Response): void {
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json(;|$)/);
}

/** An RFC 7644 §3.12 error, exactly: schemas, status as a string, scimType when given, a non-empty detail. */
export function expectScimError(res: Response, status: number, scimType?: string): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: {
      schemas: [URN.ERROR],
      status: String(status),
      ...(scimType ? { scimType } : {}),
      detail: expect.stringMatching(/\S/),
    },
  });
  if (!scimType) expect(res.body).not.toHaveProperty('scimType');
  expectScimJson(res);
}

/** An empty ListResponse exactly as Entra's Test Connection expects it. */
export function expectEmptyList(res: Response): void {
  expect(res.status).toBe(200);
  expectScimJson(res);
  expect(res.body).toEqual({ schemas: [URN.LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
}

/** Fails on any `null` anywhere in a document (Entra: "no null values"). */
export function expectNoNulls(value: unknown, path = '$'): void {
  if (value === null) throw new Error(`null at ${path}`);
  if (Array.isArray(value)) value.forEach((v, i) => expectNoNulls(v, `${path}[${i}]`));
  else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) expectNoNulls(v, `${path}.${k}`);
}

/** `?filter=…` with the filter URL-encoded, plus other raw query parameters. */
export function query(filter: string, extra = ''): string {
  return `filter=${encodeURIComponent(filter)}${extra ? `&${extra}` : ''}`;
}

/** A PatchOp body. */
export function patchOps(...operations: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: [URN.PATCH_OP], Operations: operations };
}

/** A minimal Entra-like user body. */
export function userBody(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [URN.USER, URN.ENTERPRISE], userName, active: true, ...extra };
}

/** Creates a user through SCIM and returns the created resource; fails the test unless the answer is 201. */
export async function createUser(
  s: ScimTestServer,
  userName: string,
  extra: Record<string, unknown> = {},
): Promise<Record<string, any>> {
  const res = await s.post('/Users', userBody(userName, extra));
  if (res.status !== 201) throw new Error(`creating ${userName}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Creates a SCIM group holding the given SCIM user ids. */
export async function createGroup(s: ScimTestServer, displayName: string, memberIds: string[] = []) {
  const res = await s.post('/Groups', {
    schemas: [URN.GROUP],
    displayName,
    members: memberIds.map((value) => ({ value })),
  });
  if (res.status !== 201) throw new Error(`creating group ${displayName}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}

/** A request with the admin token and a body sent exactly as given, under the given content type. */
export function rawRequest(
  s: ScimTestServer,
  method: 'post' | 'put' | 'patch',
  path: string,
  body: string,
  contentType = SCIM_JSON,
) {
  return s
    .http()
    [method](SCIM + path)
    .set('Authorization', `Bearer ${s.token}`)
    .set('Content-Type', contentType)
    .send(body);
}

/** A GET with the admin token and extra headers. */
export function getWith(s: ScimTestServer, path: string, headers: Record<string, string>) {
  let req = s.get(path);
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  return req;
}

const SNAPSHOT_TABLES: Record<string, string> = {
  users: 'id',
  user_groups: 'id',
  group_members: 'group_id, user_id',
  user_permissions: 'user_id, permission',
  group_permissions: 'group_id, permission',
  user_tokens: 'id',
  user_sessions: 'id',
  scim_users: 'scim_id',
  scim_user_profiles: 'user_id',
  scim_user_emails: 'user_id, position',
  scim_groups: 'scim_id',
  scim_group_profiles: 'group_id',
};

/**
 * Every row the identity and provisioning tables hold, in a stable order: a refused request must leave this equal
 *. Token `last_connection_date` moves with every authenticated request, so it is
 * left out.
 */
export async function databaseSnapshot(s: ScimTestServer): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(SNAPSHOT_TABLES)) {
    const rows: Record<string, unknown>[] = await s.dataSource.query(`SELECT * FROM ${table} ORDER BY ${order}`);
    snapshot[table] = rows.map((row) => {
      const copy = { ...row };
      delete copy.last_connection_date;
      return copy;
    });
  }
  return snapshot;
}

/** The internal user id behind a SCIM id, read from the database. */
export async function internalUserId(s: ScimTestServer, scimId: string): Promise<string | undefined> {
  const rows: { user_id: string }[] = await s.dataSource.query('SELECT user_id FROM scim_users WHERE scim_id = ?', [
    scimId,
  ]);
  return rows[0]?.user_id;
}

/** The names of the groups a user (internal id) belongs to. */
export async function groupNamesOf(s: ScimTestServer, userId: string): Promise<string[]> {
  const rows: { name: string }[] = await s.dataSource.query(
    'SELECT g.name AS name FROM group_members gm INNER JOIN user_groups g ON g.id = gm.group_id WHERE gm.user_id = ? ORDER BY g.name',
    [userId],
  );
  return rows.map((r) => r.name);
}

/**
 * Inserts `count` minimal managed users straight into the database, for tests about page limits that need more users
 * than a test could create one request at a time. Returns their SCIM ids in creation order.
 */
export async function seedManagedUsers(s: ScimTestServer, prefix: string, count: number): Promise<string[]> {
  const { randomUUID } = await import('node:crypto');
  const stamp = new Date().toISOString().replace('T', ' ').replace('Z', '');
  const scimIds: string[] = [];
  for (let start = 0; start < count; start += 200) {
    const users: unknown[] = [];
    const links: unknown[] = [];
    const profiles: unknown[] = [];
    for (let i = start; i < Math.min(count, start + 200); i++) {
      const id = randomUUID();
      const scimId = randomUUID();
      const login = `${prefix}-${String(i).padStart(5, '0')}@contoso.com`;
      scimIds.push(scimId);
      const key = login.toLowerCase();
      users.push(id, login, key, login, null, 1, 0, login, key, 'saml', 1, stamp, stamp);
      links.push(scimId, id, stamp);
      profiles.push(id, login, key, 1, JSON.stringify({ core: { userName: login }, extensions: {} }), 1, stamp, stamp);
    }
    const rows = (n: number, width: number) =>
      Array.from({ length: n }, () => `(${'?, '.repeat(width - 1)}?)`).join(', ');
    const n = links.length / 3;
    await s.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO users (id, login, login_normalized, name, email, active, local, external_login, external_login_normalized, external_provider, managed, created_at, updated_at) VALUES ${rows(n, 13)}`,
        users,
      );
      await m.query(`INSERT INTO scim_users (scim_id, user_id, created_at) VALUES ${rows(n, 3)}`, links);
      await m.query(
        `INSERT INTO scim_user_profiles (user_id, user_name, user_name_normalized, active, document, version, created_at, updated_at) VALUES ${rows(n, 8)}`,
        profiles,
      );
    });
  }
  return scimIds;
}
