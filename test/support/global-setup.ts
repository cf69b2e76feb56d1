import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { CLUSTER_VARIABLE, RESOLVED_CLUSTER_VARIABLE } from '../cluster/cluster-variables';
import { MYSQL_URL_VARIABLE, RESOLVED_MYSQL_URL_VARIABLE } from '../../libs/persistence/src/testing';

/** Where MariaDB listens on a developer machine when nothing else is said. */
const LOCAL_MYSQL = 'mysql://root@127.0.0.1:3306/test';

async function reachable(url: string): Promise<boolean> {
  const probe = new DataSource({ type: 'mysql', url, connectTimeout: 2000 });
  try {
    await probe.initialize();
    await probe.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    if (probe.isInitialized) await probe.destroy();
  }
}

/**
 * Decides once per run whether the database tests also run on MySQL: always when SCIM_TEST_MYSQL_URL is given (and
 * then an unreachable server fails the run), otherwise when a local MariaDB answers. Says so in one visible line.
 */
export default async function globalSetup(): Promise<void> {
  await resolveCluster();
  const given = process.env[MYSQL_URL_VARIABLE];
  if (given) {
    if (!(await reachable(given))) {
      throw new Error(`${MYSQL_URL_VARIABLE} is set, but no MySQL server answers at that URL`);
    }
    process.env[RESOLVED_MYSQL_URL_VARIABLE] = given;
    console.log(`\n[tests] database tests run on SQLite and on MySQL (${MYSQL_URL_VARIABLE})`);
    return;
  }
  if (await reachable(LOCAL_MYSQL)) {
    process.env[RESOLVED_MYSQL_URL_VARIABLE] = LOCAL_MYSQL;
    console.log(`\n[tests] database tests run on SQLite and on MySQL (local server at 127.0.0.1:3306)`);
    return;
  }
  process.env[RESOLVED_MYSQL_URL_VARIABLE] = '';
  console.log(
    `\n[tests] MySQL pass SKIPPED: no server at 127.0.0.1:3306 and ${MYSQL_URL_VARIABLE} is not set; SQLite only`,
  );
}

/**
 * Decides whether the test/cluster suite runs: when `npm run cluster:up` left a cluster that answers through its
 * proxy. SCIM_TEST_CLUSTER=required (CI) makes a missing cluster fail the run instead. Says so in one visible line.
 */
async function resolveCluster(): Promise<void> {
  const file = join(process.env.CLUSTER_DIR ?? '/tmp/scim-cluster', 'cluster.json');
  let answers = false;
  if (existsSync(file)) {
    try {
      const { proxyUrl } = JSON.parse(readFileSync(file, 'utf8')) as { proxyUrl: string };
      const health = await fetch(`${proxyUrl}/api/system/health`, {
        headers: { Connection: 'close' },
        signal: AbortSignal.timeout(3000),
      });
      answers = health.status === 200;
    } catch {
      answers = false;
    }
  }
  process.env[RESOLVED_CLUSTER_VARIABLE] = answers ? file : '';
  if (answers) return;
  if (process.env[CLUSTER_VARIABLE] === 'required') {
    throw new Error(`${CLUSTER_VARIABLE}=required, but no cluster answers (${file}); run npm run cluster:up first`);
  }
  console.log(`\n[tests] cluster suite (test/cluster) SKIPPED: no cluster is up; npm run cluster:up starts one`);
}
