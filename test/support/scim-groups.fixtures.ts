import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { DataSource } from 'typeorm';
import { UserEntity } from '@nest-scim/identity';
import { ScimUserLinkEntity, ScimUserProfileEntity } from '@nest-scim/provisioning';
import type { ScimClient } from './scim-server-pair';

export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const PATCH_OP_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
/** The extra schema Entra puts on every group it creates. */
export const MS_GROUP_URN = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

export interface CreatedUser {
  id: string;
  userName: string;
  displayName: string;
}

/** A SCIM user as Entra creates one. */
export async function createUser(client: ScimClient, label = randomUUID().slice(0, 8)): Promise<CreatedUser> {
  const userName = `${label}@contoso.example`;
  const displayName = `User ${label}`;
  const res = await client.post('/Users', {
    schemas: [USER_URN],
    userName,
    displayName,
    active: true,
    emails: [{ primary: true, type: 'work', value: userName }],
  });
  if (res.status !== 201) throw new Error(`POST /Users answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { id: res.body.id, userName, displayName };
}

/** Many users at once, `parallel` requests in flight. */
export async function createUsers(client: ScimClient, count: number, prefix: string, parallel = 16) {
  const users: CreatedUser[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      users[i] = await createUser(client, `${prefix}-${i}-${randomUUID().slice(0, 6)}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return users;
}

/**
 * Many SCIM users written straight into the database (a product user, its SCIM link and profile each, as POST /Users
 * leaves them for group purposes), for tests about groups that need hundreds or thousands of members quickly. Returns their
 * SCIM ids and internal ids, in order.
 */
export async function insertScimUsers(
  dataSource: DataSource,
  count: number,
  prefix: string,
): Promise<{ scimId: string; userId: string }[]> {
  const now = new Date();
  const created: { scimId: string; userId: string }[] = [];
  for (let offset = 0; offset < count; offset += 400) {
    const users = Array.from({ length: Math.min(400, count - offset) }, (_, i) => {
      const login = `${prefix}-${offset + i}-${randomUUID().slice(0, 8)}@contoso.example`;
      return {
        id: randomUUID(),
        login,
        loginNormalized: login,
        name: `${prefix} ${offset + i}`,
        email: login,
        active: true,
        local: false,
        externalLogin: login,
        externalLoginNormalized: login,
        externalProvider: 'saml' as const,
        managed: true,
        createdAt: now,
        updatedAt: now,
      };
    });
    const links = users.map((u) => ({ scimId: randomUUID(), userId: u.id, createdAt: now }));
    const profiles = users.map((u) => ({
      userId: u.id,
      userName: u.login,
      userNameNormalized: u.loginNormalized,
      active: true,
      externalId: null,
      displayName: u.name,
      givenName: null,
      familyName: null,
      employeeNumber: null,
      managerId: null,
      document: JSON.stringify({ core: { userName: u.login, displayName: u.name, active: true }, extensions: {} }),
      version: 1,
      createdAt: now,
      updatedAt: now,
    }));
    await dataSource.transaction(async (m) => {
      await m.insert(UserEntity, users);
      await m.insert(ScimUserLinkEntity, links);
      await m.insert(ScimUserProfileEntity, profiles);
    });
    created.push(...links.map((l) => ({ scimId: l.scimId, userId: l.userId })));
  }
  return created;
}

export async function createGroup(client: ScimClient, displayName: string, extra: Record<string, unknown> = {}) {
  const res = await client.post('/Groups', { schemas: [GROUP_URN], displayName, ...extra });
  if (res.status !== 201) throw new Error(`POST /Groups answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { id: string; displayName: string; externalId?: string };
}

export function patchBody(...operations: unknown[]) {
  return { schemas: [PATCH_OP_URN], Operations: operations };
}

/** Entra's `add members`, with its `"$ref": null`. */
export const addMembers = (ids: readonly string[]) => ({
  op: 'Add',
  path: 'members',
  value: ids.map((value) => ({ $ref: null, value })),
});

/** Entra's default remove shape: only the listed members go. */
export const removeMembersByList = (ids: readonly string[]) => ({
  op: 'Remove',
  path: 'members',
  value: ids.map((value) => ({ $ref: null, value })),
});

/** The aadOptscim062020 remove shape: one filtered path per member. */
export const removeMemberByFilter = (id: string) => ({ op: 'remove', path: `members[value eq "${id}"]` });

/** The SCIM ids of a group's members, sorted, read back through GET. */
export async function memberIdsOf(client: ScimClient, groupId: string): Promise<string[]> {
  const res = await client.get(`/Groups/${groupId}`);
  if (res.status !== 200) throw new Error(`GET /Groups/${groupId} answered ${res.status}`);
  return ((res.body.members ?? []) as { value: string }[]).map((m) => m.value).sort();
}

export function sorted(ids: Iterable<string>): string[] {
  return [...ids].sort();
}

/** An RFC 7644 §3.12 error body with the given status and scimType. */
export function expectScimError(res: Response, status: number, scimType?: string): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: {
      schemas: [ERROR_URN],
      status: String(status),
      ...(scimType ? { scimType } : {}),
      detail: expect.stringMatching(/\S/),
    },
  });
}

export const filterQuery = (filter: string) => `filter=${encodeURIComponent(filter)}`;

/**
 * A response body with the scheme and host taken out of `$ref` and `meta.location`: supertest serves each request on
 * a port of its own, so two reads of one resource differ only there.
 */
export function withoutOrigin<T>(body: T): T {
  return JSON.parse(JSON.stringify(body).replace(/https?:\/\/[^/"]+(?=\/api\/scim\/v2\/)/g, '')) as T;
}
