import type { EntityManager } from 'typeorm';
import { inTransaction } from '@nest-scim/persistence';
import { testDialects } from '@nest-scim/persistence/testing';
import { GroupEntity, LAST_ADMIN_MESSAGES, UserEntity } from '@nest-scim/identity';
import { domainRuleRejection, IdentityTestDatabase, openIdentityTestDatabase } from '@nest-scim/identity/testing';
import { IdentityDirectoryAdapter } from './identity-directory.adapter';

type AdapterTestDatabase = IdentityTestDatabase & { directory: IdentityDirectoryAdapter };

/** Identity's services over a scratch database, with the adapter over them. */
async function openAdapterTestDatabase(dialect: Parameters<typeof openIdentityTestDatabase>[0]) {
  const db = await openIdentityTestDatabase(dialect);
  return {
    ...db,
    directory: new IdentityDirectoryAdapter(db.permissions, db.events, db.dataSource),
  } as AdapterTestDatabase;
}

/** Identity's own rules behind the directory port (the port's contract runs in the provisioning lib). */
describe.each(testDialects())('IdentityDirectoryAdapter (%s)', (dialect) => {
  let db: AdapterTestDatabase;
  const tx = <T>(work: (m: EntityManager) => Promise<T>) => inTransaction(db.dataSource, work);
  const row = async (id: string) => (await db.dataSource.manager.findOneBy(UserEntity, { id }))!;
  const input = (userName: string, active = true) => ({
    userName,
    displayName: `Name ${userName}`,
    email: null,
    active,
  });

  beforeAll(async () => {
    db = await openAdapterTestDatabase(dialect);
    // An administrator other than the users below, so the last-administrator rule does not get in the way.
    const admin = await db.users.create({ login: 'root-admin', local: true });
    await db.permissions.addUserPermission(admin.id, 'admin');
  });
  afterAll(() => db.close());

  // On a database of one's own (`lone`), for the last-administrator rules: a user or group the adapter creates (its
  // product id), work on a group locked in a transaction, a user's deactivation and whether it is active.
  const createUserIn = async (lone: AdapterTestDatabase, userName: string) => {
    const created = await inTransaction(lone.dataSource, (m) => lone.directory.createUser(m, input(userName)));
    if (created.outcome !== 'created') throw new Error('not created');
    return created.user.id;
  };
  const createGroupIn = (lone: AdapterTestDatabase, displayName: string) =>
    inTransaction(lone.dataSource, (m) => lone.directory.createGroup(m, { displayName }));
  const inGroupOf =
    (lone: AdapterTestDatabase, groupId: string) =>
    (work: (m: EntityManager, handle: { id: string }) => Promise<unknown>) =>
      inTransaction(lone.dataSource, async (m) => work(m, await lone.directory.lockGroup(m, groupId)));
  const deactivateIn = (lone: AdapterTestDatabase, id: string) =>
    inTransaction(lone.dataSource, async (m) => lone.directory.deactivateUser(m, await lone.directory.lockUser(m, id)));
  const activeIn = async (lone: AdapterTestDatabase, id: string) =>
    (await lone.dataSource.manager.findOneBy(UserEntity, { id }))!.active;

  it('refuses to create a user whom an admin-granting default group would make an administrator, writing nothing', async () => {
    const defaultGroup = (await db.groups.defaultGroup()).id;
    await db.permissions.addGroupPermission(defaultGroup, 'admin');
    try {
      await expect(tx((m) => db.directory.createUser(m, input('mallory@corp.example')))).rejects.toThrow(
        "Administrator 'mallory@corp.example' cannot be managed by the identity provider",
      );
      expect(await db.dataSource.manager.countBy(UserEntity, { login: 'mallory@corp.example' })).toBe(0);
    } finally {
      await db.permissions.removeGroupPermission(defaultGroup, 'admin');
    }
  });

  it('creates managed external accounts in the default group, the external login following the login', async () => {
    const result = await tx((m) => db.directory.createUser(m, input('carol@corp.example')));
    if (result.outcome !== 'created') throw new Error('not created');
    expect(await row(result.user.id)).toMatchObject({
      login: 'carol@corp.example',
      local: false,
      externalLogin: 'carol@corp.example',
      externalProvider: 'saml',
      managed: true,
    });
    expect(await db.membership.isMember((await db.groups.defaultGroup()).id, result.user.id)).toBe(true);
    expect(await db.users.findById(result.user.id)).toMatchObject({ managed: true });
  });

  it('finds a just-in-time account by its external login and adopts it; never a local account or an admin', async () => {
    const jit = await db.users.create({ login: 'dan', local: false, externalLogin: 'Dan@Corp.example' });
    const found = await tx((m) => db.directory.createUser(m, input('dan@corp.example')));
    expect(found).toEqual({ outcome: 'existing', existing: expect.objectContaining({ id: jit.id }) });
    await tx((m) => db.directory.adoptUser(m, jit.id, input('dan@corp.example')));
    expect(await row(jit.id)).toMatchObject({ login: 'dan@corp.example', managed: true, active: true });

    const local = await db.users.create({ login: 'eve', local: true });
    expect(await domainRuleRejection(tx((m) => db.directory.adoptUser(m, local.id, input('eve'))))).toMatchObject({
      code: 'conflict',
    });
    const admin = await db.users.create({ login: 'fay', local: false });
    await db.permissions.addUserPermission(admin.id, 'admin');
    expect(await domainRuleRejection(tx((m) => db.directory.adoptUser(m, admin.id, input('fay'))))).toMatchObject({
      code: 'conflict',
    });
    expect((await row(local.id)).managed).toBe(false);
    expect((await row(admin.id)).managed).toBe(false);
    // Adopted once, it cannot be adopted again.
    expect(await domainRuleRejection(tx((m) => db.directory.adoptUser(m, jit.id, input('dan'))))).toMatchObject({
      code: 'conflict',
    });
  });

  it('changes only the accounts it manages, whatever handle it is given', async () => {
    const local = await db.users.create({ login: 'gil', local: true });
    const handleOf = (m: EntityManager) => db.directory.lockUser(m, local.id);
    for (const change of [
      async (m: EntityManager) => db.directory.updateUser(m, await handleOf(m), { displayName: 'Taken over' }),
      async (m: EntityManager) => db.directory.deactivateUser(m, await handleOf(m)),
      async (m: EntityManager) => db.directory.deleteUser(m, await handleOf(m)),
    ]) {
      expect(await domainRuleRejection(tx(change))).toMatchObject({ code: 'not_found' });
    }
    expect(await row(local.id)).toMatchObject({ name: 'gil', active: true, managed: false });

    const defaultGroup = await db.groups.defaultGroup();
    const member = await tx((m) => db.directory.createUser(m, input('hal')));
    if (member.outcome !== 'created') throw new Error('not created');
    const refused = await domainRuleRejection(
      tx(async (m) =>
        db.directory.removeMembers(m, await db.directory.lockGroup(m, defaultGroup.id), [member.user.id]),
      ),
    );
    expect(refused.code).toBe('not_found');
    expect(await db.membership.isMember(defaultGroup.id, member.user.id)).toBe(true);
    const renamed = await domainRuleRejection(
      tx(async (m) => db.directory.renameGroup(m, await db.directory.lockGroup(m, defaultGroup.id), 'mine now')),
    );
    expect(renamed.code).toBe('not_found');
    expect((await db.groups.defaultGroup()).name).toBe(defaultGroup.name);
  });

  it('adds only managed users to a group', async () => {
    const group = await tx((m) => db.directory.createGroup(m, { displayName: 'ops-team' }));
    const local = await db.users.create({ login: 'ivy', local: true });
    const refused = await domainRuleRejection(
      tx(async (m) => db.directory.addMembers(m, await db.directory.lockGroup(m, group.id), [local.id])),
    );
    expect(refused.code).toBe('not_found');
    expect(await db.membership.isMember(group.id, local.id)).toBe(false);
  });

  it('ends tokens and sessions through the lifecycle listeners on deactivation and on deletion', async () => {
    const seen: string[] = [];
    const stop = db.events.register({ onUserDeactivated: async (userId) => void seen.push(userId) });
    try {
      const created = await tx((m) => db.directory.createUser(m, input('jan')));
      if (created.outcome !== 'created') throw new Error('not created');
      const id = created.user.id;
      await tx(async (m) => db.directory.deactivateUser(m, await db.directory.lockUser(m, id)));
      expect(seen).toEqual([id]);
      await tx(async (m) => db.directory.reactivateUser(m, await db.directory.lockUser(m, id)));
      expect(await db.membership.isMember((await db.groups.defaultGroup()).id, id)).toBe(true);
      await tx(async (m) => db.directory.deleteUser(m, await db.directory.lockUser(m, id)));
      expect(seen).toEqual([id, id]);
      // SCIM DELETE keeps the account, deactivated, without memberships, and no longer managed.
      expect(await row(id)).toMatchObject({ active: false, managed: false });
      expect(await db.membership.groupsOfUser(id)).toEqual([]);
    } finally {
      stop();
    }
  });

  it('keeps the last administrator', async () => {
    const lone = await openAdapterTestDatabase(dialect);
    try {
      const created = await inTransaction(lone.dataSource, (m) => lone.directory.createUser(m, input('kim')));
      if (created.outcome !== 'created') throw new Error('not created');
      const id = created.user.id;
      const group = await inTransaction(lone.dataSource, (m) => lone.directory.createGroup(m, { displayName: 'it' }));
      await inTransaction(lone.dataSource, async (m) =>
        lone.directory.addMembers(m, await lone.directory.lockGroup(m, group.id), [id]),
      );
      // An admin granted `admin` to the managed group: its only member is the last administrator.
      await lone.permissions.addGroupPermission(group.id, 'admin');
      const lock = (m: EntityManager) => lone.directory.lockUser(m, id);
      const groupLock = (m: EntityManager) => lone.directory.lockGroup(m, group.id);
      const cases: [string, (m: EntityManager) => Promise<unknown>][] = [
        [LAST_ADMIN_MESSAGES.deactivate, async (m) => lone.directory.deactivateUser(m, await lock(m))],
        [LAST_ADMIN_MESSAGES.deactivate, async (m) => lone.directory.deleteUser(m, await lock(m))],
        [LAST_ADMIN_MESSAGES.removeMember, async (m) => lone.directory.removeMembers(m, await groupLock(m), [id])],
        [LAST_ADMIN_MESSAGES.removeMember, async (m) => lone.directory.replaceMembers(m, await groupLock(m), [])],
        [LAST_ADMIN_MESSAGES.deleteGroup, async (m) => lone.directory.deleteGroup(m, await groupLock(m))],
      ];
      for (const [message, change] of cases) {
        expect(await domainRuleRejection(inTransaction(lone.dataSource, change))).toMatchObject({
          code: 'last_admin',
          message,
        });
      }
      expect(await lone.permissions.isAdmin(id)).toBe(true);
    } finally {
      await lone.close();
    }
  });

  it('deactivates an administrator, direct or through a group, only while another active one remains', async () => {
    const lone = await openAdapterTestDatabase(dialect);
    try {
      const create = (userName: string) => createUserIn(lone, userName);
      const deactivate = (id: string) => deactivateIn(lone, id);
      const active = (id: string) => activeIn(lone, id);
      const direct = await create('kai');
      await lone.permissions.addUserPermission(direct, 'admin');
      expect(await domainRuleRejection(deactivate(direct))).toMatchObject({
        code: 'last_admin',
        message: LAST_ADMIN_MESSAGES.deactivate,
      });
      expect(await active(direct)).toBe(true);

      const viaGroup = await create('lou');
      const group = await createGroupIn(lone, 'ops');
      await inTransaction(lone.dataSource, async (m) =>
        lone.directory.addMembers(m, await lone.directory.lockGroup(m, group.id), [viaGroup]),
      );
      await lone.permissions.addGroupPermission(group.id, 'admin');
      // Two administrators: either may go, not both.
      await deactivate(direct);
      expect(await active(direct)).toBe(false);
      expect(await domainRuleRejection(deactivate(viaGroup))).toMatchObject({
        code: 'last_admin',
        message: LAST_ADMIN_MESSAGES.deactivate,
      });
      expect(await active(viaGroup)).toBe(true);
      // An inactive user deactivated again changes nothing and is no error.
      await deactivate(direct);
      expect(await active(direct)).toBe(false);
      expect(await lone.permissions.isAdmin(viaGroup)).toBe(true);
    } finally {
      await lone.close();
    }
  });

  it('removes members of a group granting admin only while another active administrator remains', async () => {
    const lone = await openAdapterTestDatabase(dialect);
    try {
      const create = (userName: string) => createUserIn(lone, userName);
      const [ana, ben] = [await create('ana'), await create('ben')];
      const group = await createGroupIn(lone, 'ops');
      const inGroup = inGroupOf(lone, group.id);
      await inGroup((m, handle) => lone.directory.addMembers(m, handle, [ana, ben]));
      await lone.permissions.addGroupPermission(group.id, 'admin');
      expect(await inGroup((m, handle) => lone.directory.removeMembers(m, handle, [ana]))).toEqual([ana]);
      expect(await lone.membership.isMember(group.id, ana)).toBe(false);
      // Not a member: nothing removed, no error.
      expect(await inGroup((m, handle) => lone.directory.removeMembers(m, handle, [ana]))).toEqual([]);
      expect(
        await domainRuleRejection(inGroup((m, handle) => lone.directory.removeMembers(m, handle, [ben]))),
      ).toMatchObject({
        code: 'last_admin',
        message: LAST_ADMIN_MESSAGES.removeMember,
      });
      expect(await lone.membership.isMember(group.id, ben)).toBe(true);
    } finally {
      await lone.close();
    }
  });

  it('lets exactly one of two administrators go when both are deactivated, or removed from their group, at once', async () => {
    const lone = await openAdapterTestDatabase(dialect);
    try {
      const create = (userName: string) => createUserIn(lone, userName);
      const group = await createGroupIn(lone, 'ops');
      const inGroup = inGroupOf(lone, group.id);
      const oneRefused = (results: PromiseSettledResult<unknown>[], message: string) => {
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
        expect(refused.reason).toMatchObject({ code: 'last_admin', message });
      };
      const pair = [await create('eve'), await create('fay')];
      await inGroup((m, handle) => lone.directory.addMembers(m, handle, pair));
      await lone.permissions.addGroupPermission(group.id, 'admin');
      const removals = await Promise.allSettled(
        pair.map((id) => inGroup((m, handle) => lone.directory.removeMembers(m, handle, [id]))),
      );
      oneRefused(removals, LAST_ADMIN_MESSAGES.removeMember);
      const left: string[] = [];
      for (const id of pair) if (await lone.membership.isMember(group.id, id)) left.push(id);
      expect(left).toHaveLength(1);

      const other = pair.find((id) => id !== left[0])!;
      await inGroup((m, handle) => lone.directory.addMembers(m, handle, [other]));
      const deactivations = await Promise.allSettled(pair.map((id) => deactivateIn(lone, id)));
      oneRefused(deactivations, LAST_ADMIN_MESSAGES.deactivate);
      const active: string[] = [];
      for (const id of pair) if (await activeIn(lone, id)) active.push(id);
      expect(active).toHaveLength(1);
    } finally {
      await lone.close();
    }
  });

  it('adopts a local group of the name, as Entra spells it; never a built-in group, one holding admin, or a managed one', async () => {
    const local = await db.groups.create({ name: 'qa' });
    expect(await tx((m) => db.directory.findGroupByName(m, 'QA'))).toEqual({ id: local.id, displayName: 'qa' });
    expect(await tx((m) => db.directory.findGroupByName(m, 'nobody'))).toBeNull();
    const handle = await tx((m) => db.directory.adoptGroup(m, local.id, { displayName: 'QA' }));
    expect(handle.id).toBe(local.id);
    expect(await db.groups.findById(local.id)).toMatchObject({ name: 'QA', managed: true });
    const again = await domainRuleRejection(tx((m) => db.directory.adoptGroup(m, local.id, { displayName: 'QA' })));
    expect(again).toMatchObject({ code: 'conflict' });

    const builtIn = await db.groups.defaultGroup();
    expect(
      await domainRuleRejection(tx((m) => db.directory.adoptGroup(m, builtIn.id, { displayName: builtIn.name }))),
    ).toMatchObject({ code: 'conflict', message: 'This displayName belongs to a built-in group of the product' });
    const admins = await db.groups.create({ name: 'ops-admins' });
    await db.permissions.addGroupPermission(admins.id, 'admin');
    expect(
      await domainRuleRejection(tx((m) => db.directory.adoptGroup(m, admins.id, { displayName: 'ops-admins' }))),
    ).toMatchObject({ code: 'conflict', message: expect.stringMatching(/holds the Administer permission$/) });
    expect(await db.groups.findById(admins.id)).toMatchObject({ managed: false });
    expect(await db.groups.findById(builtIn.id)).toMatchObject({ managed: false });
  });

  it('releases everything it manages on the switch back to just-in-time, and resumes what is still linked', async () => {
    const group = await tx((m) => db.directory.createGroup(m, { displayName: 'released' }));
    const created = await tx((m) => db.directory.createUser(m, input('resumed@corp.example')));
    if (created.outcome !== 'created') throw new Error('not created');
    const local = await db.users.create({ login: 'stays-local', local: true });
    const builtIn = await db.groups.defaultGroup();
    await tx((m) => db.directory.releaseAll(m));
    expect(await db.dataSource.manager.countBy(UserEntity, { managed: true })).toBe(0);
    expect(await db.dataSource.manager.countBy(GroupEntity, { managed: true })).toBe(0);

    // Ids of a local account, a built-in group or no row at all are never made managed.
    await tx((m) =>
      db.directory.resumeAll(m, {
        users: [created.user.id, local.id, 'no-such-user'],
        groups: [group.id, builtIn.id],
      }),
    );
    expect((await row(created.user.id)).managed).toBe(true);
    expect((await row(local.id)).managed).toBe(false);
    expect(await db.groups.findById(group.id)).toMatchObject({ managed: true });
    expect(await db.groups.findById(builtIn.id)).toMatchObject({ managed: false });
  });
});
