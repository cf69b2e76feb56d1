import { randomUUID } from 'node:crypto';
import { inTransaction } from '@nest-scim/persistence';
import { openScratchDataSource, testDialects } from '@nest-scim/persistence/testing';
import { IDENTITY_ENTITIES } from './identity.entities';
import { GroupEntity } from './group.entity';
import { GroupMembershipEntity } from './group-membership.entity';
import { GroupPermissionEntity } from './group-permission.entity';
import { createIdentityServices, IdentityTestDatabase, openIdentityTestDatabase, domainRuleRejection } from './testing';
import { UserEntity } from './user.entity';

describe.each(testDialects())('GroupsService (%s)', (dialect) => {
  let db: IdentityTestDatabase;

  beforeAll(async () => {
    db = await openIdentityTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.close();
  });

  describe('built-in groups', () => {
    it('are created once, however often and however concurrently ensureBuiltIns() runs', async () => {
      const again = await Promise.all(Array.from({ length: 5 }, () => db.groups.ensureBuiltIns()));
      const groups = await db.dataSource.getRepository(GroupEntity).find({ order: { name: 'ASC' } });
      expect(groups.map((g) => [g.name, g.builtIn])).toEqual([
        ['administrators', 'administrators'],
        ['users', 'default'],
      ]);
      expect(new Set(again.map((b) => b.defaultGroup.id)).size).toBe(1);
    });

    it('give admin to the administrators group', async () => {
      const admins = await db.groups.administratorsGroup();
      const held = await db.dataSource.getRepository(GroupPermissionEntity).findBy({ groupId: admins.id });
      expect(held.map((p) => p.permission)).toEqual(['admin']);
    });

    it.each([
      ['users', "Default group 'users' cannot be used to perform this action"],
      ['administrators', "Built-in group 'administrators' cannot be used to perform this action"],
    ])('%s cannot be renamed or deleted', async (name, message) => {
      const group = (await db.groups.findByName(name))!;
      const rename = await domainRuleRejection(db.groups.update(group.id, { name: 'renamed' }));
      expect(rename).toMatchObject({ code: 'built_in_group', message });
      const remove = await domainRuleRejection(db.groups.delete(group.id));
      expect(remove).toMatchObject({ code: 'built_in_group', message });
      expect((await db.groups.findById(group.id))?.name).toBe(name);
      // A description is not part of what makes it built in.
      expect((await db.groups.update(group.id, { description: 'Everyone' })).description).toBe('Everyone');
    });

    it('the administrators group keeps its admin permission', async () => {
      const admins = await db.groups.administratorsGroup();
      const error = await domainRuleRejection(db.permissions.removeGroupPermission(admins.id, 'admin'));
      expect(error.code).toBe('built_in_group');
    });

    it('take configured names, and a new default group enrols the users who already exist', async () => {
      // Users written before the built-ins exist (an upgrade): the first ensureBuiltIns() enrols the active ones.
      const scratch = await openScratchDataSource(dialect, IDENTITY_ENTITIES);
      try {
        const now = new Date();
        const rows = ['u1', 'u2', 'u3'].map((login, i) => ({
          id: randomUUID(),
          login,
          loginNormalized: login,
          name: login,
          email: null,
          active: i < 2,
          local: true,
          externalLogin: null,
          externalLoginNormalized: null,
          externalProvider: null,
          managed: false,
          createdAt: now,
          updatedAt: now,
        }));
        await scratch.dataSource.getRepository(UserEntity).insert(rows);
        const services = createIdentityServices(scratch.dataSource, {
          defaultGroupName: 'everyone-here',
          administratorsGroupName: 'admins',
        });
        const { defaultGroup, administratorsGroup } = await services.groups.ensureBuiltIns();
        expect([defaultGroup.name, administratorsGroup.name]).toEqual(['everyone-here', 'admins']);
        const members = await scratch.dataSource
          .getRepository(GroupMembershipEntity)
          .findBy({ groupId: defaultGroup.id });
        expect(members.map((m) => m.userId).sort()).toEqual([rows[0].id, rows[1].id].sort());
        const error = await domainRuleRejection(services.groups.delete(defaultGroup.id));
        expect(error.message).toBe("Default group 'everyone-here' cannot be used to perform this action");
      } finally {
        await scratch.close();
      }
    });
  });

  describe('local groups', () => {
    it('have names unique case-insensitively', async () => {
      const devs = await db.groups.create({ name: 'Developers', description: 'People who write code' });
      expect(devs).toMatchObject({
        name: 'Developers',
        description: 'People who write code',
        builtIn: null,
        managed: false,
      });
      for (const name of ['developers', 'DEVELOPERS', 'Ｄevelopers']) {
        expect(await domainRuleRejection(db.groups.create({ name }))).toMatchObject({
          code: 'conflict',
          message: `Group '${name}' already exists`,
        });
      }
      expect((await domainRuleRejection(db.groups.create({ name: 'USERS' }))).code).toBe('conflict');
    });

    it("leave a caller's transaction usable after a name the unique index refused", async () => {
      await db.groups.create({ name: 'taken-in-tx' });
      const created = await inTransaction(db.dataSource, async (m) => {
        expect(await domainRuleRejection(db.groups.create({ name: 'TAKEN-in-tx' }, m))).toMatchObject({
          code: 'conflict',
          message: "Group 'TAKEN-in-tx' already exists",
        });
        return db.groups.create({ name: 'free-in-tx' }, m);
      });
      expect((await db.groups.findById(created.id))?.name).toBe('free-in-tx');
    });

    it('refuse the reserved name Anyone and malformed names', async () => {
      expect((await domainRuleRejection(db.groups.create({ name: 'anyone' }))).message).toBe(
        'Anyone group cannot be used',
      );
      expect((await domainRuleRejection(db.groups.create({ name: ' padded' }))).message).toBe(
        'Group name must not start or end with whitespace',
      );
      expect((await domainRuleRejection(db.groups.create({ name: 'x', description: 'd'.repeat(201) }))).message).toBe(
        'Description is too long (200 characters max)',
      );
    });

    it('can be renamed, to a free name only', async () => {
      const qa = await db.groups.create({ name: 'qa' });
      await db.groups.create({ name: 'ops' });
      expect((await db.groups.update(qa.id, { name: 'Quality' })).name).toBe('Quality');
      expect((await db.groups.update(qa.id, { name: 'QUALITY' })).name).toBe('QUALITY');
      expect((await domainRuleRejection(db.groups.update(qa.id, { name: 'Ops' }))).code).toBe('conflict');
    });

    it('are deleted with their memberships and permissions', async () => {
      const user = await db.users.create({ login: 'del.member', local: false });
      const group = await db.groups.create({ name: 'to-delete' });
      await db.membership.addMembers(group.id, [user.id]);
      // Someone else stays an administrator, so the group holding `admin` may go.
      const admin = await db.users.create({ login: 'del.admin', local: true });
      await db.permissions.addUserPermission(admin.id, 'admin');
      await db.permissions.addGroupPermission(group.id, 'admin');
      await db.groups.delete(group.id);
      expect(await db.groups.findById(group.id)).toBeNull();
      expect(await db.dataSource.getRepository(GroupMembershipEntity).countBy({ groupId: group.id })).toBe(0);
      expect(await db.permissions.groupPermissions(group.id)).toEqual([]);
      expect((await db.users.findById(user.id))?.active).toBe(true);
    });

    it('search by name, in SQL, with managed flags and member counts', async () => {
      const a = await db.groups.create({ name: 'search-alpha' });
      const b = await db.groups.create({ name: 'search-beta' });
      await db.groups.create({ name: 'search_gamma' });
      const u1 = await db.users.create({ login: 'gs1', local: false });
      const u2 = await db.users.create({ login: 'gs2', local: false });
      await db.membership.addMembers(a.id, [u1.id, u2.id]);
      await db.dataSource.getRepository(GroupEntity).update({ id: b.id }, { managed: true });

      const all = await db.groups.search({ query: 'SEARCH' });
      expect(all.items.map((g) => [g.name, g.membersCount, g.managed])).toEqual([
        ['search-alpha', 2, false],
        ['search-beta', 0, true],
        ['search_gamma', 0, false],
      ]);
      expect((await db.groups.search({ query: 'search_' })).items.map((g) => g.name)).toEqual(['search_gamma']);
      expect((await db.groups.search({ query: 'search', managed: true })).items.map((g) => g.name)).toEqual([
        'search-beta',
      ]);
      const paged = await db.groups.search({ query: 'search', managed: false, pageSize: 1, page: 2 });
      expect([paged.total, paged.items.map((g) => g.name)]).toEqual([2, ['search_gamma']]);
    });
  });
});
