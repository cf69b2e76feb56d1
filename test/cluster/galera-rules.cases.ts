import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { inTransaction, MIGRATION_LOCK_TABLE } from '@nest-scim/persistence';
import { SERVER_SCHEMA } from '../../apps/server/src/database/schema';
import { cluster, connectToNode, describeCluster, REPO, ServerProcess, startServer } from './cluster-support';

/**
 * Takes the migration lock as another instance would: its table, as that instance creates it, and the lock row of
 * `owner` with a lease of `lease` (a MySQL interval such as '10 MINUTE').
 */
async function holdMigrationLock(
  holder: Awaited<ReturnType<typeof connectToNode>>,
  owner: string,
  lease: string,
): Promise<void> {
  await holder.query(
    `CREATE TABLE ${MIGRATION_LOCK_TABLE} (id tinyint unsigned NOT NULL PRIMARY KEY, owner varchar(100) NOT NULL,
       expires_at datetime(3) NOT NULL) ENGINE=InnoDB`,
  );
  await holder.query(`INSERT INTO ${MIGRATION_LOCK_TABLE} VALUES (1, ?, UTC_TIMESTAMP(3) + INTERVAL ${lease})`, [
    owner,
  ]);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** A database of its own on the cluster for one test, dropped afterwards. */
async function scratchDatabase(prefix: string) {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = await connectToNode(1, '');
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.end();
  const c = cluster();
  return {
    name,
    url: (node: number) =>
      `mysql://${c.database.user}:${c.database.password}@127.0.0.1:${c.database.sqlPorts[node - 1]}/${name}`,
    async drop() {
      const dropper = await connectToNode(1, '');
      await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await dropper.end();
    },
  };
}

describeCluster('cluster: Galera rules', () => {
  it('every table has a primary key and uses InnoDB, the migrations tables included', async () => {
    const connection = await connectToNode(2);
    try {
      const [tables] = (await connection.query(
        `SELECT t.table_name AS name, t.engine AS engine,
                (SELECT COUNT(*) FROM information_schema.table_constraints c
                  WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name
                    AND c.constraint_type = 'PRIMARY KEY') AS primaryKeys
           FROM information_schema.tables t WHERE t.table_schema = DATABASE()`,
      )) as unknown as [{ name: string; engine: string; primaryKeys: number }[]];
      const names = tables.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['schema_migrations', MIGRATION_LOCK_TABLE, 'group_members']));
      expect(tables.filter((t) => Number(t.primaryKeys) !== 1 || t.engine !== 'InnoDB')).toEqual([]);
    } finally {
      await connection.end();
    }
  });

  it('no code takes LOCK TABLES or GET_LOCK (neither replicates across Galera nodes)', () => {
    const offenders = [...sourceFiles(join(REPO, 'libs')), ...sourceFiles(join(REPO, 'apps'))].filter((file) =>
      /\bLOCK\s+TABLES?\b|\bGET_LOCK\s*\(/i.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('a certification conflict between two nodes is retried like a deadlock, and each transaction applies once', async () => {
    const db = await scratchDatabase('scim_cert');
    const sources = [1, 2].map((node) => new DataSource({ type: 'mysql', url: db.url(node) }));
    try {
      await Promise.all(sources.map((s) => s.initialize()));
      await sources[0].query('CREATE TABLE counter (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB');
      await sources[0].query('INSERT INTO counter VALUES (1, 0)');
      // Both first attempts update the row on their own node before either commits: Galera's row locks do not cross
      // nodes, so both get that far, and one of them fails certification (or is aborted by the other's write set).
      const runs = [0, 0];
      let updated = 0;
      let release: () => void = () => undefined;
      const bothUpdated = new Promise<void>((resolve) => (release = resolve));
      await Promise.all(
        sources.map((source, i) =>
          inTransaction(source, async (manager) => {
            runs[i]++;
            await manager.query('UPDATE counter SET n = n + 1 WHERE id = 1');
            if (runs[i] === 1) {
              if (++updated === 2) release();
              await bothUpdated;
            }
          }),
        ),
      );
      expect(runs[0] + runs[1]).toBeGreaterThanOrEqual(3);
      for (const source of sources) {
        // Causal reads (wsrep_sync_wait = 1): each node shows both increments, and no more.
        expect(await source.query('SELECT n FROM counter WHERE id = 1')).toEqual([{ n: 2 }]);
      }
    } finally {
      await Promise.all(sources.filter((s) => s.isInitialized).map((s) => s.destroy()));
      await db.drop();
    }
  });

  describe('migrations', () => {
    let dataDir = '';
    const servers: ServerProcess[] = [];
    const serverEnv = (url: string) => ({
      DATABASE_URL: url,
      DATA_DIR: dataDir,
      ADMIN_PASSWORD: 'Migration-test-password-1',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
    });
    // Ports beside the proxy's, away from its instances'.
    let port = 0;

    beforeAll(() => {
      port = Number(new URL(cluster().proxyUrl).port) + 50 + Math.floor(Math.random() * 30);
      dataDir = mkdtempSync(join(tmpdir(), 'scim-cluster-migrations-'));
    });
    afterEach(async () => {
      await Promise.all(servers.splice(0).map((s) => s.stop()));
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('run once when three instances start at the same moment on three nodes', async () => {
      const db = await scratchDatabase('scim_migrate');
      try {
        for (let node = 1; node <= 3; node++) servers.push(startServer(serverEnv(db.url(node)), port++));
        const healthy = await Promise.all(servers.map((s) => s.healthy(90_000)));
        expect(healthy).toEqual([true, true, true]);
        const applied = servers.map((s) => (s.output().match(/Applied \d+ migration/g) ?? []).length);
        expect(applied.reduce((a, b) => a + b)).toBe(1);
        const connection = await connectToNode(3, db.name);
        try {
          const [rows] = (await connection.query('SELECT name FROM schema_migrations')) as unknown as [
            { name: string }[],
          ];
          expect(rows.map((r) => r.name).sort()).toEqual(
            (SERVER_SCHEMA.migrations('mysql') as { name: string }[]).map((m) => m.name).sort(),
          );
          const [locks] = (await connection.query(`SELECT * FROM ${MIGRATION_LOCK_TABLE}`)) as unknown as [unknown[]];
          expect(locks).toEqual([]);
        } finally {
          await connection.end();
        }
      } finally {
        await Promise.all(servers.splice(0).map((s) => s.stop()));
        await db.drop();
      }
    });

    it('an instance that starts while another holds the lock waits, then starts once it is released', async () => {
      const db = await scratchDatabase('scim_wait');
      const holder = await connectToNode(1, db.name);
      try {
        await holdMigrationLock(holder, 'another-instance', '10 MINUTE');
        const server = startServer(serverEnv(db.url(2)), port++);
        servers.push(server);
        const waiting = 'Waiting for the migrations run by another-instance';
        for (let i = 0; i < 300 && !server.output().includes(waiting) && server.child.exitCode === null; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(server.output()).toContain(waiting);
        // It keeps waiting: no answer, no table of its own.
        expect(await server.healthy(3000)).toBe(false);
        const [tables] = (await holder.query('SHOW TABLES')) as unknown as [Record<string, string>[]];
        expect(tables.map((t) => Object.values(t)[0])).toEqual([MIGRATION_LOCK_TABLE]);

        await holder.query(`DELETE FROM ${MIGRATION_LOCK_TABLE} WHERE id = 1`);
        expect(await server.healthy(30_000)).toBe(true);
      } finally {
        await holder.end();
        await Promise.all(servers.splice(0).map((s) => s.stop()));
        await db.drop();
      }
    });

    it('a lock left by an instance that died is taken over once its lease runs out', async () => {
      const db = await scratchDatabase('scim_takeover');
      const holder = await connectToNode(1, db.name);
      try {
        await holdMigrationLock(holder, 'a-dead-instance', '3 SECOND');
        const server = startServer(serverEnv(db.url(3)), port++);
        servers.push(server);
        expect(await server.healthy(60_000)).toBe(true);
        expect(server.output()).toContain('Took over the migration lock');
      } finally {
        await holder.end();
        await Promise.all(servers.splice(0).map((s) => s.stop()));
        await db.drop();
      }
    });
  });
});
