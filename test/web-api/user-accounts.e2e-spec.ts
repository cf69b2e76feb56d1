import { UserEntity } from '@nest-scim/identity';
import { testDialects } from '@nest-scim/persistence/testing';
import { SamlSettingsService } from '@nest-scim/saml';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import { ADMIN_PASSWORD, createLocalUser, signIn, webApi, WebApiClient } from '../support/web-api-harness';

const MANAGED = { errors: [{ msg: 'Operation not allowed when the instance is externally managed.' }] };
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

interface SearchedUser {
  login: string;
  groups: string[];
  tokensCount: number;
  lastConnectionDate: string | null;
  managed: boolean;
  local: boolean;
  externalIdentity: string | null;
}

/** The calls SonarQube's own scripts make: `curl -u TOKEN: -X POST "<base>/api/…?a=b"`, parameters in the query. */
function scriptCall(s: ScimTestServer, method: 'get' | 'post', pathAndQuery: string) {
  return s
    .http()
    [method](pathAndQuery)
    .set('Authorization', `Basic ${Buffer.from(`${s.token}:`).toString('base64')}`);
}

describe.each(testDialects())('Web API: user accounts on a just-in-time instance (%s)', (dialect) => {
  let s: ScimTestServer;
  let admin: WebApiClient;
  const searchOne = async (login: string, extra: Record<string, string | boolean> = {}): Promise<SearchedUser> => {
    const body = (await admin.get('/api/users/search', { q: login, ...extra }).expect(200)).body;
    const found = body.users.find((u: SearchedUser) => u.login === login);
    if (!found) throw new Error(`${login} not in the search`);
    return found;
  };
  const lastConnectionInDatabase = async (login: string) =>
    (await s.dataSource.manager.findOneByOrFail(UserEntity, { login })).lastConnectionDate;

  beforeAll(async () => {
    s = await startScimServer(dialect, { withoutScimMode: true });
    admin = webApi(s, { bearer: s.token });
  });
  afterAll(() => s.close());

  describe('api/users/search', () => {
    it('carries groups, tokensCount, lastConnectionDate and managed', async () => {
      await createLocalUser(admin, 'dora');
      await admin.post('/api/user_groups/create', { name: 'qa' }).expect(200);
      await admin.post('/api/user_groups/add_user', { name: 'qa', login: 'dora' }).expect(204);
      await admin.post('/api/user_tokens/generate', { name: 'one', login: 'dora' }).expect(200);
      await admin.post('/api/user_tokens/generate', { name: 'two', login: 'dora' }).expect(200);
      const dora = await searchOne('dora');
      expect(dora).toMatchObject({
        groups: ['qa', 'sonar-users'],
        tokensCount: 2,
        lastConnectionDate: null,
        managed: false,
      });
      const me = await searchOne('admin');
      expect(me.groups).toEqual(['sonar-administrators', 'sonar-users']);
      expect(me.tokensCount).toBe(1);
    });

    it('records the last connection at sign-in and at token use, without a write per request', async () => {
      await createLocalUser(admin, 'erin', 'Erin-Password-123');
      expect((await searchOne('erin')).lastConnectionDate).toBeNull();
      const before = Date.now();
      await signIn(s, 'erin', 'Erin-Password-123');
      const signedIn = (await searchOne('erin')).lastConnectionDate;
      expect(signedIn).not.toBeNull();
      expect(new Date(signedIn!).getTime()).toBeGreaterThanOrEqual(before - 1000);

      // Token use: the owner's date moves forward once, then stays while the token keeps being used.
      const token = (await admin.post('/api/user_tokens/generate', { name: 'ci', login: 'erin' }).expect(200)).body
        .token as string;
      const stale = new Date(Date.now() - 3600 * 1000);
      await s.dataSource.manager.update(UserEntity, { login: 'erin' }, { lastConnectionDate: stale });
      const erinApi = webApi(s, { bearer: token });
      await erinApi.get('/api/users/search').expect(403); // authenticated, then refused: still a token use
      const recorded = await lastConnectionInDatabase('erin');
      expect(recorded!.getTime()).toBeGreaterThan(stale.getTime() + 3000 * 1000);
      const marker = new Date(recorded!.getTime() - 1000);
      await s.dataSource.manager.update(UserEntity, { login: 'erin' }, { lastConnectionDate: marker });
      await erinApi.get('/api/users/search').expect(403);
      await erinApi.get('/api/users/search').expect(403);
      expect((await lastConnectionInDatabase('erin'))!.getTime()).toBe(marker.getTime());
      // A second token's first use writes its own row, but not the user's, which is less than a minute old.
      const second = (await admin.post('/api/user_tokens/generate', { name: 'ci-2', login: 'erin' }).expect(200)).body
        .token as string;
      await webApi(s, { bearer: second }).get('/api/users/search').expect(403);
      expect((await lastConnectionInDatabase('erin'))!.getTime()).toBe(marker.getTime());
      const tokens = (await admin.get('/api/user_tokens/search', { login: 'erin' }).expect(200)).body.userTokens;
      expect(tokens.find((t: { name: string }) => t.name === 'ci-2').lastConnectionDate).not.toBeNull();
    });
  });

  describe('api/user_groups/users', () => {
    beforeAll(async () => {
      for (const login of ['gm-anna', 'gm-bert', 'gm-cleo']) await createLocalUser(admin, login);
      await admin.post('/api/user_groups/create', { name: 'reviewers' }).expect(200);
      await admin.post('/api/user_groups/add_user', { name: 'reviewers', login: 'gm-anna' }).expect(204);
      await admin.post('/api/user_groups/add_user', { name: 'reviewers', login: 'gm-bert' }).expect(204);
    });

    it('lists the members, or the others, or both, with paging as the product answers it', async () => {
      const members = await admin.get('/api/user_groups/users', { name: 'REVIEWERS' }).expect(200);
      expect(members.body).toEqual({
        users: [
          { login: 'gm-anna', name: 'gm-anna', selected: true, managed: false, active: true },
          { login: 'gm-bert', name: 'gm-bert', selected: true, managed: false, active: true },
        ],
        p: 1,
        ps: 25,
        total: 2,
        paging: { pageIndex: 1, pageSize: 25, total: 2 },
      });
      const others = await admin.get('/api/user_groups/users', { name: 'reviewers', selected: 'deselected', q: 'gm-' });
      expect(others.body.users).toEqual([expect.objectContaining({ login: 'gm-cleo', selected: false })]);
      const all = await admin.get('/api/user_groups/users', { name: 'reviewers', selected: 'all', q: 'GM-', ps: 2 });
      expect(all.body.paging).toEqual({ pageIndex: 1, pageSize: 2, total: 3 });
      expect(all.body.users.map((u: { login: string; selected: boolean }) => [u.login, u.selected])).toEqual([
        ['gm-anna', true],
        ['gm-bert', true],
      ]);
      const page2 = await admin.get('/api/user_groups/users', {
        name: 'reviewers',
        selected: 'all',
        q: 'gm-',
        ps: 2,
        p: 2,
      });
      expect(page2.body.users.map((u: { login: string }) => u.login)).toEqual(['gm-cleo']);
    });

    it('answers the query-string call, and refuses unknown groups and selection modes', async () => {
      const viaScript = await scriptCall(s, 'get', '/api/user_groups/users?name=reviewers&q=bert').expect(200);
      expect(viaScript.body.users).toEqual([expect.objectContaining({ login: 'gm-bert', selected: true })]);
      const unknown = await admin.get('/api/user_groups/users', { name: 'nope' }).expect(404);
      expect(unknown.body).toEqual({ errors: [{ msg: "No group with name 'nope'" }] });
      const missing = await admin.get('/api/user_groups/users').expect(400);
      expect(missing.body.errors).toContainEqual({ msg: "The 'name' parameter is missing", field: 'name' });
      const mode = await admin.get('/api/user_groups/users', { name: 'reviewers', selected: 'some' }).expect(400);
      expect(mode.body.errors[0].msg).toBe("Value of parameter 'selected' must be one of: selected, deselected, all");
    });
  });

  describe('api/users/groups', () => {
    it("lists a user's groups, the others, or all", async () => {
      await createLocalUser(admin, 'ug-fay');
      await admin.post('/api/user_groups/create', { name: 'ug-team', description: 'The team' }).expect(200);
      await admin.post('/api/user_groups/add_user', { name: 'ug-team', login: 'ug-fay' }).expect(204);
      const mine = await admin.get('/api/users/groups', { login: 'ug-fay' }).expect(200);
      expect(mine.body.paging).toEqual({ pageIndex: 1, pageSize: 25, total: 2 });
      expect(mine.body.groups).toEqual([
        { id: expect.any(String), name: 'sonar-users', selected: true, default: true },
        { id: expect.any(String), name: 'ug-team', description: 'The team', selected: true, default: false },
      ]);
      const others = await admin.get('/api/users/groups', { login: 'ug-fay', selected: 'deselected' }).expect(200);
      expect(others.body.groups.map((g: { name: string }) => g.name)).toContain('sonar-administrators');
      expect(others.body.groups.every((g: { selected: boolean }) => !g.selected)).toBe(true);
      const all = await scriptCall(s, 'get', '/api/users/groups?login=ug-fay&selected=all&q=ug-').expect(200);
      expect(all.body.groups).toEqual([expect.objectContaining({ name: 'ug-team', selected: true })]);
    });

    it('answers 404 for an unknown or deactivated user', async () => {
      expect((await admin.get('/api/users/groups', { login: 'ghost' }).expect(404)).body).toEqual({
        errors: [{ msg: 'Unknown user: ghost' }],
      });
      await createLocalUser(admin, 'ug-gone');
      await admin.post('/api/users/deactivate', { login: 'ug-gone' }).expect(200);
      await admin.get('/api/users/groups', { login: 'ug-gone' }).expect(404);
    });
  });

  describe('api/users/change_password', () => {
    it("sets another user's password as an admin, and ends that user's sessions", async () => {
      await createLocalUser(admin, 'pw-gus', 'Gus-Password-123');
      const gusSession = await signIn(s, 'pw-gus', 'Gus-Password-123');
      await scriptCall(s, 'post', '/api/users/change_password?login=pw-gus&password=Gus-New-Password-1').expect(204);
      await webApi(s, { cookie: gusSession }).get('/api/users/search').expect(401);
      await webApi(s).post('/api/authentication/login', { login: 'pw-gus', password: 'Gus-Password-123' }).expect(401);
      await signIn(s, 'pw-gus', 'Gus-New-Password-1');
    });

    it("needs one's own previous password, which must be right and differ from the new one", async () => {
      const session = await signIn(s, 'admin', ADMIN_PASSWORD);
      const me = webApi(s, { cookie: session });
      const noPrevious = await me.post('/api/users/change_password', { login: 'admin', password: 'Another-Pass-123' });
      expect(noPrevious.status).toBe(400);
      expect(noPrevious.body).toEqual({ errors: [{ msg: "The 'previousPassword' parameter is missing" }] });
      const wrong = await me
        .post('/api/users/change_password', {
          login: 'admin',
          password: 'Another-Pass-123',
          previousPassword: 'Not-the-password-1',
        })
        .expect(400);
      expect(wrong.body).toEqual({ errors: [{ msg: 'Incorrect password' }] });
      const same = await me
        .post('/api/users/change_password', {
          login: 'admin',
          password: ADMIN_PASSWORD,
          previousPassword: ADMIN_PASSWORD,
        })
        .expect(400);
      expect(same.body).toEqual({ errors: [{ msg: 'Password must be different from old password' }] });

      const changed = await me
        .post('/api/users/change_password', {
          login: 'admin',
          password: 'Another-Pass-123',
          previousPassword: ADMIN_PASSWORD,
        })
        .expect(204);
      // The old session ended; the answer carries a new one, so the admin page stays signed in.
      await me.get('/api/users/search').expect(401);
      const renewed = String(changed.headers['set-cookie']).split(';')[0];
      await webApi(s, { cookie: renewed }).get('/api/users/search').expect(200);
      await signIn(s, 'admin', 'Another-Pass-123');
      await me.post('/api/authentication/logout');
      await webApi(s, { cookie: renewed })
        .post('/api/users/change_password', {
          login: 'admin',
          password: ADMIN_PASSWORD,
          previousPassword: 'Another-Pass-123',
        })
        .expect(204);
    });

    it('refuses accounts without a password, unknown users and weak passwords', async () => {
      await admin.postJson('/api/users/create', { login: 'pw-saml', name: 'Saml', local: false }).expect(200);
      const external = await admin
        .post('/api/users/change_password', { login: 'pw-saml', password: 'Some-Password-123' })
        .expect(400);
      expect(external.body).toEqual({
        errors: [{ msg: 'Password cannot be changed when external authentication is used' }],
      });
      // The account itself asking, with its own token: the same answer, not a password check.
      await admin.post('/api/permissions/add_user', { login: 'pw-saml', permission: 'admin' }).expect(204);
      const samlToken = (await admin.post('/api/user_tokens/generate', { name: 'own', login: 'pw-saml' }).expect(200))
        .body.token as string;
      const self = await webApi(s, { bearer: samlToken })
        .post('/api/users/change_password', {
          login: 'pw-saml',
          password: 'Some-Password-123',
          previousPassword: 'Anything-at-all-1',
        })
        .expect(400);
      expect(self.body).toEqual({
        errors: [{ msg: 'Password cannot be changed when external authentication is used' }],
      });
      await admin.post('/api/permissions/remove_user', { login: 'pw-saml', permission: 'admin' }).expect(204);
      const unknown = await admin
        .post('/api/users/change_password', { login: 'ghost', password: 'Some-Password-123' })
        .expect(404);
      expect(unknown.body).toEqual({ errors: [{ msg: "User with login 'ghost' has not been found" }] });
      const weak = await admin.post('/api/users/change_password', { login: 'pw-gus', password: 'short' }).expect(400);
      expect(weak.body.errors[0].msg).toBe('Password must be at least 12 characters long');
      const missing = await admin.post('/api/users/change_password', { login: 'pw-gus' }).expect(400);
      expect(missing.body.errors).toContainEqual({ msg: "The 'password' parameter is missing", field: 'password' });
      // Nothing changed by the refusals.
      await signIn(s, 'pw-gus', 'Gus-New-Password-1');
    });
  });

  describe('api/users/update_identity_provider', () => {
    it('moves a local account to SAML once SAML is enabled; its password stops working', async () => {
      await createLocalUser(admin, 'idp-hal', 'Hal-Password-123');
      const saml = s.app.get(SamlSettingsService);
      await saml.set('sonar.auth.saml.enabled', false);
      const noProvider = await admin
        .post('/api/users/update_identity_provider', { login: 'idp-hal', newExternalProvider: 'saml' })
        .expect(400);
      expect(noProvider.body).toEqual({
        errors: [{ msg: "Value of parameter 'newExternalProvider' (saml) must be one of: []" }],
      });
      await saml.set('sonar.auth.saml.enabled', true);
      const github = await admin
        .post('/api/users/update_identity_provider', { login: 'idp-hal', newExternalProvider: 'github' })
        .expect(400);
      expect(github.body.errors[0].msg).toBe(
        "Value of parameter 'newExternalProvider' (github) must be one of: [saml]",
      );
      expect((await searchOne('idp-hal')).managed).toBe(false);

      await scriptCall(
        s,
        'post',
        '/api/users/update_identity_provider?login=idp-hal&newExternalProvider=saml&newExternalIdentity=hal%40contoso.com',
      ).expect(204);
      expect(await searchOne('idp-hal')).toMatchObject({
        local: false,
        externalProvider: 'saml',
        externalIdentity: 'hal@contoso.com',
      });
      await webApi(s).post('/api/authentication/login', { login: 'idp-hal', password: 'Hal-Password-123' }).expect(401);
    });

    it('keeps the identity when none is given, and refuses taken identities and unknown users', async () => {
      await admin.postJson('/api/users/create', { login: 'idp-ivy', name: 'Ivy', local: false }).expect(200);
      await admin.post('/api/users/update_identity_provider', { login: 'idp-ivy', newExternalProvider: 'saml' });
      expect((await searchOne('idp-ivy')).externalIdentity).toBe('idp-ivy');
      const taken = await admin
        .post('/api/users/update_identity_provider', {
          login: 'idp-ivy',
          newExternalProvider: 'saml',
          newExternalIdentity: 'HAL@contoso.com',
        })
        .expect(400);
      expect(taken.body.errors[0].msg).toBe("A user with external login 'HAL@contoso.com' already exists");
      expect((await searchOne('idp-ivy')).externalIdentity).toBe('idp-ivy');
      const unknown = await admin
        .post('/api/users/update_identity_provider', { login: 'ghost', newExternalProvider: 'saml' })
        .expect(404);
      expect(unknown.body).toEqual({ errors: [{ msg: "User 'ghost' doesn't exist" }] });
      const missing = await admin.post('/api/users/update_identity_provider', { login: 'idp-ivy' }).expect(400);
      expect(missing.body.errors).toContainEqual({
        msg: "The 'newExternalProvider' parameter is missing",
        field: 'newExternalProvider',
      });
    });
  });

  describe('api/permissions/users and api/permissions/groups', () => {
    it('list who holds global permissions directly, or every match of a query', async () => {
      await createLocalUser(admin, 'perm-pia');
      await createLocalUser(admin, 'perm-quin');
      await admin.post('/api/permissions/add_user', { login: 'perm-pia', permission: 'admin' }).expect(204);
      await admin.post('/api/user_groups/create', { name: 'perm-ops' }).expect(200);
      await admin.post('/api/permissions/add_group', { groupName: 'perm-ops', permission: 'admin' }).expect(204);

      const holders = await admin.get('/api/permissions/users').expect(200);
      expect(holders.body.users).toEqual([
        { login: 'perm-pia', name: 'perm-pia', email: null, permissions: ['admin'], managed: false },
      ]);
      const matches = await scriptCall(s, 'get', '/api/permissions/users?q=perm-').expect(200);
      expect(matches.body.users.map((u: { login: string; permissions: string[] }) => [u.login, u.permissions])).toEqual(
        [
          ['perm-pia', ['admin']],
          ['perm-quin', []],
        ],
      );
      const groups = await admin.get('/api/permissions/groups', { permission: 'admin' }).expect(200);
      expect(groups.body.groups.map((g: { name: string }) => g.name)).toEqual(['perm-ops', 'sonar-administrators']);
      expect(groups.body.paging).toEqual({ pageIndex: 1, pageSize: 20, total: 2 });
      const unknown = await admin.get('/api/permissions/groups', { permission: 'scan' }).expect(400);
      expect(unknown.body.errors[0].msg).toBe("The 'permission' parameter must be one of: admin");
    });
  });

  describe('api/users/anonymize and reactivation', () => {
    it('anonymizes a deactivated user only', async () => {
      await createLocalUser(admin, 'an-jo');
      await admin.post('/api/users/update', { login: 'an-jo', email: 'jo@example.com' }).expect(200);
      const active = await admin.post('/api/users/anonymize', { login: 'an-jo' }).expect(400);
      expect(active.body).toEqual({ errors: [{ msg: "User 'an-jo' is not deactivated" }] });
      await admin.post('/api/users/deactivate', { login: 'an-jo' }).expect(200);
      await scriptCall(s, 'post', '/api/users/anonymize?login=an-jo').expect(204);
      expect((await admin.get('/api/users/search', { q: 'an-jo', deactivated: true }).expect(200)).body.users).toEqual(
        [],
      );
      const removed = (await admin.get('/api/users/search', { q: 'sq-removed-', deactivated: true }).expect(200)).body
        .users;
      expect(removed).toHaveLength(1);
      expect(removed[0].login).toMatch(/^sq-removed-[A-Za-z0-9]{6}$/);
      expect(removed[0]).toMatchObject({ name: removed[0].login, email: null, local: true, externalIdentity: null });
      const unknown = await admin.post('/api/users/anonymize', { login: 'an-jo' }).expect(404);
      expect(unknown.body).toEqual({ errors: [{ msg: "User 'an-jo' doesn't exist" }] });
    });

    it('reactivates a deactivated login created again, as the product does', async () => {
      await createLocalUser(admin, 're-kim', 'Kim-Password-123');
      await admin.post('/api/users/deactivate', { login: 're-kim' }).expect(200);
      const again = await admin
        .post('/api/users/create', { login: 're-kim', name: 'Kim Again', password: 'Kim-New-Password-1' })
        .expect(200);
      expect(again.body.user).toMatchObject({ login: 're-kim', name: 'Kim Again', active: true, local: true });
      expect((await searchOne('re-kim')).groups).toEqual(['sonar-users']);
      await signIn(s, 're-kim', 'Kim-New-Password-1');
      const active = await admin
        .post('/api/users/create', { login: 're-kim', name: 'Kim', password: 'Kim-New-Password-2' })
        .expect(400);
      expect(active.body.errors[0].msg).toBe("A user with login 're-kim' already exists");
    });
  });
});

describe.each(testDialects())('Web API: user accounts on an externally managed instance (%s)', (dialect) => {
  let s: ScimTestServer;
  let admin: WebApiClient;

  beforeAll(async () => {
    s = await startScimServer(dialect, { withoutScimMode: true });
    admin = webApi(s, { bearer: s.token });
    await createLocalUser(admin, 'local-lou', 'Lou-Password-123');
    await admin.post('/api/scim_management/enable').expect(204);
    const alice = await s.post('/Users', { schemas: [USER_SCHEMA], userName: 'alice@contoso.com', active: true });
    expect(alice.status).toBe(201);
    const carol = await s.post('/Users', { schemas: [USER_SCHEMA], userName: 'carol@contoso.com', active: true });
    await s.patch(`/Users/${carol.body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
  });
  afterAll(() => s.close());

  it('says which users are managed, with their groups', async () => {
    const users = (await admin.get('/api/users/search', { q: 'alice' }).expect(200)).body.users;
    expect(users).toEqual([
      expect.objectContaining({ login: 'alice@contoso.com', managed: true, groups: ['sonar-users'] }),
    ]);
    const members = await admin.get('/api/user_groups/users', { name: 'sonar-users', q: 'alice' }).expect(200);
    expect(members.body.users).toEqual([expect.objectContaining({ login: 'alice@contoso.com', managed: true })]);
  });

  it('lets the admin grant a permission to a managed user and see it', async () => {
    await admin.post('/api/permissions/add_user', { login: 'alice@contoso.com', permission: 'admin' }).expect(204);
    const holders = await admin.get('/api/permissions/users', { permission: 'admin' }).expect(200);
    expect(holders.body.users).toContainEqual(
      expect.objectContaining({ login: 'alice@contoso.com', permissions: ['admin'], managed: true }),
    );
    await admin.post('/api/permissions/remove_user', { login: 'alice@contoso.com', permission: 'admin' }).expect(204);
  });

  it('refuses what the identity provider owns, and changes nothing', async () => {
    expect(
      (await admin.post('/api/users/update_identity_provider', { login: 'local-lou', newExternalProvider: 'saml' }))
        .body,
    ).toEqual(MANAGED);
    const carol = await admin.post('/api/users/anonymize', { login: 'carol@contoso.com' }).expect(400);
    expect(carol.body).toEqual(MANAGED);
    const still = (await admin.get('/api/users/search', { q: 'carol', deactivated: true }).expect(200)).body.users;
    expect(still).toEqual([expect.objectContaining({ login: 'carol@contoso.com', managed: true })]);
    const create = await admin
      .post('/api/users/create', { login: 'newbie', name: 'New', password: 'Newbie-Password-1' })
      .expect(400);
    expect(create.body).toEqual(MANAGED);
    expect((await admin.get('/api/users/search', { q: 'local-lou' })).body.users[0].local).toBe(true);
  });

  it('still lets the admin set a local password and anonymize a deactivated local user', async () => {
    await admin.post('/api/users/change_password', { login: 'local-lou', password: 'Lou-New-Password-1' }).expect(204);
    await signIn(s, 'local-lou', 'Lou-New-Password-1');
    await admin.post('/api/users/deactivate', { login: 'local-lou' }).expect(200);
    await admin.post('/api/users/anonymize', { login: 'local-lou' }).expect(204);
    expect((await admin.get('/api/users/search', { q: 'local-lou', deactivated: true })).body.users).toEqual([]);
  });
});
