import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { UserEntity } from '@nest-scim/identity';
import { inTransaction, isRetryableTransactionError } from '@nest-scim/persistence';
import {
  createScratchDatabase,
  RESOLVED_MYSQL_URL_VARIABLE,
  ScratchDatabase,
  testDialects,
} from '@nest-scim/persistence/testing';
import { ProvisioningStorageErrors, ScimUserLinkEntity, ScimUserProfileEntity } from '@nest-scim/provisioning';
import { toScimError } from '@nest-scim/scim';
import { TcpProxy } from '../support/tcp-proxy';
import {
  createGroup,
  expectScimError,
  filterQuery,
  patchOps,
  SCIM,
  SCIM_JSON,
  startHardenedServer,
  URN,
  userBody,
} from './hardening-support';
import { freePort, spawnServer, SpawnedServer } from './spawned-server';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** A SCIM client over fetch against a base URL that may stop answering at any moment. */
function client(base: () => string, token: string) {
  return async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${base()}${SCIM}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': SCIM_JSON }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
}

type Call = ReturnType<typeof client>;

/**
 * What Entra does for one object: look it up by its matching attribute, create it only when nothing matches, and on
 * any failure (a refused connection, a 5xx, a 409 from a create that did commit) start again after a pause.
 */
async function ensure(
  call: Call,
  endpoint: '/Users' | '/Groups',
  filter: string,
  body: unknown,
  log: number[],
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const found = await call(
        'GET',
        `${endpoint}?${filterQuery(filter)}${endpoint === '/Groups' ? '&excludedAttributes=members' : ''}`,
      );
      log.push(found.status);
      if (found.status === 200 && found.body.totalResults === 1) return found.body.Resources[0].id;
      if (found.status === 200 && found.body.totalResults === 0) {
        const created = await call('POST', endpoint, body);
        log.push(created.status);
        if (created.status === 201) return created.body.id;
      }
    } catch {
      log.push(0);
    }
    if (attempt > 400) throw new Error(`gave up on ${filter}`);
    await sleep(50 + Math.min(attempt, 10) * 20);
  }
}

async function retryUntil(
  call: Call,
  method: string,
  path: string,
  body: unknown,
  ok: number[],
  log: number[],
): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await call(method, path, body);
      log.push(res.status);
      if (ok.includes(res.status)) return res;
    } catch {
      log.push(0);
    }
    if (attempt > 400) throw new Error(`gave up on ${method} ${path}`);
    await sleep(50 + Math.min(attempt, 10) * 20);
  }
}

/** Runs `work` on `items` with `workers` in parallel. */
async function pool<T>(items: T[], workers: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** 1,000 SCIM users written straight to the tables: this test is about a PATCH naming them, not about creating them. */
async function seedScimUsers(dataSource: DataSource, count: number): Promise<string[]> {
  const now = new Date();
  const scimIds: string[] = [];
  for (let offset = 0; offset < count; offset += 250) {
    const batch = Array.from({ length: Math.min(250, count - offset) }, (_, i) => {
      const login = `seed-${offset + i}@contoso.example`;
      return { id: randomUUID(), scimId: randomUUID(), login };
    });
    await dataSource.transaction(async (m: EntityManager) => {
      await m.insert(
        UserEntity,
        batch.map((u) => ({
          id: u.id,
          login: u.login,
          loginNormalized: u.login,
          name: u.login,
          email: u.login,
          active: true,
          local: false,
          externalLogin: u.login,
          externalLoginNormalized: u.login,
          externalProvider: 'saml' as const,
          managed: true,
          createdAt: now,
          updatedAt: now,
        })),
      );
      await m.insert(
        ScimUserLinkEntity,
        batch.map((u) => ({ scimId: u.scimId, userId: u.id, createdAt: now })),
      );
      await m.insert(
        ScimUserProfileEntity,
        batch.map((u) => ({
          userId: u.id,
          userName: u.login,
          userNameNormalized: u.login,
          active: true,
          externalId: null,
          displayName: null,
          givenName: null,
          familyName: null,
          employeeNumber: null,
          managerId: null,
          document: JSON.stringify({ core: { userName: u.login, active: true }, extensions: {} }),
          version: 1,
          createdAt: now,
          updatedAt: now,
        })),
      );
    });
    scimIds.push(...batch.map((u) => u.scimId));
  }
  return scimIds;
}

async function openDataSource(database: ScratchDatabase): Promise<DataSource> {
  const ds = new DataSource(
    database.url ? { type: 'mysql', url: database.url } : { type: 'better-sqlite3', database: database.sqlitePath },
  );
  await ds.initialize();
  return ds;
}

const SYNC_USERS = 40;
const GROUPS = ['sync-engineering', 'sync-sales', 'sync-support'];
/** Who belongs where, by index into the synced users. */
const membersOf = (g: number) =>
  Array.from({ length: SYNC_USERS }, (_, i) => i).filter((i) => i % GROUPS.length === g || i < 3);

/*
 * Faults: the process killed with SIGKILL in the middle of a sync (and of a 1,000-member PATCH, security case E.36),
 * the database cut off mid-run (503 + Retry-After, then recovery on its own), and MySQL deadlocks and lock waits run
 * again. Cutting the database applies to MySQL only: SQLite is a file inside the server process, there is no link to
 * lose.
 */
describe.each(testDialects())('a server killed with SIGKILL mid-sync, restarted (%s)', (dialect) => {
  let dir: string;
  let database: ScratchDatabase;
  let token: string;
  let publicKey: string;
  let bigGroupId: string;
  let seeded: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scim-kill-'));
    database =
      dialect === 'sqlite'
        ? { dialect, sqlitePath: join(dir, 'scim.sqlite'), drop: async () => undefined }
        : await createScratchDatabase(dialect);
    // Set up as an admin would (license, SAML, SCIM on, a token), in-process; then only the spawned server runs.
    const setup = await startHardenedServer(dialect, { database });
    try {
      token = setup.token;
      publicKey = setup.licenseKeys.publicKey;
      seeded = await seedScimUsers(setup.dataSource, 1000);
      bigGroupId = (await createGroup(setup, 'sync-big')).id;
    } finally {
      await setup.close();
    }
  });
  afterAll(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the client’s retries converge: every user and group once, every membership there, the big PATCH all or nothing', async () => {
    const port = await freePort();
    const env: Record<string, string> = database.url ? { DATABASE_URL: database.url } : { DATA_DIR: dir };
    const start = () => spawnServer(port, { ...env, LICENSE_PUBLIC_KEYS: publicKey });
    let server: SpawnedServer = await start();
    const call = client(() => server.base, token);
    const log: number[] = [];
    const userIds = new Map<number, string>();
    let bigPatchSent = false;

    const sync = (async () => {
      await pool(
        Array.from({ length: SYNC_USERS }, (_, i) => i),
        4,
        async (i) => {
          const userName = `sync-${i}@contoso.com`;
          userIds.set(
            i,
            await ensure(
              call,
              '/Users',
              `userName eq "${userName}"`,
              userBody(userName, { displayName: `Sync ${i}`, externalId: `ext-${i}` }),
              log,
            ),
          );
        },
      );
      const groupIds = await Promise.all(
        GROUPS.map((name) =>
          ensure(call, '/Groups', `displayName eq "${name}"`, { schemas: [URN.GROUP], displayName: name }, log),
        ),
      );
      await pool(
        GROUPS.map((_, g) => g),
        3,
        async (g) => {
          const members = membersOf(g).map((i) => ({ value: userIds.get(i)! }));
          for (let at = 0; at < members.length; at += 5) {
            await retryUntil(
              call,
              'PATCH',
              `/Groups/${groupIds[g]}`,
              patchOps({ op: 'Add', path: 'members', value: members.slice(at, at + 5) }),
              [204],
              log,
            );
          }
        },
      );
      return groupIds;
    })();

    // Kill in the middle: users are being created on four connections and a 1,000-member PATCH is in flight.
    while (userIds.size < 12) await sleep(10);
    const bigPatch = call(
      'PATCH',
      `/Groups/${bigGroupId}`,
      patchOps({ op: 'add', path: 'members', value: seeded.map((value) => ({ value })) }),
    )
      .then((res) => res.status)
      .catch(() => 0);
    bigPatchSent = true;
    await sleep(40);
    await server.kill();
    const bigStatus = await bigPatch;
    expect(bigPatchSent).toBe(true);

    // Down for a moment, as a crashed pod before its restart; the client keeps retrying meanwhile.
    await sleep(300);
    server = await start();
    try {
      const groupIds = await sync;
      // The big PATCH was cut with the process: the group holds all 1,000 members or none, never part of them.
      const db = await openDataSource(database);
      try {
        const members = async (scimId: string) =>
          Number(
            (
              await db.query(
                'SELECT COUNT(*) AS n FROM group_members gm JOIN scim_groups sg ON sg.group_id = gm.group_id WHERE sg.scim_id = ?',
                [scimId],
              )
            )[0].n,
          );
        const afterCrash = await members(bigGroupId);
        expect({ bigStatus, members: [0, 1000].includes(afterCrash) }).toEqual({ bigStatus, members: true });
        if (bigStatus === 204) expect(afterCrash).toBe(1000);
        // Entra's retry of it is idempotent.
        await retryUntil(
          call,
          'PATCH',
          `/Groups/${bigGroupId}`,
          patchOps({ op: 'add', path: 'members', value: seeded.map((value) => ({ value })) }),
          [204],
          log,
        );
        await retryUntil(
          call,
          'PATCH',
          `/Groups/${bigGroupId}`,
          patchOps({ op: 'add', path: 'members', value: seeded.slice(0, 10).map((value) => ({ value })) }),
          [204],
          log,
        );
        await retryUntil(
          call,
          'PATCH',
          `/Groups/${bigGroupId}`,
          patchOps({ op: 'remove', path: `members[value eq "${randomUUID()}"]` }),
          [204],
          log,
        );
        expect(await members(bigGroupId)).toBe(1000);

        // Nothing duplicated, nothing lost.
        const users: { login: string; n: number }[] = await db.query(
          "SELECT u.login AS login, COUNT(*) AS n FROM users u JOIN scim_users su ON su.user_id = u.id WHERE u.login LIKE 'sync-%' GROUP BY u.login",
        );
        expect(users).toHaveLength(SYNC_USERS);
        expect(users.every((u) => Number(u.n) === 1)).toBe(true);
        expect(
          Number(
            (
              await db.query(
                "SELECT COUNT(*) AS n FROM scim_user_profiles p JOIN users u ON u.id = p.user_id WHERE u.login LIKE 'sync-%'",
              )
            )[0].n,
          ),
        ).toBe(SYNC_USERS);
        expect(Number((await db.query("SELECT COUNT(*) AS n FROM user_groups WHERE name LIKE 'sync-%'"))[0].n)).toBe(
          GROUPS.length + 1,
        );
        for (const [g, groupId] of groupIds.entries()) {
          const rows: { scim_id: string }[] = await db.query(
            `SELECT su.scim_id AS scim_id FROM group_members gm JOIN scim_groups sg ON sg.group_id = gm.group_id
               JOIN scim_users su ON su.user_id = gm.user_id WHERE sg.scim_id = ? ORDER BY su.scim_id`,
            [groupId],
          );
          expect(rows.map((r) => r.scim_id)).toEqual(
            membersOf(g)
              .map((i) => userIds.get(i)!)
              .sort(),
          );
        }
        for (const [i, id] of userIds) {
          const res = await call('GET', `/Users/${id}`);
          expect(res.body).toMatchObject({
            userName: `sync-${i}@contoso.com`,
            displayName: `Sync ${i}`,
            externalId: `ext-${i}`,
            active: true,
          });
        }
      } finally {
        await db.destroy();
      }
      // The kill cost some requests: they failed and were retried, never answered 500.
      expect(log).toContain(0);
      expect(log.filter((status) => status >= 500 && status !== 503)).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 180_000);
});

const mysqlUrl = process.env[RESOLVED_MYSQL_URL_VARIABLE];
(mysqlUrl ? describe : describe.skip)('MySQL faults (SQLite has no database link to cut and no deadlocks)', () => {
  it('the database cut mid-run answers 503 SCIM errors with Retry-After, then the server recovers on its own and the client converges', async () => {
    const scratch = await createScratchDatabase('mysql');
    const target = new URL(scratch.url!);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 3306));
    const port = await proxy.open();
    const viaProxy = new URL(scratch.url!);
    viaProxy.host = `127.0.0.1:${port}`;
    const s = await startHardenedServer('mysql', { database: { ...scratch, url: viaProxy.toString() } });
    try {
      const answers: import('supertest').Response[] = [];
      const done = new Set<number>();
      let stop = false;
      const worker = async (w: number) => {
        for (let i = w; i < 60 && !stop; i += 4) {
          for (;;) {
            const userName = `cut-${i}@contoso.com`;
            const found = await s.get(`/Users?${filterQuery(`userName eq "${userName}"`)}`);
            answers.push(found);
            if (found.status === 200 && found.body.totalResults === 1) break;
            if (found.status === 200) {
              const created = await s.post('/Users', userBody(userName));
              answers.push(created);
              if (created.status === 201) break;
            }
            await sleep(100);
          }
          done.add(i);
        }
      };
      const workers = Promise.all([0, 1, 2, 3].map(worker));
      while (done.size < 10) await sleep(10);
      await proxy.cut();
      const cutAt = answers.length;
      await sleep(1500);
      const during = answers.slice(cutAt);
      await proxy.open(port);
      await workers;
      stop = true;

      // While the database was away: 503 SCIM errors with Retry-After (and no 500).
      const failures = during.filter((r) => r.status >= 500);
      expect(failures.length).toBeGreaterThan(0);
      for (const res of failures) {
        expectScimError(res, 503);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(answers.filter((r) => r.status >= 500 && r.status !== 503)).toEqual([]);
      // Back on its own: no restart, and every user exactly once.
      await s.get('/ServiceProviderConfig').expect(200);
      const [row] = await s.dataSource.query(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT login) AS d FROM users WHERE login LIKE 'cut-%'",
      );
      expect([Number(row.n), Number(row.d)]).toEqual([60, 60]);
    } finally {
      await s.close();
      await proxy.cut();
      await scratch.drop();
    }
  });

  it('a real deadlock and a lock-wait timeout are run again by inTransaction; both writers succeed', async () => {
    const scratch = await createScratchDatabase('mysql');
    const ds = new DataSource({ type: 'mysql', url: scratch.url, extra: { connectionLimit: 4 } });
    await ds.initialize();
    try {
      await ds.query('CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL) ENGINE=InnoDB');
      await ds.query('INSERT INTO accounts VALUES (1, 0), (2, 0)');
      let attempts = 0;
      let firstError: unknown;
      // Two transactions lock rows 1 and 2 in opposite orders, meeting at a barrier: InnoDB must kill one.
      let arrived = 0;
      const barrier = async () => {
        arrived++;
        while (arrived < 2) await sleep(5);
      };
      const transfer = (first: number, second: number) =>
        inTransaction(ds, async (m) => {
          attempts++;
          await m.query('UPDATE accounts SET balance = balance + 1 WHERE id = ?', [first]);
          if (attempts <= 2) await barrier();
          await m.query('UPDATE accounts SET balance = balance + 1 WHERE id = ?', [second]);
        }).catch((error: unknown) => {
          firstError = error;
          throw error;
        });
      await Promise.all([transfer(1, 2), transfer(2, 1)]);
      expect(firstError).toBeUndefined();
      expect(attempts).toBeGreaterThanOrEqual(3);
      expect(await ds.query('SELECT id, balance FROM accounts ORDER BY id')).toEqual([
        { id: 1, balance: 2 },
        { id: 2, balance: 2 },
      ]);

      // A lock held past innodb_lock_wait_timeout: the waiter fails with ER_LOCK_WAIT_TIMEOUT and is run again.
      const holder = ds.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      await holder.query('SELECT * FROM accounts WHERE id = 1 FOR UPDATE');
      let runs = 0;
      const waiter = inTransaction(ds, async (m) => {
        runs++;
        await m.query('SET SESSION innodb_lock_wait_timeout = 1');
        await m.query('UPDATE accounts SET balance = balance + 10 WHERE id = 1');
      });
      await sleep(2500);
      await holder.commitTransaction();
      await holder.release();
      await waiter;
      expect(runs).toBeGreaterThanOrEqual(2);
      expect((await ds.query('SELECT balance FROM accounts WHERE id = 1'))[0].balance).toBe(12);
    } finally {
      await ds.destroy();
      await scratch.drop();
    }
  });
});

describe('inTransaction retries (a forced ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, SQLITE_BUSY)', () => {
  function fakeDataSource(failures: unknown[]) {
    let calls = 0;
    const ds = {
      options: { type: 'mysql' },
      transaction: async (work: (m: unknown) => Promise<unknown>) => {
        calls++;
        const failure = failures.shift();
        if (failure) throw failure;
        return work({});
      },
    };
    return { ds: ds as unknown as DataSource, calls: () => calls };
  }
  const driverError = (code: string) => Object.assign(new Error('query failed'), { driverError: { code } });

  it.each(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY'])(
    'runs the whole transaction again after %s',
    async (code) => {
      const { ds, calls } = fakeDataSource([driverError(code), driverError(code)]);
      await expect(inTransaction(ds, async () => 'done')).resolves.toBe('done');
      expect(calls()).toBe(3);
    },
  );

  it('gives up after the retries, and the SCIM layer answers that as 503 with Retry-After, not 500', async () => {
    const { ds, calls } = fakeDataSource(Array.from({ length: 10 }, () => driverError('ER_LOCK_DEADLOCK')));
    const error = await inTransaction(ds, async () => 'never', { retries: 2 }).catch((e: unknown) => e);
    expect(calls()).toBe(3);
    expect(isRetryableTransactionError(error)).toBe(true);
    const scim = toScimError(error, new ProvisioningStorageErrors());
    expect(scim.status).toBe(503);
    expect(scim.headers['Retry-After']).toMatch(/^\d+$/);
  });

  it('never runs again an error that is not a lock conflict', async () => {
    const { ds, calls } = fakeDataSource([driverError('ER_DUP_ENTRY')]);
    await expect(inTransaction(ds, async () => 'x')).rejects.toMatchObject({ driverError: { code: 'ER_DUP_ENTRY' } });
    expect(calls()).toBe(1);
  });
});
