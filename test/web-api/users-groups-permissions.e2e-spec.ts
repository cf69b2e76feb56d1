import { testDialects } from '@nest-scim/persistence/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import { createLocalUser, webApi, WebApiClient } from '../support/web-api-harness';

const MANAGED_FILTER = "The 'managed' parameter is only available for managed instances.";

describe.each(testDialects())('Web API: users, groups and permissions on a just-in-time instance (%s)', (dialect) => {
  let s: ScimTestServer;
  let admin: WebApiClient;
  beforeAll(async () => {
    s = await startScimServer(dialect, { withoutScimMode: true });
    admin = webApi(s, { bearer: s.token });
  });
  afterAll(() => s.close());

  it('creates, finds, updates and deactivates users', async () => {
    const created = await admin
      .post('/api/users/create', {
        login: 'Alice',
        name: 'Alice Liddell',
        email: 'alice@example.com',
        password: 'Alice-password-1',
      })
      .expect(200);
    expect(created.body).toEqual({
      user: {
        login: 'Alice',
        name: 'Alice Liddell',
        email: 'alice@example.com',
        active: true,
        local: true,
        externalIdentity: null,
        externalProvider: null,
        managed: false,
      },
    });
    const external = await admin
      .postJson('/api/users/create', { login: 'sam@contoso.com', name: 'Sam', local: false })
      .expect(200);
    expect(external.body.user).toMatchObject({
      local: false,
      externalIdentity: 'sam@contoso.com',
      externalProvider: 'saml',
    });

    const duplicate = await admin
      .post('/api/users/create', { login: 'alice', name: 'Other', password: 'Alice-password-2' })
      .expect(400);
    expect(duplicate.body).toEqual({ errors: [{ msg: "A user with login 'alice' already exists" }] });
    const noPassword = await admin.post('/api/users/create', { login: 'nopass', name: 'No' }).expect(400);
    expect(noPassword.body.errors[0].msg).toBe('Password is mandatory and must not be empty');
    const weak = await admin.post('/api/users/create', { login: 'weak', name: 'Weak', password: 'short' }).expect(400);
    expect(weak.body.errors[0].msg).toBe('Password must be at least 12 characters long');
    const missing = await admin.post('/api/users/create', { name: 'Nobody' }).expect(400);
    expect(missing.body).toEqual({ errors: [{ msg: "The 'login' parameter is missing", field: 'login' }] });

    const found = await admin.get('/api/users/search', { q: 'LIDDELL' }).expect(200);
    expect(found.body).toEqual({
      paging: { pageIndex: 1, pageSize: 50, total: 1 },
      users: [expect.objectContaining({ login: 'Alice', managed: false })],
    });

    const updated = await admin.post('/api/users/update', { login: 'alice', name: 'Alice L.', email: '' }).expect(200);
    expect(updated.body.user).toMatchObject({ login: 'Alice', name: 'Alice L.', email: null });
    await admin.post('/api/users/update', { login: 'ghost', name: 'x' }).expect(404);

    await admin.post('/api/users/deactivate', { login: 'alice' }).expect(200);
    const active = await admin.get('/api/users/search', { q: 'alice' }).expect(200);
    expect(active.body.users).toEqual([]);
    const deactivated = await admin.get('/api/users/search', { q: 'alice', deactivated: true }).expect(200);
    expect(deactivated.body.users).toEqual([expect.objectContaining({ login: 'Alice', active: false })]);
  });

  it('pages searches with p and ps, and refuses the managed filter on an instance that is not managed', async () => {
    for (const login of ['page-a', 'page-b', 'page-c'])
      await admin.postJson('/api/users/create', { login, name: login, local: false });
    const second = await admin.get('/api/users/search', { q: 'page-', p: 2, ps: 2 }).expect(200);
    expect(second.body.paging).toEqual({ pageIndex: 2, pageSize: 2, total: 3 });
    expect(second.body.users.map((u: { login: string }) => u.login)).toEqual(['page-c']);
    const tooBig = await admin.get('/api/users/search', { ps: 501 }).expect(400);
    expect(tooBig.body).toEqual({ errors: [{ msg: "'ps' must be a whole number between 1 and 500", field: 'ps' }] });
    await admin.get('/api/users/search', { managed: 'maybe' }).expect(400);

    for (const path of ['/api/users/search', '/api/user_groups/search']) {
      for (const managed of ['true', 'false']) {
        const refused = await admin.get(path, { managed }).expect(400);
        expect(refused.body).toEqual({ errors: [{ msg: MANAGED_FILTER }] });
      }
    }
  });

  it('creates, renames, fills, empties and deletes groups; the built-in groups keep their place', async () => {
    const created = await admin
      .post('/api/user_groups/create', { name: 'developers', description: 'Devs' })
      .expect(200);
    expect(created.body.group).toMatchObject({
      name: 'developers',
      description: 'Devs',
      default: false,
      builtIn: null,
      managed: false,
    });
    await admin.post('/api/user_groups/create', { name: 'Developers' }).expect(400);

    const renamed = await admin
      .post('/api/user_groups/update', { currentName: 'developers', name: 'engineers' })
      .expect(200);
    expect(renamed.body.group).toMatchObject({ name: 'engineers', description: 'Devs' });
    await createLocalUser(admin, 'gina');
    await admin.post('/api/user_groups/add_user', { name: 'engineers', login: 'gina' }).expect(204);
    const listed = await admin.get('/api/user_groups/search', { q: 'engin' }).expect(200);
    expect(listed.body.groups).toEqual([
      expect.objectContaining({ name: 'engineers', membersCount: 1, managed: false }),
    ]);
    await admin.post('/api/user_groups/remove_user', { name: 'engineers', login: 'gina' }).expect(204);
    await admin.post('/api/user_groups/delete', { name: 'engineers' }).expect(204);
    const gone = await admin.post('/api/user_groups/delete', { name: 'engineers' }).expect(404);
    expect(gone.body).toEqual({ errors: [{ msg: "No group with name 'engineers'" }] });

    const all = await admin.get('/api/user_groups/search').expect(200);
    expect(all.body.groups).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'sonar-users', default: true, builtIn: 'default' }),
        expect.objectContaining({ name: 'sonar-administrators', default: false, builtIn: 'administrators' }),
      ]),
    );
    const defaultGroup = await admin
      .post('/api/user_groups/add_user', { name: 'sonar-users', login: 'gina' })
      .expect(400);
    expect(defaultGroup.body.errors[0].msg).toBe("Default group 'sonar-users' cannot be used to perform this action");
    await admin.post('/api/user_groups/delete', { name: 'sonar-administrators' }).expect(400);
    await admin.post('/api/user_groups/update', { currentName: 'sonar-users', name: 'everyone' }).expect(400);
  });

  it('grants and removes the admin permission to users and groups', async () => {
    await createLocalUser(admin, 'hugo');
    const hugo = webApi(s, {
      bearer: (await admin.post('/api/user_tokens/generate', { login: 'hugo', name: 't' })).body.token,
    });
    await hugo.get('/api/users/search').expect(403);
    await admin.post('/api/permissions/add_user', { login: 'hugo', permission: 'admin' }).expect(204);
    await hugo.get('/api/users/search').expect(200);
    await admin.post('/api/permissions/remove_user', { login: 'hugo', permission: 'admin' }).expect(204);
    await hugo.get('/api/users/search').expect(403);

    await admin.post('/api/user_groups/create', { name: 'ops' }).expect(200);
    await admin.post('/api/user_groups/add_user', { name: 'ops', login: 'hugo' }).expect(204);
    await admin.post('/api/permissions/add_group', { groupName: 'ops', permission: 'admin' }).expect(204);
    await hugo.get('/api/users/search').expect(200);
    await admin.post('/api/permissions/remove_group', { groupName: 'ops', permission: 'admin' }).expect(204);
    await hugo.get('/api/users/search').expect(403);

    const unknown = await admin.post('/api/permissions/add_user', { login: 'hugo', permission: 'scan' }).expect(400);
    expect(unknown.body).toEqual({
      errors: [{ msg: "The 'permission' parameter must be one of: admin", field: 'permission' }],
    });
  });

  it('keeps an administrator: the last one cannot be removed, in the product words', async () => {
    // `admin` is the only administrator, through sonar-administrators.
    const member = await admin
      .post('/api/user_groups/remove_user', { name: 'sonar-administrators', login: 'admin' })
      .expect(400);
    expect(member.body).toEqual({ errors: [{ msg: 'The last administrator user cannot be removed' }] });
    const self = await admin.post('/api/users/deactivate', { login: 'admin' }).expect(400);
    expect(self.body).toEqual({ errors: [{ msg: 'Self-deactivation is not possible' }] });

    // Move admin's administration to a group of its own, then try to take that away.
    await admin.post('/api/user_groups/create', { name: 'root' }).expect(200);
    await admin.post('/api/permissions/add_group', { groupName: 'root', permission: 'admin' }).expect(204);
    await admin.post('/api/user_groups/add_user', { name: 'root', login: 'admin' }).expect(204);
    await admin.post('/api/user_groups/remove_user', { name: 'sonar-administrators', login: 'admin' }).expect(204);
    const permission = await admin
      .post('/api/permissions/remove_group', { groupName: 'root', permission: 'admin' })
      .expect(400);
    expect(permission.body).toEqual({
      errors: [{ msg: "Last user with permission 'admin'. Permission cannot be removed." }],
    });
    const group = await admin.post('/api/user_groups/delete', { name: 'root' }).expect(400);
    expect(group.body).toEqual({ errors: [{ msg: 'The last system admin group cannot be deleted' }] });

    // A direct grant to someone else makes admin's removable, and that one in turn protected.
    await createLocalUser(admin, 'iris');
    await admin.post('/api/permissions/add_user', { login: 'iris', permission: 'admin' }).expect(204);
    await admin.post('/api/user_groups/add_user', { name: 'sonar-administrators', login: 'admin' }).expect(204);
    await admin.post('/api/user_groups/delete', { name: 'root' }).expect(204);
    await admin.post('/api/users/deactivate', { login: 'iris' }).expect(200);
    await admin.post('/api/user_groups/remove_user', { name: 'sonar-administrators', login: 'admin' }).expect(400);
  });
});
