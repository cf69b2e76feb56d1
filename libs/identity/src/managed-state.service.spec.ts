import { inTransaction } from '@app/persistence';
import { testDialects } from '@app/persistence/testing';
import { GroupPermissionEntity } from './group-permission.entity';
import { ScimUserLinkEntity } from './scim-user-link.entity';
import { IdentityTestDatabase, openIdentityTestDatabase, domainRuleRejection } from './testing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(testDialects())('ManagedStateService (%s)', (dialect) => {
  let db: IdentityTestDatabase;

  beforeAll(async () => {
    db = await openIdentityTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('links a user under a SCIM id of its own, once', async () => {
    const user = await db.users.create({ login: 'linked', local: false });
    const scimId = await db.managedState.linkUser(user.id);
    expect(scimId).toMatch(UUID);
    expect(scimId).not.toBe(user.id);
    expect(await db.managedState.linkUser(user.id)).toBe(scimId);
    expect(await db.dataSource.getRepository(ScimUserLinkEntity).countBy({ userId: user.id })).toBe(1);
    expect((await db.users.findById(user.id))?.managed).toBe(true);
    const found = await db.managedState.findUserByScimId(scimId);
    expect(found).toMatchObject({ scimId, user: { id: user.id, login: 'linked', managed: true } });
  });

  it('never resolves an internal id, an upper-case SCIM id or junk', async () => {
    const user = await db.users.create({ login: 'lookup', local: false });
    const scimId = await db.managedState.linkUser(user.id);
    for (const id of [user.id, scimId.toUpperCase(), '0', '-1', '../', 'x'.repeat(10_000)]) {
      expect(await db.managedState.findUserByScimId(id)).toBeNull();
    }
  });

  it('refuses to hand a local account or an administrator to the identity provider', async () => {
    const local = await db.users.create({ login: 'local-person', local: true });
    expect((await domainRuleRejection(db.managedState.linkUser(local.id))).code).toBe('conflict');
    const admin = await db.users.create({ login: 'saml-admin', local: false });
    await db.permissions.addUserPermission(admin.id, 'admin');
    expect((await domainRuleRejection(db.managedState.linkUser(admin.id))).code).toBe('conflict');
    expect(await db.managedState.isUserManaged(local.id)).toBe(false);
    expect(await db.managedState.isUserManaged(admin.id)).toBe(false);
  });

  it('links a user created in the same transaction with the refusals of linkUser', async () => {
    const scimId = await inTransaction(db.dataSource, async (m) => {
      const user = await db.users.create({ login: 'new-linked', local: false }, m);
      return db.managedState.linkNewUser(user, m);
    });
    expect(scimId).toMatch(UUID);
    expect((await db.managedState.findUserByScimId(scimId))?.user).toMatchObject({
      login: 'new-linked',
      managed: true,
    });

    const local = await domainRuleRejection(
      inTransaction(db.dataSource, async (m) =>
        db.managedState.linkNewUser(await db.users.create({ login: 'new-local', local: true }, m), m),
      ),
    );
    expect(local).toMatchObject({
      code: 'conflict',
      message: "Local account 'new-local' cannot be managed by the identity provider",
    });
    expect(await db.users.findByLogin('new-local')).toBeNull();
  });

  it('refuses a new user who is an administrator through the default group', async () => {
    const defaultGroup = await db.groups.defaultGroup();
    await db.permissions.addGroupPermission(defaultGroup.id, 'admin');
    try {
      const refused = await domainRuleRejection(
        inTransaction(db.dataSource, async (m) =>
          db.managedState.linkNewUser(await db.users.create({ login: 'new-admin', local: false }, m), m),
        ),
      );
      expect(refused).toMatchObject({
        code: 'conflict',
        message: "Administrator 'new-admin' cannot be managed by the identity provider",
      });
    } finally {
      await db.dataSource.getRepository(GroupPermissionEntity).delete({ groupId: defaultGroup.id });
    }
  });

  it('links a group created in the same transaction, never a built-in one', async () => {
    const scimId = await inTransaction(db.dataSource, async (m) =>
      db.managedState.linkNewGroup(await db.groups.create({ name: 'new-linked-group' }, m), m),
    );
    expect((await db.managedState.findGroupByScimId(scimId))?.group).toMatchObject({
      name: 'new-linked-group',
      managed: true,
    });
    const builtIn = await domainRuleRejection(
      inTransaction(db.dataSource, async (m) => db.managedState.linkNewGroup(await db.groups.defaultGroup(m), m)),
    );
    expect(builtIn.code).toBe('built_in_group');
  });

  it('refuses to link built-in groups and groups holding permissions', async () => {
    for (const group of [await db.groups.defaultGroup(), await db.groups.administratorsGroup()]) {
      expect((await domainRuleRejection(db.managedState.linkGroup(group.id))).code).toBe('built_in_group');
    }
    const privileged = await db.groups.create({ name: 'privileged' });
    await db.permissions.addGroupPermission(privileged.id, 'admin');
    expect((await domainRuleRejection(db.managedState.linkGroup(privileged.id))).code).toBe('conflict');
  });

  it('maps between user ids and SCIM ids in both directions', async () => {
    const a = await db.users.create({ login: 'map-a', local: false });
    const b = await db.users.create({ login: 'map-b', local: false });
    const scimA = await db.managedState.linkUser(a.id);
    expect(await db.managedState.scimIdsOfUsers([a.id, b.id])).toEqual(new Map([[a.id, scimA]]));
    expect(await db.managedState.userIdsOfScimIds([scimA, 'unknown'])).toEqual(new Map([[scimA, a.id]]));
  });

  it('drops every link when provisioning is switched off, leaving users and groups in place', async () => {
    const user = await db.users.create({ login: 'dropped', local: false });
    const group = await db.groups.create({ name: 'dropped-group' });
    const scimUser = await db.managedState.linkUser(user.id);
    const scimGroup = await db.managedState.linkGroup(group.id);
    expect((await db.managedState.findGroupByScimId(scimGroup))?.group.id).toBe(group.id);

    await db.managedState.dropAllLinks();

    expect(await db.managedState.findUserByScimId(scimUser)).toBeNull();
    expect(await db.managedState.findGroupByScimId(scimGroup)).toBeNull();
    expect((await db.users.findById(user.id))?.managed).toBe(false);
    expect((await db.groups.findById(group.id))?.managed).toBe(false);
    expect((await db.users.search({ managed: true })).total).toBe(0);
  });
});
