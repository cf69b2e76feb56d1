import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { MembershipService } from '@nest-scim/identity';
import { productGroupId } from '../support/scim-links';
import { testDialects } from '@nest-scim/persistence/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import { launchScimServerProcess, ScimClient, ScimServerPair, startScimServerPair } from '../support/scim-server-pair';
import {
  addMembers,
  createGroup,
  createUsers,
  insertScimUsers,
  filterQuery,
  GROUP_URN,
  memberIdsOf,
  patchBody,
  removeMemberByFilter,
  removeMembersByList,
  sorted,
} from '../support/scim-groups.fixtures';

const CONCURRENT_PATCHES = 40;
const ADDED_PER_PATCH = 10;
const REMOVED_PER_PATCH = 2;
const INITIAL_MEMBERS = CONCURRENT_PATCHES * REMOVED_PER_PATCH + 20;

/**
 * Entra's initial sync of a group: the group exists with members, then 40
 * PATCH requests arrive at once, each adding ten new users, removing two earlier members (half in the value-list
 * shape, half in the filter-path shape) and re-adding one member that stays. `clients` share the requests round-robin.
 * Returns what the test checks: every status, the final members and the expected ones, the group's version.
 */
async function concurrentPatches(setup: ScimClient & { dataSource: DataSource }, clients: ScimClient[]) {
  // Written in bulk: the subject is the group, and 500 POST /Users would dominate the run time.
  const initial = (await insertScimUsers(setup.dataSource, INITIAL_MEMBERS, 'initial')).map((u) => ({ id: u.scimId }));
  const added = (await insertScimUsers(setup.dataSource, CONCURRENT_PATCHES * ADDED_PER_PATCH, 'added')).map((u) => ({
    id: u.scimId,
  }));
  const group = await createGroup(setup, `Entra sync ${randomUUID()}`);
  // Members arrive ten at a time, as Entra sends them.
  for (let i = 0; i < INITIAL_MEMBERS; i += 10) {
    const res = await setup.patch(
      `/Groups/${group.id}`,
      patchBody(addMembers(initial.slice(i, i + 10).map((u) => u.id))),
    );
    if (res.status !== 204) throw new Error(`Setting up the group failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const kept = initial.slice(CONCURRENT_PATCHES * REMOVED_PER_PATCH);
  const requests = Array.from({ length: CONCURRENT_PATCHES }, (_, i) => {
    const adds = added.slice(i * ADDED_PER_PATCH, (i + 1) * ADDED_PER_PATCH).map((u) => u.id);
    const removes = initial.slice(i * REMOVED_PER_PATCH, (i + 1) * REMOVED_PER_PATCH).map((u) => u.id);
    const again = kept[i % kept.length].id;
    const removal = i % 2 === 0 ? [removeMembersByList(removes)] : removes.map(removeMemberByFilter);
    // Alternate the order of removals and additions inside a request too.
    const operations =
      i % 3 === 0 ? [addMembers([...adds, again]), ...removal] : [...removal, addMembers([again, ...adds])];
    return clients[i % clients.length].patch(`/Groups/${group.id}`, patchBody(...operations));
  });
  const responses = await Promise.all(requests);
  const expected = sorted([...kept, ...added].map((u) => u.id));
  const final = await memberIdsOf(setup, group.id);
  const version = (await setup.get(`/Groups/${group.id}?excludedAttributes=members`)).body.meta.version as string;
  return {
    statuses: responses.map((r) => (r.status === 204 ? 204 : `${r.status} ${JSON.stringify(r.body)}`)),
    final,
    expected,
    version,
    group,
    removed: initial.slice(0, CONCURRENT_PATCHES * REMOVED_PER_PATCH).map((u) => u.id),
    initialPatches: INITIAL_MEMBERS / 10,
  };
}

function expectExact(outcome: Awaited<ReturnType<typeof concurrentPatches>>) {
  expect(outcome.statuses).toEqual(new Array(CONCURRENT_PATCHES).fill(204));
  expect(outcome.final).toHaveLength(outcome.expected.length);
  expect(outcome.final).toEqual(outcome.expected);
  // Each request moved the version once: none was lost or applied over a stale state.
  expect(outcome.version).toBe(`W/"${1 + outcome.initialPatches + CONCURRENT_PATCHES}"`);
}

describe.each(testDialects())('SCIM /Groups under concurrent requests (%s)', (dialect) => {
  let s: ScimTestServer;
  beforeAll(async () => {
    s = await startScimServer(dialect);
  });
  afterAll(() => s.close());

  it(`${CONCURRENT_PATCHES} concurrent PATCHes to one group leave exactly the expected members`, async () => {
    const outcome = await concurrentPatches(s, [s]);
    expectExact(outcome);
    const check = await s.get(
      `/Groups?${filterQuery(`id eq "${outcome.group.id}" and members eq "${outcome.removed[0]}"`)}&attributes=id`,
    );
    expect(check.body.totalResults).toBe(0);
  });

  it('a user deleted while it is being added to groups is left in none', async () => {
    const users = await createUsers(s, 8, 'deleted-meanwhile');
    const groups = await Promise.all([1, 2].map((n) => createGroup(s, `Race ${n} ${randomUUID()}`)));
    const responses = await Promise.all(
      users.flatMap((u) => [
        ...groups.map((g) => s.patch(`/Groups/${g.id}`, patchBody(addMembers([u.id])))),
        s.delete(`/Users/${u.id}`),
      ]),
    );
    for (const res of responses) {
      if (res.status === 400) expect(res.body.scimType).toBe('invalidValue');
      else expect(res.status).toBe(204);
    }
    const memberships = s.app.get(MembershipService);
    for (const g of groups) {
      expect(await memberIdsOf(s, g.id)).toEqual([]);
      // Also in the product's table, where a membership of an unlinked user would not show through SCIM.
      const groupId = await productGroupId(s.dataSource, g.id);
      expect((await memberships.listMembers(groupId)).total).toBe(0);
    }
  });

  it('two concurrent POSTs of one displayName: one 201, one 409 uniqueness', async () => {
    const name = `Race ${randomUUID()}`;
    const responses = await Promise.all([
      s.post('/Groups', { schemas: [GROUP_URN], displayName: name }),
      s.post('/Groups', { schemas: [GROUP_URN], displayName: name.toLowerCase() }),
      s.post('/Groups', { schemas: [GROUP_URN], displayName: name.toUpperCase() }),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const r of responses.filter((r) => r.status === 409)) expect(r.body.scimType).toBe('uniqueness');
    const list = await s.get(`/Groups?${filterQuery(`displayName eq "${name}"`)}&attributes=id`);
    expect(list.body.totalResults).toBe(1);
  });
});

const mysqlAvailable = testDialects().includes('mysql');
if (!mysqlAvailable)
  console.warn('[groups-concurrency] two-process test SKIPPED: no MySQL/MariaDB server for this run');
// Launched now, so the second process loads its code while the tests above run.
const peer = mysqlAvailable ? launchScimServerProcess() : undefined;
afterAll(() => peer?.stop());

(mysqlAvailable ? describe : describe.skip)('SCIM /Groups on two server processes sharing one MariaDB database', () => {
  let pair: ScimServerPair;
  beforeAll(async () => {
    pair = await startScimServerPair(peer);
  }, 150_000);
  afterAll(() => pair?.close());

  it('both processes serve the same groups', async () => {
    const group = await createGroup(pair.first, `Shared ${randomUUID()}`);
    const seen = await pair.second.get(`/Groups/${group.id}?excludedAttributes=members`);
    expect(seen.status).toBe(200);
    expect(seen.body.displayName).toBe(group.displayName);
    expect(pair.second.pid).not.toBe(process.pid);
  });

  it(`${CONCURRENT_PATCHES} concurrent PATCHes spread over both leave exactly the expected members`, async () => {
    const outcome = await concurrentPatches(pair.first, [pair.first, pair.second]);
    expectExact(outcome);
    // The second process reads the same final state.
    expect(await memberIdsOf(pair.second, outcome.group.id)).toEqual(outcome.expected);
  });
});
