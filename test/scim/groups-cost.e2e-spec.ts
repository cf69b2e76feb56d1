import { randomUUID } from 'node:crypto';
import { GroupMembershipEntity, MembershipService } from '@nest-scim/identity';
import { productGroupId } from '../support/scim-links';
import { testDialects } from '@nest-scim/persistence/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import { RecordedStatement, recordStatements } from '../support/sql-statements';
import {
  addMembers,
  createGroup,
  createUsers,
  filterQuery,
  insertScimUsers,
  patchBody,
  removeMemberByFilter,
  removeMembersByList,
} from '../support/scim-groups.fixtures';

const BIG_GROUP_SIZE = 2000;
/** No statement of a membership change may read more rows than this, whatever the group's size. */
const MAX_ROWS_PER_READ = 5;

/**
 * The cost of a membership change does not depend on the group's size (issue 5): the same SQL
 * statements run, and none reads more than a handful of rows, for a group of 1 member and one of 2,000. Measured in
 * statements and rows, not time.
 */
describe.each(testDialects())('SCIM /Groups membership cost (%s)', (dialect) => {
  let s: ScimTestServer;
  let small: { id: string };
  let big: { id: string };
  let bigMemberScimIds: string[];
  let spare: string[];

  /** 2,000 SCIM users in the big group, written in bulk: this test is about reads, not about how they got there. */
  async function fillGroup(groupScimId: string, size: number): Promise<string[]> {
    const groupId = await productGroupId(s.dataSource, groupScimId);
    const users = await insertScimUsers(s.dataSource, size, 'bulk');
    const now = new Date();
    for (let i = 0; i < users.length; i += 400) {
      await s.dataSource.manager.insert(
        GroupMembershipEntity,
        users.slice(i, i + 400).map((u) => ({ groupId, userId: u.userId, createdAt: now })),
      );
    }
    return users.map((u) => u.scimId);
  }

  beforeAll(async () => {
    s = await startScimServer(dialect);
    const users = await createUsers(s, 8, 'cost');
    spare = users.map((u) => u.id);
    small = await createGroup(s, `small ${randomUUID()}`, { members: [{ value: spare[0] }] });
    big = await createGroup(s, `big ${randomUUID()}`, { members: [{ value: spare[0] }] });
    bigMemberScimIds = await fillGroup(big.id, BIG_GROUP_SIZE);
  }, 60_000);
  afterAll(() => s.close());

  /** One request's statements; a warm-up first, so both measured requests see the same caches and throttles. */
  async function statementsOf(send: () => PromiseLike<{ status: number }>, status: number) {
    const { result, statements } = await recordStatements(s.dataSource, async () => send());
    expect(result.status).toBe(status);
    return statements;
  }

  /**
   * Statement texts with literals taken out (TypeORM inlines some numbers, such as the new version, on SQLite), in a
   * fixed order: the access checks' reads run at once, so on MySQL they may reach the server in any order.
   */
  const shapes = (statements: RecordedStatement[]) => statements.map((st) => st.sql.replace(/\b\d+\b/g, 'N')).sort();

  /** The same statements on both groups, and no read of more rows than the request names members (or a handful). */
  function expectSameCost(onSmall: RecordedStatement[], onBig: RecordedStatement[], named = 0) {
    expect(shapes(onBig)).toEqual(shapes(onSmall));
    const reads = onBig.filter((st) => st.rows !== undefined).map((st) => st.rows!);
    expect(Math.max(0, ...reads)).toBeLessThanOrEqual(Math.max(MAX_ROWS_PER_READ, named));
    // Bounded, not just equal: a membership PATCH is a few dozen statements at most, auth and license checks included.
    expect(onBig.length).toBeLessThan(40);
  }

  it('the big group really has its members', async () => {
    const groupId = await productGroupId(s.dataSource, big.id);
    expect((await s.app.get(MembershipService).listMembers(groupId, { pageSize: 1 })).total).toBe(BIG_GROUP_SIZE + 1);
    const last = bigMemberScimIds[BIG_GROUP_SIZE - 1];
    const check = await s.get(`/Groups?${filterQuery(`id eq "${big.id}" and members eq "${last}"`)}&attributes=id`);
    expect(check.body.totalResults).toBe(1);
    const full = await s.get(`/Groups/${big.id}`).expect(200);
    expect(full.body.members).toHaveLength(BIG_GROUP_SIZE + 1);
  });

  it('adding one member costs the same on a group of 1 and of 2,000', async () => {
    await s.get('/ServiceProviderConfig').expect(200);
    const onSmall = await statementsOf(() => s.patch(`/Groups/${small.id}`, patchBody(addMembers([spare[1]]))), 204);
    const onBig = await statementsOf(() => s.patch(`/Groups/${big.id}`, patchBody(addMembers([spare[1]]))), 204);
    expectSameCost(onSmall, onBig);
    // The insert is an idempotent one, not a read-then-write.
    const idempotentInsert =
      /^INSERT\s+(IGNORE\s+INTO\s+`?group_members`?|OR\s+IGNORE\s+INTO\s+"?group_members"?|INTO\s+"group_members".*ON CONFLICT DO NOTHING$)/is;
    expect(onBig.filter((st) => idempotentInsert.test(st.sql))).toHaveLength(1);
    expect(onBig.filter((st) => /group_members/.test(st.sql) && /^\s*SELECT/i.test(st.sql))).toEqual([
      expect.objectContaining({ sql: expect.stringMatching(/gp\.permission/) }),
    ]);
  });

  it('adding ten members costs the same on both', async () => {
    const onSmall = await statementsOf(
      () => s.patch(`/Groups/${small.id}`, patchBody(addMembers(spare.slice(2, 8)), addMembers([spare[0]]))),
      204,
    );
    const onBig = await statementsOf(
      () => s.patch(`/Groups/${big.id}`, patchBody(addMembers(spare.slice(2, 8)), addMembers([spare[0]]))),
      204,
    );
    expectSameCost(onSmall, onBig, 7);
  });

  it('removing one member, in both shapes, costs the same on both', async () => {
    for (const remove of [removeMembersByList([spare[1]]), removeMemberByFilter(spare[2])]) {
      const onSmall = await statementsOf(() => s.patch(`/Groups/${small.id}`, patchBody(remove)), 204);
      const onBig = await statementsOf(() => s.patch(`/Groups/${big.id}`, patchBody(remove)), 204);
      expectSameCost(onSmall, onBig);
    }
  });

  it('the membership check and a read without members cost the same on both', async () => {
    const member = spare[0];
    const check = (g: string) =>
      s.get(`/Groups?${filterQuery(`id eq "${g}" and members eq "${member}"`)}&attributes=id`);
    expectSameCost(await statementsOf(() => check(small.id), 200), await statementsOf(() => check(big.id), 200));
    const read = (g: string) => s.get(`/Groups/${g}?excludedAttributes=members`);
    const onBig = await statementsOf(() => read(big.id), 200);
    expectSameCost(await statementsOf(() => read(small.id), 200), onBig);
    // With members excluded they are not read at all (only the token owner's admin check touches the table).
    expect(onBig.filter((st) => /group_members/.test(st.sql) && !/gp\.permission/.test(st.sql))).toEqual([]);
  });
});
