import { inTransaction } from '@nest-scim/persistence';
import { testDialects } from '@nest-scim/persistence/testing';
import { DomainRuleError } from './domain-rule.error';
import { GroupMembershipEntity } from './group-membership.entity';
import { IdentityTestDatabase, openIdentityTestDatabase, domainRuleRejection } from './testing';
import { UserPermissionEntity } from './user-permission.entity';

describe.each(testDialects())('PermissionsService and the last administrator (%s)', (dialect) => {
  let db: IdentityTestDatabase;

  beforeEach(async () => {
    db = await openIdentityTestDatabase(dialect);
  });
  afterEach(async () => {
    await db?.close();
  });

  async function adminThroughGroup(login: string) {
    const user = await db.users.create({ login, local: true });
    await db.membership.addMembers((await db.groups.administratorsGroup()).id, [user.id]);
    return user;
  }

  it('knows admins by direct permission and by group, and only active ones', async () => {
    const direct = await db.users.create({ login: 'direct', local: true });
    await db.permissions.addUserPermission(direct.id, 'admin');
    const viaGroup = await adminThroughGroup('via-group');
    const plain = await db.users.create({ login: 'plain', local: true });
    expect(await db.permissions.isAdmin(direct.id)).toBe(true);
    expect(await db.permissions.isAdmin(viaGroup.id)).toBe(true);
    expect(await db.permissions.isAdmin(plain.id)).toBe(false);
    await db.users.deactivate(direct.id, { flavour: 'provisioning' });
    expect(await db.permissions.isAdmin(direct.id)).toBe(false);
    expect(await db.permissions.isGranted(direct.id, 'admin')).toBe(true);
  });

  it('refuses to deactivate the last administrator, in either flavour, and changes nothing', async () => {
    const admin = await adminThroughGroup('only-admin');
    for (const flavour of ['product', 'provisioning'] as const) {
      const error = await domainRuleRejection(db.users.deactivate(admin.id, { flavour }));
      expect(error).toMatchObject({
        code: 'last_admin',
        message: 'User is last administrator, and cannot be deactivated',
      });
    }
    expect((await db.users.findById(admin.id))?.active).toBe(true);
    expect(await db.dataSource.getRepository(GroupMembershipEntity).countBy({ userId: admin.id })).toBe(2);
  });

  it('counts an inactive admin as no admin at all', async () => {
    const active = await adminThroughGroup('active-admin');
    const dormant = await adminThroughGroup('dormant-admin');
    await db.users.deactivate(dormant.id, { flavour: 'provisioning' });
    expect((await domainRuleRejection(db.users.deactivate(active.id))).code).toBe('last_admin');
  });

  it('lets an administrator go when another one remains', async () => {
    const first = await adminThroughGroup('first');
    const second = await db.users.create({ login: 'second', local: true });
    await db.permissions.addUserPermission(second.id, 'admin');
    await db.users.deactivate(first.id);
    expect((await db.users.findById(first.id))?.active).toBe(false);
    expect((await domainRuleRejection(db.users.deactivate(second.id))).code).toBe('last_admin');
  });

  it('refuses to take admin from the last administrator by permission, membership or group deletion', async () => {
    const direct = await db.users.create({ login: 'direct-only', local: true });
    await db.permissions.addUserPermission(direct.id, 'admin');
    expect(await domainRuleRejection(db.permissions.removeUserPermission(direct.id, 'admin'))).toMatchObject({
      code: 'last_admin',
      message: "Last user with permission 'admin'. Permission cannot be removed.",
    });
    expect(await db.dataSource.getRepository(UserPermissionEntity).countBy({ userId: direct.id })).toBe(1);

    const leads = await db.groups.create({ name: 'leads' });
    await db.permissions.addGroupPermission(leads.id, 'admin');
    const lead = await db.users.create({ login: 'lead', local: true });
    await db.membership.addMembers(leads.id, [lead.id]);
    await db.permissions.removeUserPermission(direct.id, 'admin'); // the lead is still an admin
    expect(await domainRuleRejection(db.membership.removeMembers(leads.id, [lead.id]))).toMatchObject({
      message: 'The last administrator user cannot be removed',
    });
    expect(await domainRuleRejection(db.groups.delete(leads.id))).toMatchObject({
      message: 'The last system admin group cannot be deleted',
    });
    expect(await domainRuleRejection(db.permissions.removeGroupPermission(leads.id, 'admin'))).toMatchObject({
      code: 'last_admin',
    });
    expect(await db.permissions.isAdmin(lead.id)).toBe(true);
  });

  it('lets exactly one of two administrators deactivate the other at the same time', async () => {
    const a = await adminThroughGroup('racer-a');
    const b = await adminThroughGroup('racer-b');
    const results = await Promise.allSettled([
      inTransaction(db.dataSource, (m) => db.users.deactivate(a.id, { flavour: 'product' }, m)),
      inTransaction(db.dataSource, (m) => db.users.deactivate(b.id, { flavour: 'product' }, m)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect((refused.reason as DomainRuleError).code).toBe('last_admin');
    const stillActive = [await db.users.findById(a.id), await db.users.findById(b.id)].filter((u) => u?.active);
    expect(stillActive).toHaveLength(1);
  });

  it('refuses unknown permissions', async () => {
    const user = await db.users.create({ login: 'perm', local: true });
    // @ts-expect-error: a permission the product does not know
    expect((await domainRuleRejection(db.permissions.addUserPermission(user.id, 'superuser'))).code).toBe('invalid');
  });
});
