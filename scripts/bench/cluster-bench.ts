/**
 * `npm run bench:cluster`: the Entra-shaped sync of the benchmark through HAProxy in front of 1, 2 and 3 server
 * instances, on the Galera cluster of `npm run cluster:up` (instance i on node i) and on the single MariaDB at
 * 127.0.0.1:3306 (every instance on it). Each configuration gets a fresh database, its own instances and its own
 * HAProxy; the sync's end state is checked against its model. Prints a Markdown table of requests per second by phase
 * and the ratios to one instance on the single server.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only scripts/bench/cluster-bench.ts [--users N] [--concurrency N]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { SERVER_ARGS } from './servers/built-server';
import { HttpClient, PhaseResult } from './workload/http-client';
import { freePort, ServerProcess } from './servers/processes';
import { prepareDatabase } from './servers/server-setup';
import { EntraWorkload } from './workload/workload';

interface Config {
  database: 'galera' | 'single';
  instances: number;
}

interface Outcome extends Config {
  phases: PhaseResult[];
  /** Galera only: write sets replicated, and transactions that lost a conflict (certification or brute-force abort). */
  replicated?: number;
  conflicts?: number;
  problems: number;
  differences: number;
  seconds: number;
}

function clusterDescription() {
  const file = join(process.env.CLUSTER_DIR ?? '/tmp/scim-cluster', 'cluster.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as {
      database: { user: string; password: string; sqlPorts: number[] };
    };
  } catch {
    throw new Error(`No cluster description at ${file}: run npm run cluster:up first`);
  }
}

async function startProxy(dir: string, ports: number[]): Promise<{ port: number; stop(): void }> {
  const port = await freePort();
  const config = [
    'global',
    '    maxconn 4096',
    'defaults',
    '    mode http',
    '    timeout connect 2s',
    '    timeout client 60s',
    '    timeout server 60s',
    '    retries 3',
    '    retry-on conn-failure',
    '    option redispatch 1',
    'frontend scim',
    `    bind 127.0.0.1:${port}`,
    '    default_backend instances',
    'backend instances',
    '    balance roundrobin',
    ...ports.map((p, i) => `    server app${i + 1} 127.0.0.1:${p}`),
    '',
  ].join('\n');
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  const child = spawn('haproxy', ['-f', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 50; i++) {
    const answered = await fetch(`http://127.0.0.1:${port}/api/system/health`, {
      headers: { Connection: 'close' },
    }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (answered) return { port, stop: () => child.kill('SIGTERM') };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('HAProxy did not start (is it installed? npm run cluster:up installs it)');
}

/** Sums of Galera counters over the nodes. */
async function galeraCounters(urls: string[]): Promise<{ replicated: number; conflicts: number }> {
  let replicated = 0;
  let conflicts = 0;
  for (const uri of urls) {
    const connection = await createConnection({ uri });
    try {
      const [rows] = (await connection.query(
        "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_replicated', 'wsrep_local_cert_failures', 'wsrep_local_bf_aborts')",
      )) as unknown as [{ Variable_name: string; Value: string }[]];
      for (const row of rows) {
        if (row.Variable_name === 'wsrep_replicated') replicated += Number(row.Value);
        else conflicts += Number(row.Value);
      }
    } finally {
      await connection.end();
    }
  }
  return { replicated, conflicts };
}

async function runConfig(config: Config, sizes: { users: number; concurrency: number }, seed: number) {
  const cluster = config.database === 'galera' ? clusterDescription() : undefined;
  const nodeUrl = (node: number) =>
    cluster
      ? `mysql://${cluster.database.user}:${cluster.database.password}@127.0.0.1:${cluster.database.sqlPorts[node - 1]}`
      : 'mysql://root@127.0.0.1:3306';
  const prepared = await prepareDatabase('mysql', { mysqlUrl: nodeUrl(1), logLevel: 'warn' });
  const dir = mkdtempSync(join(tmpdir(), 'scim-cluster-bench-'));
  const servers: ServerProcess[] = [];
  let proxy: { port: number; stop(): void } | undefined;
  try {
    const database = new URL(prepared.env.DATABASE_URL).pathname;
    for (let i = 1; i <= config.instances; i++) {
      const url = new URL(nodeUrl(cluster ? i : 1));
      url.pathname = database;
      servers.push(
        await ServerProcess.start({
          name: `instance ${i}`,
          args: SERVER_ARGS,
          env: { ...prepared.env, DATABASE_URL: url.toString() },
          logFile: join(dir, `server-${i}.log`),
          readyPath: '/api/system/health',
        }),
      );
    }
    proxy = await startProxy(
      dir,
      servers.map((s) => s.port),
    );
    const label = `${config.database} × ${config.instances}`;
    const client = new HttpClient(`http://127.0.0.1:${proxy.port}`, '/api/scim/v2', prepared.token, sizes.concurrency);
    const workload = new EntraWorkload(
      {
        users: sizes.users,
        groups: Math.max(5, Math.round(sizes.users / 50)),
        memberships: sizes.users * 2,
        concurrency: sizes.concurrency,
        seed,
      },
      { kind: 'server', label, client },
    );
    const nodes = cluster ? cluster.database.sqlPorts.map((_, i) => nodeUrl(i + 1)) : [];
    const before = cluster ? await galeraCounters(nodes) : undefined;
    await workload.run((line) => process.stderr.write(`${line}\n`));
    const after = cluster ? await galeraCounters(nodes) : undefined;
    const seconds = workload.phases.reduce((sum, p) => sum + p.seconds, 0);
    const { differences } = await workload.verify();
    client.close();
    for (const d of differences.slice(0, 5)) process.stderr.write(`  difference: ${d}\n`);
    for (const p of workload.problems.samples.slice(0, 5)) process.stderr.write(`  unexpected: ${p}\n`);
    return {
      ...config,
      phases: workload.phases,
      problems: workload.problems.count,
      differences: differences.length,
      seconds,
      ...(before && after
        ? { replicated: after.replicated - before.replicated, conflicts: after.conflicts - before.conflicts }
        : {}),
    } satisfies Outcome;
  } finally {
    proxy?.stop();
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
    await prepared.drop();
  }
}

function table(outcomes: Outcome[]): string {
  const phases = ['users', 'groups', 'memberships', 'incremental'];
  const base = outcomes.find((o) => o.database === 'single' && o.instances === 1);
  const rps = (o: Outcome, phase: string) => o.phases.find((p) => p.name === phase)?.rps ?? 0;
  const total = (o: Outcome) => o.phases.reduce((sum, p) => sum + p.requests, 0) / o.seconds;
  const lines = [
    `| database | instances | ${phases.join(' req/s | ')} req/s | whole sync req/s | vs single × 1 | p99 memberships ms | write sets | lost conflicts | unexpected |`,
    `|---|---|${phases.map(() => '---|').join('')}---|---|---|---|---|---|`,
  ];
  for (const o of outcomes) {
    const p99 = o.phases.find((p) => p.name === 'memberships')?.latency.p99 ?? 0;
    lines.push(
      `| ${o.database === 'galera' ? 'Galera, 3 nodes' : 'single MariaDB'} | ${o.instances} | ` +
        phases.map((p) => rps(o, p).toFixed(0)).join(' | ') +
        ` | ${total(o).toFixed(0)} | ${base ? (total(o) / total(base)).toFixed(2) : '–'} | ${p99.toFixed(0)} | ` +
        `${o.replicated ?? '–'} | ${o.conflicts ?? '–'} | ${o.problems + o.differences} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { users: { type: 'string' }, concurrency: { type: 'string' }, instances: { type: 'string' } },
  });
  const users = Number(values.users ?? 1000);
  const concurrency = Number(values.concurrency ?? 8);
  const counts = (values.instances ?? '1,2,3').split(',').map(Number);
  if (!Number.isInteger(users) || users < 50) throw new Error('--users must be a whole number of 50 or more');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('--concurrency must be 1 or more');
  if (!counts.every((n) => Number.isInteger(n) && n >= 1 && n <= 3)) {
    throw new Error('--instances is a list of 1, 2 or 3 (at most one instance per Galera node)');
  }
  const outcomes: Outcome[] = [];
  let seed = 11;
  for (const database of ['single', 'galera'] as const) {
    for (const instances of counts) {
      process.stderr.write(`${database}, ${instances} instance(s):\n`);
      outcomes.push(await runConfig({ database, instances }, { users, concurrency }, seed++));
    }
  }
  process.stdout.write(`${table(outcomes)}\n`);
  if (outcomes.some((o) => o.problems + o.differences > 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
