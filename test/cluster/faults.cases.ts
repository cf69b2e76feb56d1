import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cluster,
  clusterCommand,
  clusterDir,
  connectToNode,
  describeCluster,
  EntraClient,
  ensureGroup,
  ensureUser,
  membersOf,
  patch,
} from './cluster-support';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An Entra-shaped sync runs through HAProxy while the deployment is disturbed: one instance is killed with SIGKILL and
 * started again, one Galera node is stopped and brought back (it catches up by IST) meanwhile, then every instance is restarted
 * one at a time. The client retries as Entra does (503 after Retry-After, a broken connection, a create that met its
 * own earlier attempt). Afterwards every acknowledged write is there, through every instance and on every node,
 * nothing is half-applied, and no answer was a 5xx other than 503 with Retry-After.
 */
describeCluster('cluster: faults during a sync', () => {
  const run = randomBytes(3).toString('hex');
  let proxy: EntraClient;
  beforeAll(() => {
    proxy = EntraClient.forCluster();
  });
  afterAll(() => proxy.close());

  it('loses no acknowledged write through kill -9, a node stop with IST, and a rolling restart', async () => {
    const node3LogFile = join(clusterDir(), 'node3', 'error.log');
    const node3LogBefore = readFileSync(node3LogFile, 'utf8').length;
    const group = await ensureGroup(proxy, `faults-${run}`);
    /** What Entra was told is done: user id → display name, and the group's members. */
    const acknowledgedNames = new Map<string, string>();
    const members = new Set<string>();
    let faultsDone = false;

    // Each worker owns its users, so the order of its own acknowledged writes is the order they were applied in.
    let failed = false;
    const worker = async (w: number) => {
      try {
        await work(w);
      } catch (error) {
        failed = true;
        throw error;
      }
    };
    const work = async (w: number) => {
      const mine: string[] = [];
      for (let i = 0; (!faultsDone || i < 4) && !failed; i++) {
        const id = await ensureUser(proxy, `faults-${run}-${w}-${i}`);
        acknowledgedNames.set(id, `faults-${run}-${w}-${i}`);
        await patch(proxy, `/Groups/${group}`, [{ op: 'Add', path: 'members', value: [{ value: id }] }]);
        members.add(id);
        await patch(proxy, `/Users/${id}`, [{ op: 'Replace', path: 'displayName', value: `Name ${w}-${i}` }]);
        acknowledgedNames.set(id, `Name ${w}-${i}`);
        mine.push(id);
        if (i % 2 === 1) {
          const leaving = mine[i - 1];
          await patch(proxy, `/Groups/${group}`, [{ op: 'Remove', path: 'members', value: [{ value: leaving }] }]);
          members.delete(leaving);
        }
      }
    };

    const faults = async () => {
      try {
        await sleep(1500);
        // Two faults at once (the cluster keeps its quorum, instance 1 on node 1 serves alone for a while): an
        // instance dies, and a node is stopped and comes back after missing some writes.
        await Promise.all([
          (async () => {
            await clusterCommand('app-kill', '2');
            await sleep(2000);
            await clusterCommand('app-start', '2');
          })(),
          (async () => {
            await clusterCommand('node-stop', '3');
            await sleep(3000);
            await clusterCommand('node-start', '3');
          })(),
        ]);
        for (const n of [1, 2, 3]) await clusterCommand('app-restart', String(n));
        await sleep(1000);
      } finally {
        faultsDone = true;
      }
    };

    // The faults run to the end even when a worker fails, so the cluster is whole again for what follows.
    const settled = await Promise.allSettled([faults(), ...Array.from({ length: 6 }, (_, w) => worker(w))]);
    for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;

    // Node 3 caught up with an incremental state transfer, not a full copy.
    expect(readFileSync(node3LogFile, 'utf8').slice(node3LogBefore)).toMatch(/IST received/);

    expect(proxy.violations()).toEqual([]);
    const expectedMembers = [...members].sort();
    expect(expectedMembers.length).toBeGreaterThan(12);
    for (const instance of cluster().instances) {
      const direct = new EntraClient(`${instance.url}/api/scim/v2`, `Bearer ${cluster().token}`);
      try {
        expect(await membersOf(direct, group)).toEqual(expectedMembers);
        for (const [id, name] of acknowledgedNames) {
          const user = await direct.send('GET', `/Users/${id}`);
          expect([user.status, user.body.displayName]).toEqual([200, name]);
        }
      } finally {
        direct.close();
      }
    }

    // Every node holds the same rows, and no user or membership is half there.
    const views: string[] = [];
    for (let node = 1; node <= cluster().database.sqlPorts.length; node++) {
      const connection = await connectToNode(node);
      try {
        const [rows] = await connection.query(
          `SELECT (SELECT COUNT(*) FROM scim_users su
                     LEFT JOIN users u ON u.id = su.user_id
                     LEFT JOIN scim_user_profiles p ON p.user_id = su.user_id
                    WHERE u.id IS NULL OR p.user_id IS NULL) AS halfUsers,
                  (SELECT COUNT(*) FROM users u JOIN scim_user_profiles p ON p.user_id = u.id
                    WHERE u.login LIKE ?) AS users,
                  (SELECT COUNT(*) FROM group_members gm JOIN scim_groups sg ON sg.group_id = gm.group_id
                    WHERE sg.scim_id = ?) AS members`,
          [`faults-${run}-%`, group],
        );
        views.push(JSON.stringify(rows));
      } finally {
        await connection.end();
      }
    }
    expect(JSON.parse(views[0])[0]).toEqual({
      halfUsers: 0,
      users: acknowledgedNames.size,
      members: expectedMembers.length,
    });
    expect(new Set(views).size).toBe(1);
  }, 300_000);
});
