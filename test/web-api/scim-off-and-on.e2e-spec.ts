import { SAML_NEEDED_BY_SCIM, SAML_SETTING_KEYS } from '@nest-scim/saml';
import { testDialects } from '@nest-scim/persistence/testing';
import { claimsOf, configureSaml, PUBLIC_URL, signInThroughIdp } from '../saml/saml-support';
import { TestIdentityProvider } from '../saml/test-identity-provider';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import { createGroup, createUser, expectScimError, patchOps, query } from '../support/scim-expectations';
import { createLocalUser, webApi, WebApiClient } from '../support/web-api-harness';

const MANAGED = { errors: [{ msg: 'Operation not allowed when the instance is externally managed.' }] };

type Resource = Record<string, any>;

/**
 * The admin's story across a switch off and back on: Entra provisions people and a group, the admin switches SCIM
 * off, edits them here, switches it back on, and Entra's next cycle finds every id it knows (never a 404, which
 * quarantines its job), reads what the admin changed, and is refused (412) a write based on what it read before.
 */
describe.each(testDialects())('SCIM switched off and back on (%s)', (dialect) => {
  let s: ScimTestServer;
  let admin: WebApiClient;
  const idp = new TestIdentityProvider();
  /** What Entra knows after its first cycle: its ids, and each resource as it read it. */
  const known: Record<string, Resource> = {};

  const signInAs = async (login: string) =>
    (await signInThroughIdp(s, idp, claimsOf(login, login), { accept: 'application/json' })).res.status;
  const scimGet = async (kind: 'Users' | 'Groups', id: string) => s.get(`/${kind}/${id}`);

  beforeAll(async () => {
    s = await startScimServer(dialect, { env: { PUBLIC_URL }, withoutScimMode: true });
    await configureSaml(s.app, idp);
    admin = webApi(s, { bearer: s.token });
    await createLocalUser(admin, 'bob-local');
    await admin.post('/api/scim_management/enable').expect(204);

    // Entra's first cycle: three people and a group holding them.
    for (const name of ['alice', 'bruno', 'carol']) {
      known[name] = await createUser(s, `${name}@contoso.com`, {
        displayName: `${name} (Entra)`,
        emails: [{ value: `${name}@contoso.com`, type: 'work', primary: true }],
      });
    }
    const group = await createGroup(s, 'Engineering', [known.alice.id, known.bruno.id, known.carol.id]);
    known.engineering = (await scimGet('Groups', group.id)).body;
    // Global permissions on an Entra group are the admin's, and not a SCIM attribute: the group's version stays.
    await admin.post('/api/permissions/add_group', { groupName: 'Engineering', permission: 'admin' }).expect(204);
    await admin.post('/api/permissions/remove_group', { groupName: 'Engineering', permission: 'admin' }).expect(204);
    expect((await scimGet('Groups', group.id)).body.meta.version).toBe(known.engineering.meta.version);
  });
  afterAll(() => s.close());

  it('while SCIM is on, a provisioned person signs in with SAML, and local accounts are read-only but for deactivation', async () => {
    expect(await signInAs('alice@contoso.com')).toBe(302);
    expect((await admin.post('/api/users/update', { login: 'bob-local', name: 'Bob B.' })).body).toEqual(MANAGED);
    expect((await admin.post('/api/users/update', { login: 'bob-local', email: 'b@contoso.com' })).body).toEqual(
      MANAGED,
    );
    const bob = (await admin.get('/api/users/search', { q: 'bob-local' }).expect(200)).body.users[0];
    expect(bob).toMatchObject({ name: 'bob-local', local: true });
  });

  it('while SCIM is on, SAML cannot be switched off or left incomplete, with the way out in the message', async () => {
    for (const [change, field] of [
      [admin.post('/api/settings/set', { key: SAML_SETTING_KEYS.enabled, value: 'false' }), SAML_SETTING_KEYS.enabled],
      [admin.post('/api/settings/reset', { keys: SAML_SETTING_KEYS.certificate }), SAML_SETTING_KEYS.certificate],
    ] as const) {
      const refused = await change;
      expect({ status: refused.status, body: refused.body }).toEqual({
        status: 400,
        body: { errors: [{ field, msg: SAML_NEEDED_BY_SCIM }] },
      });
    }
    expect(SAML_NEEDED_BY_SCIM).toMatch(/switch provisioning back to just-in-time first/);
    const enabled = await admin.get('/api/settings/values', { keys: SAML_SETTING_KEYS.enabled }).expect(200);
    expect(enabled.body.settings[0].value).toBe('true');
    // A change that keeps SAML complete is not refused.
    await admin.post('/api/settings/set', { key: SAML_SETTING_KEYS.providerName, value: 'Entra ID' }).expect(204);
  });

  it('the checks say what each direction does, with the links Entra keeps', async () => {
    const checks = (await admin.get('/api/scim_management/checks').expect(200)).body;
    expect(checks.counts).toMatchObject({ managedUsers: 3, linkedUsers: 3, managedGroups: 1, linkedGroups: 1 });
    expect(checks.consequences.disable[0]).toMatch(/^3 users and 1 group managed by Entra ID become editable here/);
    expect(checks.consequences.disable.join(' ')).toMatch(/links to Entra ID are kept/);
  });

  it('switched off: Entra is refused, the accounts are editable here, and SAML may be switched off', async () => {
    await admin.post('/api/scim_management/disable').expect(204);
    expectScimError(await scimGet('Users', known.alice.id), 403);
    const users = (await admin.get('/api/users/search', { q: 'contoso' }).expect(200)).body.users;
    expect(users.map((u: { managed: boolean }) => u.managed)).toEqual([false, false, false]);

    await admin
      .post('/api/users/update', { login: 'alice@contoso.com', name: 'Alice Liddell', email: 'liddell@contoso.com' })
      .expect(200);
    await admin.post('/api/users/deactivate', { login: 'carol@contoso.com' }).expect(200);
    await admin.post('/api/user_groups/update', { currentName: 'Engineering', name: 'Platform' }).expect(200);
    await admin.post('/api/user_groups/remove_user', { name: 'Platform', login: 'bruno@contoso.com' }).expect(204);
    await admin.post('/api/user_groups/add_user', { name: 'Platform', login: 'bob-local' }).expect(204);
    await admin.post('/api/users/update', { login: 'bob-local', name: 'Bob B.' }).expect(200);
    // Just in time again, a sign-in refreshes the account as usual.
    expect(await signInAs('bruno@contoso.com')).toBe(302);

    await admin.post('/api/settings/set', { key: SAML_SETTING_KEYS.enabled, value: 'false' }).expect(204);
    await admin.post('/api/settings/set', { key: SAML_SETTING_KEYS.enabled, value: 'true' }).expect(204);
    const checks = (await admin.get('/api/scim_management/checks').expect(200)).body;
    expect(checks.counts).toMatchObject({ managedUsers: 0, linkedUsers: 3, managedGroups: 0, linkedGroups: 1 });
    expect(checks.consequences.enable.join(' ')).toMatch(
      /3 users and 1 group that Entra ID provisioned before keep their SCIM ids/,
    );
  });

  it("switched back on: Entra's next cycle answers 200 for every id it knows, with what changed here", async () => {
    await admin.post('/api/scim_management/enable').expect(204);
    for (const [name, resource] of Object.entries(known)) {
      const kind = name === 'engineering' ? 'Groups' : 'Users';
      const res = await scimGet(kind, resource.id);
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
    }
    const alice = (await scimGet('Users', known.alice.id)).body;
    expect(alice).toMatchObject({
      userName: 'alice@contoso.com',
      displayName: 'Alice Liddell',
      emails: [{ value: 'liddell@contoso.com', type: 'work', primary: true }],
      active: true,
    });
    expect((await scimGet('Users', known.carol.id)).body.active).toBe(false);
    const group = (await scimGet('Groups', known.engineering.id)).body;
    expect(group.displayName).toBe('Platform');
    // A local account the admin added is no SCIM member; Bruno left.
    expect(group.members.map((m: { value: string }) => m.value)).toEqual([known.alice.id]);
    // Entra's look-ups by name find them under its ids.
    const found = await s.get(`/Users?${query('userName eq "alice@contoso.com"')}`).expect(200);
    expect(found.body.Resources.map((r: Resource) => r.id)).toEqual([known.alice.id]);
    // Managed again (Carol too, deactivated: the active ones are listed by default).
    const managed = (await admin.get('/api/users/search', { managed: true }).expect(200)).body.users;
    expect(managed.map((u: { login: string }) => u.login).sort()).toEqual(['alice@contoso.com', 'bruno@contoso.com']);
  });

  it('what the product changed moved the ETag: a write on the old one is 412, a fresh one goes through', async () => {
    // Bruno's name came from his just-in-time sign-in (the SAML display name claim) while SCIM was off.
    expect((await scimGet('Users', known.bruno.id)).body.displayName).toBe('bruno@contoso.com');
    for (const [name, kind] of [
      ['alice', 'Users'],
      ['bruno', 'Users'],
      ['carol', 'Users'],
      ['engineering', 'Groups'],
    ] as const) {
      const current = (await scimGet(kind, known[name].id)).body;
      expect({ name, moved: current.meta.version !== known[name].meta.version }).toEqual({ name, moved: true });
      const stale = await s
        .patch(`/${kind}/${known[name].id}`, patchOps({ op: 'replace', path: 'externalId', value: `x-${name}` }))
        .set('If-Match', known[name].meta.version);
      expectScimError(stale, 412);
    }
    // The local account Bob, renamed while SCIM was off, is no SCIM resource: nothing of it shows.
    const all = (await s.get('/Users').expect(200)).body.Resources.map((r: Resource) => r.userName);
    expect(all.sort()).toEqual(['alice@contoso.com', 'bruno@contoso.com', 'carol@contoso.com']);

    // Entra writes as on any cycle: Bruno back in the group, Carol enabled again, Alice renamed.
    const group = await s.patch(
      `/Groups/${known.engineering.id}`,
      patchOps({ op: 'add', path: 'members', value: [{ value: known.bruno.id }] }),
    );
    expect(group.status).toBe(204);
    await s.patch(`/Users/${known.carol.id}`, patchOps({ op: 'replace', path: 'active', value: true })).expect(200);
    await s
      .patch(`/Users/${known.alice.id}`, patchOps({ op: 'replace', path: 'displayName', value: 'Alice L.' }))
      .expect(200);
    const alice = (await admin.get('/api/users/search', { q: 'alice' }).expect(200)).body.users[0];
    expect(alice).toMatchObject({ name: 'Alice L.', email: 'liddell@contoso.com', managed: true, active: true });
  });

  it('a provisioned person who could sign in still can, and one never provisioned still cannot', async () => {
    expect(await signInAs('alice@contoso.com')).toBe(302);
    expect(await signInAs('carol@contoso.com')).toBe(302);
    expect(await signInAs('dora@contoso.com')).toBe(403);
  });

  it('a group the admin deleted while SCIM was off is gone for Entra too (its name free for Entra to create again)', async () => {
    const ops = await createGroup(s, 'Ops');
    await admin.post('/api/scim_management/disable').expect(204);
    await admin.post('/api/user_groups/delete', { name: 'Ops' }).expect(204);
    await admin.post('/api/scim_management/enable').expect(204);
    expectScimError(await scimGet('Groups', ops.id), 404);
    const again = await createGroup(s, 'Ops');
    expect(again.id).not.toBe(ops.id);
  });
});
