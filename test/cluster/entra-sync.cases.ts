import { randomBytes } from 'node:crypto';
import {
  cluster,
  connectToNode,
  describeCluster,
  EntraClient,
  ensureGroup,
  ensureUser,
  membersOf,
  patch,
  runPool,
} from './cluster-support';

/**
 * Entra's load through HAProxy, spread round-robin over the instances and so over the Galera nodes: users, groups
 * created empty, then 40 member PATCHes to one group at once. The end state is read back through every instance and
 * counted on every node: exactly what was sent, nothing lost to a certification conflict, nothing applied twice.
 */
describeCluster('cluster: an Entra-shaped sync through HAProxy', () => {
  const run = randomBytes(3).toString('hex');
  let proxy: EntraClient;
  beforeAll(() => {
    proxy = EntraClient.forCluster();
  });
  const users: string[] = [];
  let groupA = '';
  let groupB = '';

  afterAll(() => proxy.close());

  it('creates users and groups, then 40 concurrent member PATCHes to one group land on every instance', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `sync-${run}-${i}`);
    const ids = new Array<string>(names.length);
    await runPool(names.length, 8, async (i) => {
      ids[i] = await ensureUser(proxy, names[i]);
    });
    users.push(...ids);
    groupA = await ensureGroup(proxy, `sync-${run}-A`);
    groupB = await ensureGroup(proxy, `sync-${run}-B`);

    // 40 at once, each adding two members; users 20-39 are added by two PATCHes each (an add is idempotent).
    const first = proxy.exchanges.length;
    await runPool(40, 40, (i) =>
      patch(proxy, `/Groups/${groupA}`, [
        { op: 'Add', path: 'members', value: [{ value: users[i] }, { value: users[i + 20] }] },
      ]),
    );
    const servedBy = new Set(
      proxy.exchanges
        .slice(first)
        .filter((e) => e.method === 'PATCH')
        .map((e) => e.servedBy),
    );
    expect(servedBy.size).toBe(cluster().instances.length);

    // Removes from A, adds to B and user changes, all at once.
    await runPool(30, 30, async (i) => {
      if (i < 10) await patch(proxy, `/Groups/${groupA}`, [{ op: 'remove', path: `members[value eq "${users[i]}"]` }]);
      else if (i < 20)
        await patch(proxy, `/Groups/${groupB}`, [{ op: 'Add', path: 'members', value: [{ value: users[i - 10] }] }]);
      else
        await patch(proxy, `/Users/${users[i + 30]}`, [{ op: 'Replace', path: 'displayName', value: `Renamed ${i}` }]);
    });

    const expectedA = users.slice(10).sort();
    const expectedB = users.slice(0, 10).sort();
    for (const instance of cluster().instances) {
      const direct = new EntraClient(`${instance.url}/api/scim/v2`, `Bearer ${cluster().token}`);
      try {
        expect(await membersOf(direct, groupA)).toEqual(expectedA);
        expect(await membersOf(direct, groupB)).toEqual(expectedB);
        const renamed = await direct.send('GET', `/Users/${users[59]}`);
        expect(renamed.body.displayName).toBe('Renamed 29');
      } finally {
        direct.close();
      }
    }
    expect(proxy.violations()).toEqual([]);
  });

  it('every node holds the same rows', async () => {
    const counts: string[] = [];
    for (let node = 1; node <= cluster().database.sqlPorts.length; node++) {
      const connection = await connectToNode(node);
      try {
        const [rows] = await connection.query(
          `SELECT (SELECT COUNT(*) FROM group_members gm JOIN scim_groups sg ON sg.group_id = gm.group_id
                     WHERE sg.scim_id IN (?, ?)) AS members,
                  (SELECT COUNT(*) FROM scim_users) AS scimUsers`,
          [groupA, groupB],
        );
        counts.push(JSON.stringify(rows));
      } finally {
        await connection.end();
      }
    }
    expect(JSON.parse(counts[0])[0].members).toBe(60);
    expect(new Set(counts).size).toBe(1);
  });

  it('Entra deletes what it created; every delete is acknowledged once', async () => {
    for (const group of [groupA, groupB]) expect((await proxy.send('DELETE', `/Groups/${group}`)).status).toBe(204);
    await runPool(users.length, 8, async (i) => {
      const answer = await proxy.send('DELETE', `/Users/${users[i]}`);
      // A retried delete may find its first attempt already applied: Entra counts 404 as done.
      expect(answer.status === 204 || (answer.retried && answer.status === 404)).toBe(true);
    });
    expect((await proxy.send('GET', `/Users/${users[0]}`)).status).toBe(404);
    expect(proxy.violations()).toEqual([]);
  });
});
