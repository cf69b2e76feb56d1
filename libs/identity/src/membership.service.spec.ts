import { inTransaction } from '@nest-scim/persistence';
import { testDialects } from '@nest-scim/persistence/testing';
import { GroupMembershipEntity } from './group-membership.entity';
import { IdentityTestDatabase, openIdentityTestDatabase, domainRuleRejection } from './testing';
import { UserEntity } from './user.entity';
import type { UserView } from './user.view';

describe.each(testDialects())('MembershipService (%s)', (dialect) => {
  let db: IdentityTestDatabase;
  let people: UserView[];

  beforeAll(async () => {
    db = await openIdentityTestDatabase(dialect);
    people = [];
    for (let i = 0; i < 40; i++) {
      people.push(await db.users.create({ login: `person${String(i).padStart(2, '0')}`, local: false }));
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  async function memberIds(groupId: string): Promise<string[]> {
    const rows = await db.dataSource.getRepository(GroupMembershipEntity).findBy({ groupId });
    return rows.map((r) => r.userId).sort();
  }

  it('adds idempotently: adding members twice leaves one row each', async () => {
    const group = await db.groups.create({ name: 'idempotent' });
    const ids = people.slice(0, 3).map((p) => p.id);
    await db.membership.addMembers(group.id, ids);
    await db.membership.addMembers(group.id, [...ids, ids[0]]);
    expect(await memberIds(group.id)).toEqual([...ids].sort());
  });

  it('keeps every member when 20 requests add to one group at the same time', async () => {
    const group = await db.groups.create({ name: 'concurrent' });
    // Each request adds two users, overlapping with its neighbour, in a transaction of its own (as SCIM PATCHes do).
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        inTransaction(db.dataSource, (m) =>
          db.membership.addMembers(group.id, [people[i].id, people[(i + 1) % 20].id], m),
        ),
      ),
    );
    expect(await memberIds(group.id)).toEqual(
      people
        .slice(0, 20)
        .map((p) => p.id)
        .sort(),
    );
  });

  it('does not lose adds that run beside removes of other members', async () => {
    const group = await db.groups.create({ name: 'mixed' });
    await db.membership.addMembers(
      group.id,
      people.slice(0, 10).map((p) => p.id),
    );
    await Promise.all([
      ...people.slice(10, 30).map((p) => db.membership.addMembers(group.id, [p.id])),
      ...people.slice(0, 10).map((p) => db.membership.removeMembers(group.id, [p.id])),
    ]);
    expect(await memberIds(group.id)).toEqual(
      people
        .slice(10, 30)
        .map((p) => p.id)
        .sort(),
    );
  });

  it('adds nothing when one of the ids names no user', async () => {
    const group = await db.groups.create({ name: 'atomic' });
    const error = await domainRuleRejection(
      db.membership.addMembers(group.id, [people[0].id, '11111111-1111-1111-1111-111111111111']),
    );
    expect(error).toMatchObject({ code: 'not_found', message: 'User not found' });
    expect(await memberIds(group.id)).toEqual([]);
  });

  it('handles a change larger than one IN (…) list', async () => {
    const group = await db.groups.create({ name: 'big-change' });
    const ids = people.map((p) => p.id);
    const many = Array.from({ length: 1200 }, (_, i) => ids[i % ids.length]);
    await db.membership.addMembers(group.id, many);
    expect(await memberIds(group.id)).toEqual([...ids].sort());
    await db.membership.removeMembers(group.id, many);
    expect(await memberIds(group.id)).toEqual([]);
  });

  it('removes only the named users, and ignores ids that are not members', async () => {
    const group = await db.groups.create({ name: 'remove' });
    await db.membership.addMembers(group.id, [people[0].id, people[1].id]);
    await db.membership.removeMembers(group.id, [people[0].id, people[5].id, 'not-a-user']);
    expect(await memberIds(group.id)).toEqual([people[1].id]);
  });

  it('refuses to change the default group, whose members follow their active state', async () => {
    const defaultGroup = await db.groups.defaultGroup();
    const message = "Default group 'users' cannot be used to perform this action";
    expect(await domainRuleRejection(db.membership.addMembers(defaultGroup.id, [people[0].id]))).toMatchObject({
      message,
    });
    expect(await domainRuleRejection(db.membership.removeMembers(defaultGroup.id, [people[0].id]))).toMatchObject({
      message,
    });
    expect(await db.membership.isMember(defaultGroup.id, people[0].id)).toBe(true);
  });

  it('lists members by page and the groups of a user', async () => {
    const group = await db.groups.create({ name: 'listed' });
    await db.membership.addMembers(
      group.id,
      people.slice(0, 5).map((p) => p.id),
    );
    await db.dataSource.getRepository(UserEntity).update({ id: people[1].id }, { managed: true });
    const page = await db.membership.listMembers(group.id, { pageSize: 2, page: 1 });
    expect(page.total).toBe(5);
    expect(page.items.map((u) => [u.login, u.managed])).toEqual([
      ['person00', false],
      ['person01', true],
    ]);
    expect((await db.membership.listMembers(group.id, { query: 'SON04' })).items.map((u) => u.login)).toEqual([
      'person04',
    ]);
    const groups = await db.membership.groupsOfUser(people[4].id);
    expect(groups.map((g) => g.name)).toEqual(expect.arrayContaining(['listed', 'users']));
  });
});
