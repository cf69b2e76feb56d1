import { EntityManager } from 'typeorm';
import { inTransaction } from '@nest-scim/persistence';
import { testDialects } from '@nest-scim/persistence/testing';
import { DomainRuleError } from './domain-rule.error';
import { GroupEntity } from './group.entity';
import { GroupMembershipEntity } from './group-membership.entity';
import { openIdentityTestDatabase, IdentityTestDatabase, domainRuleRejection } from './testing';
import { UserEntity } from './user.entity';
import { UserPermissionEntity } from './user-permission.entity';

describe.each(testDialects())('UsersService (%s)', (dialect) => {
  let db: IdentityTestDatabase;

  beforeAll(async () => {
    db = await openIdentityTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.close();
  });

  describe('creating users', () => {
    it('creates an active user who is in the default group', async () => {
      const bob = await db.users.create({ login: 'bob', name: 'Bob Builder', email: 'bob@example.com', local: true });
      expect(bob).toMatchObject({ login: 'bob', name: 'Bob Builder', active: true, local: true, managed: false });
      expect(bob.externalLogin).toBeNull();
      const defaultGroup = await db.groups.defaultGroup();
      expect(await db.membership.isMember(defaultGroup.id, bob.id)).toBe(true);
      expect(defaultGroup.name).toBe('users');
    });

    it('gives an external account the SAML provider and its login as external login by default', async () => {
      const carol = await db.users.create({ login: 'carol@corp.example', local: false });
      expect(carol).toMatchObject({
        externalLogin: 'carol@corp.example',
        externalProvider: 'saml',
        name: 'carol@corp.example',
      });
      expect((await db.users.findByExternalLogin('CAROL@corp.example'))?.id).toBe(carol.id);
    });

    it('treats Alice, alice and fullwidth Ａｌｉｃｅ as one login', async () => {
      const alice = await db.users.create({ login: 'Alice', local: true });
      for (const login of ['alice', 'ALICE', 'Ａｌｉｃｅ']) {
        const error = await domainRuleRejection(db.users.create({ login, local: false }));
        expect(error.code).toBe('conflict');
        expect(error.message).toBe(`A user with login '${login}' already exists`);
      }
      expect((await db.users.findByLogin('aLiCe'))?.id).toBe(alice.id);
      expect((await db.users.findByLogin('Ａｌｉｃｅ'))?.id).toBe(alice.id);
      const rows = await db.dataSource.getRepository(UserEntity).findBy({ loginNormalized: 'alice' });
      expect(rows).toHaveLength(1);
    });

    it('lets the database refuse a duplicate that slipped past the check (two creations at once)', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => db.users.create({ login: 'racer', local: false })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
        expect(r.reason).toBeInstanceOf(DomainRuleError);
        expect((r.reason as DomainRuleError).code).toBe('conflict');
      }
    });

    it('refuses external logins that collide case-insensitively', async () => {
      await db.users.create({ login: 'dave', local: false, externalLogin: 'Dave@Corp.example' });
      const error = await domainRuleRejection(
        db.users.create({ login: 'dave2', local: false, externalLogin: 'dave@corp.EXAMPLE' }),
      );
      expect(error.message).toBe("A user with external login 'dave@corp.EXAMPLE' already exists");
    });

    it('refuses to create users when the built-in groups are missing', async () => {
      await expect(
        inTransaction(db.dataSource, async (m) => {
          const defaultGroup = await db.groups.defaultGroup(m);
          await m.delete(GroupMembershipEntity, { groupId: defaultGroup.id });
          await m.delete(GroupEntity, { id: defaultGroup.id });
          await db.users.create({ login: 'orphan', local: false }, m);
        }),
      ).rejects.toThrow('The built-in groups are missing: call GroupsService.ensureBuiltIns() at start');
      expect(await db.users.findByLogin('orphan')).toBeNull();
    });

    it.each([
      ['', 'Login must not be empty'],
      [' eve', 'Login must not start or end with whitespace'],
      ['eve ', 'Login must not start or end with whitespace'],
      ['eve\u3000', 'Login must not start or end with whitespace'],
      ['e\u200bve', 'Login must not contain control or invisible characters'],
      ['eve\u0000', 'Login must not contain control or invisible characters'],
      ['\ufeffeve', 'Login must not contain control or invisible characters'],
      ['e'.repeat(256), 'Login is too long (255 characters max)'],
    ])('refuses the login %j with a clear message', async (login, message) => {
      const error = await domainRuleRejection(db.users.create({ login, local: true }));
      expect(error).toMatchObject({ code: 'invalid', message });
    });

    it('refuses a malformed email and external settings on a local account', async () => {
      expect(
        (await domainRuleRejection(db.users.create({ login: 'frank', email: 'not-an-address', local: true }))).message,
      ).toBe("Email 'not-an-address' is not valid");
      expect(
        (await domainRuleRejection(db.users.create({ login: 'frank', local: true, externalProvider: 'saml' }))).message,
      ).toBe('A local account has no external login or provider');
    });
  });

  describe('finding a user by login or external login', () => {
    it('prefers the login, then the external login, case-insensitively, with the managed flag', async () => {
      const byLogin = await db.users.create({ login: 'quinn', local: false, externalLogin: 'q@corp.example' });
      const byExternal = await db.users.create({ login: 'quinn-sso', local: false, externalLogin: 'QUINN.X' });
      await db.users.create({ login: 'quinn.x', local: true });
      await db.dataSource.getRepository(UserEntity).update({ id: byExternal.id }, { managed: true });

      expect(await db.users.findByLoginOrExternalLogin('QUINN')).toMatchObject({ id: byLogin.id, managed: false });
      expect(await db.users.findByLoginOrExternalLogin('Q@corp.example')).toMatchObject({
        id: byLogin.id,
        managed: false,
      });
      // Login 'quinn.x' (a local account) and external login 'QUINN.X' (another user): the login wins, as it did.
      expect(await db.users.findByLoginOrExternalLogin('quinn.X')).toMatchObject({ login: 'quinn.x', local: true });
      expect(await db.users.findByLoginOrExternalLogin('QUINN-SSO')).toMatchObject({
        id: byExternal.id,
        managed: true,
      });
      expect(await db.users.findByLoginOrExternalLogin('nobody')).toBeNull();
    });
  });

  describe('renaming a login', () => {
    it('keeps the id, memberships and permissions, and frees the old login', async () => {
      const user = await db.users.create({ login: 'grace.old', local: false });
      const team = await db.groups.create({ name: 'team-grace' });
      await db.membership.addMembers(team.id, [user.id]);
      await db.permissions.addUserPermission(user.id, 'admin');

      const renamed = await db.users.update(user.id, { login: 'grace.new' });

      expect(renamed).toMatchObject({ id: user.id, login: 'grace.new' });
      expect(await db.membership.isMember(team.id, user.id)).toBe(true);
      expect(await db.permissions.isAdmin(user.id)).toBe(true);
      expect((await db.users.findByLogin('grace.new'))?.id).toBe(user.id);
      expect(await db.users.findByLogin('grace.old')).toBeNull();
      const other = await db.users.create({ login: 'grace.old', local: false, externalLogin: 'someone-else' });
      expect(other.id).not.toBe(user.id);
    });

    it('allows a change of case only, and refuses a login another user has', async () => {
      const user = await db.users.create({ login: 'heidi', local: true });
      expect((await db.users.update(user.id, { login: 'Heidi' })).login).toBe('Heidi');
      await db.users.create({ login: 'ivan', local: true });
      expect((await domainRuleRejection(db.users.update(user.id, { login: 'IVAN' }))).code).toBe('conflict');
      expect((await db.users.findById(user.id))?.login).toBe('Heidi');
    });
  });

  describe('searching', () => {
    beforeAll(async () => {
      await db.users.create({ login: 'search.one', name: 'Zoë Quantum', email: 'zq@lab.example', local: true });
      await db.users.create({ login: 'search.two', name: 'Percent 100%', email: null, local: true });
      await db.users.create({ login: 'search_three', name: 'Underscore', local: true });
    });

    it('matches login, name and email case-insensitively, in SQL', async () => {
      expect((await db.users.search({ query: 'QUANTUM' })).items.map((u) => u.login)).toEqual(['search.one']);
      expect((await db.users.search({ query: 'LAB.EXAMPLE' })).items.map((u) => u.login)).toEqual(['search.one']);
      expect((await db.users.search({ query: 'SEARCH.' })).items.map((u) => u.login)).toEqual([
        'search.one',
        'search.two',
      ]);
    });

    it('treats LIKE wildcards in the query as plain characters', async () => {
      expect((await db.users.search({ query: '100%' })).items.map((u) => u.login)).toEqual(['search.two']);
      expect((await db.users.search({ query: 'search_' })).items.map((u) => u.login)).toEqual(['search_three']);
      expect((await db.users.search({ query: '%' })).items.map((u) => u.login)).toEqual(['search.two']);
    });

    it('pages with a total, and filters on managed and active', async () => {
      const first = await db.users.search({ query: 'search', pageSize: 2, page: 1 });
      const second = await db.users.search({ query: 'search', pageSize: 2, page: 2 });
      expect(first.total).toBe(3);
      expect(first.items).toHaveLength(2);
      expect(second.items.map((u) => u.login)).toEqual(['search_three']);

      const managed = await db.users.create({ login: 'search.managed', local: false });
      await db.dataSource.getRepository(UserEntity).update({ id: managed.id }, { managed: true });
      const onlyManaged = await db.users.search({ query: 'search', managed: true });
      expect(onlyManaged.items.map((u) => [u.login, u.managed])).toEqual([['search.managed', true]]);
      const onlyLocal = await db.users.search({ query: 'search', managed: false });
      expect(onlyLocal.items.every((u) => !u.managed)).toBe(true);
      expect(onlyLocal.total).toBe(3);

      await db.users.deactivate(managed.id, { flavour: 'provisioning' });
      expect((await db.users.search({ query: 'search', active: false })).items.map((u) => u.login)).toEqual([
        'search.managed',
      ]);
    });
  });

  describe('deactivation', () => {
    let seen: string[];
    let unregister: () => void;

    beforeAll(() => {
      seen = [];
      // Stands in for the auth lib: it must be called inside the deactivating transaction.
      unregister = db.events.register({
        onUserDeactivated: async (userId: string, manager: EntityManager) => {
          expect(manager.queryRunner?.isTransactionActive).toBe(true);
          seen.push(userId);
        },
      });
    });
    afterAll(() => unregister());

    async function userWithGroupAndPermission(login: string) {
      const user = await db.users.create({ login, local: false });
      const group = await db.groups.create({ name: `${login}-team` });
      await db.membership.addMembers(group.id, [user.id]);
      await db.permissions.addUserPermission(user.id, 'admin');
      return { user, group };
    }

    async function membershipsOf(userId: string) {
      return db.dataSource.getRepository(GroupMembershipEntity).countBy({ userId });
    }

    it("the product's flavour removes memberships (default group too) and permissions", async () => {
      await db.users
        .create({ login: 'other-admin', local: true })
        .then((u) => db.permissions.addUserPermission(u.id, 'admin'));
      const { user } = await userWithGroupAndPermission('judy');
      expect(await membershipsOf(user.id)).toBe(2);

      const view = await db.users.deactivate(user.id, { flavour: 'product' });

      expect(view.active).toBe(false);
      expect(await membershipsOf(user.id)).toBe(0);
      expect(await db.dataSource.getRepository(UserPermissionEntity).countBy({ userId: user.id })).toBe(0);
      expect(await db.permissions.isAdmin(user.id)).toBe(false);
      expect(seen).toContain(user.id);
    });

    it('the provisioning flavour keeps memberships, and reactivation finds them again', async () => {
      const { user, group } = await userWithGroupAndPermission('ken');

      await db.users.deactivate(user.id, { flavour: 'provisioning' });

      expect((await db.users.findById(user.id))?.active).toBe(false);
      expect(await db.membership.isMember(group.id, user.id)).toBe(true);
      expect(await db.permissions.isAdmin(user.id)).toBe(false); // inactive users hold nothing
      expect(seen).toContain(user.id);

      const back = await db.users.reactivate(user.id);
      expect(back.active).toBe(true);
      expect(await db.membership.isMember(group.id, user.id)).toBe(true);
      expect(await db.permissions.isAdmin(user.id)).toBe(true);
    });

    it('reactivation after the product flavour puts the user back in the default group only', async () => {
      const { user, group } = await userWithGroupAndPermission('leo');
      await db.users.deactivate(user.id);
      await db.users.reactivate(user.id);
      const defaultGroup = await db.groups.defaultGroup();
      expect(await db.membership.isMember(defaultGroup.id, user.id)).toBe(true);
      expect(await db.membership.isMember(group.id, user.id)).toBe(false);
    });

    it('rolls everything back when a listener fails', async () => {
      const { user } = await userWithGroupAndPermission('mallory');
      const stop = db.events.register({
        onUserDeactivated: async () => {
          throw new Error('token store unavailable');
        },
      });
      try {
        await expect(db.users.deactivate(user.id)).rejects.toThrow('token store unavailable');
      } finally {
        stop();
      }
      expect((await db.users.findById(user.id))?.active).toBe(true);
      expect(await membershipsOf(user.id)).toBe(2);
    });

    it("joins a caller's transaction when given its manager", async () => {
      const user = await db.users.create({ login: 'nina', local: false });
      await expect(
        inTransaction(db.dataSource, async (m) => {
          await db.users.deactivate(user.id, { flavour: 'provisioning' }, m);
          expect((await db.users.findById(user.id, m))?.active).toBe(false);
          throw new Error('the SCIM request failed later');
        }),
      ).rejects.toThrow('the SCIM request failed later');
      expect((await db.users.findById(user.id))?.active).toBe(true);
    });

    it('reports an unknown user as not found', async () => {
      expect((await domainRuleRejection(db.users.deactivate('00000000-0000-0000-0000-000000000000'))).code).toBe(
        'not_found',
      );
    });
  });
});
