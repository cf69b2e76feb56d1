import { testDialects } from '@nest-scim/persistence/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import { createLocalUser, webApi, WebApiClient } from '../support/web-api-harness';

const MANAGED = { errors: [{ msg: 'Operation not allowed when the instance is externally managed.' }] };
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

interface Named {
  login?: string;
  name?: string;
  managed: boolean;
}

describe.each(testDialects())('Web API on an externally managed instance (%s)', (dialect) => {
  let s: ScimTestServer;
  let admin: WebApiClient;
  const logins = (body: { users: Named[] }) => body.users.map((u) => u.login).sort();

  beforeAll(async () => {
    s = await startScimServer(dialect, { withoutScimMode: true });
    admin = webApi(s, { bearer: s.token });
    // What the admin had before switching SCIM on: local accounts and local groups.
    await createLocalUser(admin, 'bob');
    await createLocalUser(admin, 'carl');
    await admin.post('/api/user_groups/create', { name: 'local-team' }).expect(200);
    await admin.post('/api/user_groups/create', { name: 'old-team' }).expect(200);
    await admin.post('/api/user_groups/add_user', { name: 'local-team', login: 'bob' }).expect(204);

    await admin.post('/api/scim_management/enable', { confirm: 'true' }).expect(204);
    // Entra ID provisions Alice and the Engineering group, Alice in it.
    const alice = await s.post('/Users', { schemas: [USER_SCHEMA], userName: 'alice@contoso.com', active: true });
    expect(alice.status).toBe(201);
    const group = await s.post('/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Engineering',
      members: [{ value: alice.body.id }],
    });
    expect(group.status).toBe(201);
  });
  afterAll(() => s.close());

  it('shows which users and groups the identity provider manages, and filters on it', async () => {
    const managedUsers = await admin.get('/api/users/search', { managed: true }).expect(200);
    expect(managedUsers.body.users).toEqual([
      expect.objectContaining({ login: 'alice@contoso.com', managed: true, local: false }),
    ]);
    const localUsers = await admin.get('/api/users/search', { managed: false }).expect(200);
    expect(logins(localUsers.body)).toEqual(['admin', 'bob', 'carl']);
    expect(localUsers.body.users.every((u: Named) => !u.managed)).toBe(true);

    const managedGroups = await admin.get('/api/user_groups/search', { managed: 'true' }).expect(200);
    expect(managedGroups.body.groups).toEqual([
      expect.objectContaining({ name: 'Engineering', managed: true, membersCount: 1 }),
    ]);
    const status = await admin.get('/api/scim_management/status').expect(200);
    expect(status.body.enabled).toBe(true);
  });

  it('refuses what belongs to the identity provider with the product message', async () => {
    const refusals: [string, Record<string, string>][] = [
      ['/api/users/create', { login: 'dora', name: 'Dora', password: 'Dora-password-123' }],
      ['/api/users/create', { login: 'dora', name: 'Dora', local: 'false' }],
      ['/api/user_groups/create', { name: 'new-team' }],
      ['/api/user_groups/update', { currentName: 'Engineering', name: 'Eng' }],
      ['/api/user_groups/update', { currentName: 'local-team', description: 'a local group is read-only too' }],
      ['/api/user_groups/add_user', { name: 'Engineering', login: 'bob' }],
      ['/api/user_groups/add_user', { name: 'local-team', login: 'carl' }],
      ['/api/user_groups/remove_user', { name: 'Engineering', login: 'alice@contoso.com' }],
      ['/api/user_groups/remove_user', { name: 'local-team', login: 'bob' }],
      ['/api/users/deactivate', { login: 'alice@contoso.com' }],
      ['/api/users/update', { login: 'alice@contoso.com', name: 'Not Alice' }],
      ['/api/user_groups/delete', { name: 'Engineering' }],
    ];
    for (const [path, form] of refusals) {
      const response = await admin.post(path, form);
      expect({ path, status: response.status, body: response.body }).toEqual({ path, status: 400, body: MANAGED });
    }
    // Nothing of it happened.
    expect(logins((await admin.get('/api/users/search', { q: 'dora' })).body)).toEqual([]);
    const alice = (await admin.get('/api/users/search', { q: 'alice' })).body.users[0];
    expect(alice).toMatchObject({ name: 'alice@contoso.com', active: true });
    const groups = (await admin.get('/api/user_groups/search').expect(200)).body.groups.map((g: Named) => g.name);
    expect(groups).toEqual(expect.arrayContaining(['Engineering', 'local-team', 'old-team']));
    expect(groups).not.toContain('new-team');
  });

  it('still lets the admin deactivate local users and delete local groups, and nothing else of them', async () => {
    const carl = await admin.post('/api/users/deactivate', { login: 'carl' }).expect(200);
    expect(carl.body.user).toMatchObject({ login: 'carl', active: false, managed: false });
    await admin.post('/api/user_groups/delete', { name: 'old-team' }).expect(204);
    // A local account's profile is read-only too (its password and permissions stay the admin's).
    expect((await admin.post('/api/users/update', { login: 'bob', name: 'Bob B.' }).expect(400)).body).toEqual(MANAGED);
    await admin.post('/api/users/change_password', { login: 'bob', password: 'Bob-new-password-123' }).expect(204);
    const bob = (await admin.get('/api/users/search', { q: 'bob' }).expect(200)).body.users[0];
    expect(bob).toMatchObject({ login: 'bob', name: 'bob' });
  });

  it('gives global permissions to an Entra group, which its members then hold, and still keeps an administrator', async () => {
    await admin.post('/api/permissions/add_group', { groupName: 'Engineering', permission: 'admin' }).expect(204);
    // Alice holds `admin` through Engineering: a token of hers passes the SCIM endpoint's admin check.
    const token = await admin.post('/api/user_tokens/generate', { name: 'alice-ci', login: 'alice@contoso.com' });
    expect(token.status).toBe(200);
    const asAlice = await s
      .http()
      .get('/api/scim/v2/Users')
      .set('Authorization', `Bearer ${token.body.token}`)
      .expect(200);
    expect(asAlice.body.totalResults).toBe(1);

    // A managed user takes a permission directly too.
    await admin.post('/api/permissions/add_user', { login: 'alice@contoso.com', permission: 'admin' }).expect(204);
    await admin.post('/api/permissions/remove_user', { login: 'alice@contoso.com', permission: 'admin' }).expect(204);

    // Entra removes Alice from Engineering: she loses `admin` with the membership, the local admin stays one.
    const group = (await s.get('/Groups?filter=displayName%20eq%20%22Engineering%22')).body.Resources[0];
    const patched = await s.patch(`/Groups/${group.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'remove', path: `members[value eq "${(await s.get('/Users')).body.Resources[0].id}"]` }],
    });
    expect(patched.status).toBe(204);
    await s.http().get('/api/scim/v2/Users').set('Authorization', `Bearer ${token.body.token}`).expect(403);
    await admin.post('/api/permissions/remove_group', { groupName: 'Engineering', permission: 'admin' }).expect(204);
  });

  it('back to just-in-time: every user and group is local and editable again', async () => {
    await admin.post('/api/scim_management/disable').expect(204);
    expect((await admin.get('/api/scim_management/status').expect(200)).body.enabled).toBe(false);
    await admin.get('/api/users/search', { managed: true }).expect(400);

    const users = (await admin.get('/api/users/search', { q: 'alice' }).expect(200)).body.users;
    expect(users).toEqual([expect.objectContaining({ login: 'alice@contoso.com', managed: false })]);
    const groups = (await admin.get('/api/user_groups/search', { q: 'Engineering' }).expect(200)).body.groups;
    expect(groups).toEqual([expect.objectContaining({ name: 'Engineering', managed: false })]);

    await admin.post('/api/user_groups/update', { currentName: 'Engineering', name: 'Eng' }).expect(200);
    await admin.post('/api/user_groups/add_user', { name: 'Eng', login: 'bob' }).expect(204);
    await admin.post('/api/users/deactivate', { login: 'alice@contoso.com' }).expect(200);
    await admin.post('/api/users/create', { login: 'dora', name: 'Dora', password: 'Dora-password-123' }).expect(200);
  });
});
