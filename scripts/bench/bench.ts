/**
 * `npm run bench`: the Entra-shaped provisioning benchmark (issue 6). Boots the built server on SQLite and on MySQL
 * as a separate process, drives it over HTTP, verifies the final state against the workload's model, probes lookup
 * latency, big-group costs and memory, and runs the same workload against a bare node:http floor and a scimmy peer
 * in the same run, so every figure can be read as a ratio. Exits non-zero when our server answers anything it
 * should not or ends in a state other than the one Entra intended.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Dialect } from '@nest-scim/persistence';
import { ROOT, SERVER_ARGS, SERVER_MAIN } from './servers/built-server';
import { HttpClient } from './workload/http-client';
import { parseOptions, BenchOptions } from './options';
import { withBufferPool } from './servers/buffer-pool';
import { createGroup, probeFixedCost, probeGroupSize, probeLookups } from './probes/probes';
import { ServerProcess } from './servers/processes';
import { checkTargets, writeReport } from './report/report';
import type { RunResult, TargetResult } from './report/results';
import { RssSampler } from './probes/rss-sampler';
import { Seeder } from './workload/seed';
import { prepareDatabase } from './servers/server-setup';
import { EntraWorkload, Target, TargetKind } from './workload/workload';
import { describeMachine } from './report/machine';

/**
 * The floor and the peer run as plain JavaScript, transpiled once into the run's folder, so their memory is theirs
 * and not the TypeScript compiler's. NODE_PATH lets them find the project's packages from there.
 */
function transpiled(file: string, outDir: string): { args: string[]; env: Record<string, string> } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const source = readFileSync(join(__dirname, 'servers', file), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  const out = join(outDir, file.replace(/\.ts$/, '.js'));
  writeFileSync(out, outputText);
  return { args: [out], env: { NODE_PATH: join(ROOT, 'node_modules') } };
}

const SCIM_BASE = '/api/scim/v2';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  if (!existsSync(SERVER_MAIN)) {
    throw new Error(`${SERVER_MAIN} is missing: build the server first (npm run build)`);
  }
  // The database is prepared from the sources and the server runs from dist/: both must be the same code.
  if (Math.max(newestSource(join(ROOT, 'apps')), newestSource(join(ROOT, 'libs'))) > statSync(SERVER_MAIN).mtimeMs) {
    log('warning: sources are newer than dist/ — run `npm run build` so the server measured is the code in the tree');
  }
  const logDir = mkdtempSync(join(tmpdir(), 'scim-bench-logs-'));
  const run: RunResult = {
    date: new Date().toISOString(),
    command: options.command,
    options,
    machine: await describeMachine(options),
    targets: [],
    skipped: [],
    failures: [],
    seconds: 0,
  };
  log(
    `SCIM benchmark (${options.mode}): ${options.users} users, ${options.groups} groups, ${options.memberships} ` +
      `memberships, concurrency ${options.concurrency}, seed ${options.seed}; server logs in ${logDir}`,
  );
  if (options.floor) run.targets.push(ended(await benchFloor(options, logDir)));
  if (options.peer) {
    try {
      run.targets.push(ended(await benchPeer(options, logDir)));
    } catch (error) {
      const line = `peer (scimmy + scimmy-routers) skipped: ${(error as Error).message.split('\n')[0]}`;
      run.skipped.push(line);
      log(line);
    }
  }
  for (const dialect of options.dialects) {
    const result = ended(
      dialect === 'mysql'
        ? await withBufferPool(options, log, () => benchServer(dialect, options, logDir))
        : await benchServer(dialect, options, logDir),
    );
    run.targets.push(result);
    if (result.unexpectedAnswers.count) {
      run.failures.push(`${result.label}: ${result.unexpectedAnswers.count} unexpected answers`);
    }
    if (result.verification?.differences) {
      run.failures.push(`${result.label}: ${result.verification.differences} differences from the intended state`);
    }
  }
  run.seconds = (Date.now() - started) / 1000;
  // Every figure of the run, for whoever wants more than the report shows.
  writeFileSync(join(logDir, 'results.json'), JSON.stringify(run, null, 2) + '\n');
  log(`all figures in ${join(logDir, 'results.json')}`);
  if (options.report) {
    const reportFile = resolve(ROOT, options.report);
    // The repository's report keeps its charts beside the benchmark; any other report gets a folder of its own.
    const chartsDir =
      reportFile === join(ROOT, 'BENCHMARKS.md') ? join(ROOT, 'scripts/bench/results') : `${reportFile}.charts`;
    writeReport(run, reportFile, chartsDir);
    log(`report written to ${options.report}`);
  }
  for (const check of checkTargets(run)) {
    const cells = Object.entries(check.cells).map(
      ([label, c]) => `${label}: ${c.text}${c.met === undefined ? '' : c.met ? ' (met)' : ' (missed)'}`,
    );
    log(`target — ${check.name}: ${cells.join('; ')}`);
  }
  log(`done in ${run.seconds.toFixed(0)} s`);
  if (run.failures.length) {
    log(`\nFAILED — a fast wrong answer is not a result:`);
    for (const failure of run.failures) log(`  ${failure}`);
    for (const target of run.targets.filter((t) => t.kind === 'server')) {
      for (const sample of [...target.unexpectedAnswers.samples, ...(target.verification?.samples ?? [])]) {
        log(`    ${target.label}: ${sample}`);
      }
    }
    return 1;
  }
  return 0;
}

function ended(result: TargetResult): TargetResult {
  result.loadAverage.push(loadavg()[0]);
  return result;
}

function profileArgs(options: BenchOptions, name: string): string[] {
  if (!options.profileDir) return [];
  return [
    '--cpu-prof',
    `--cpu-prof-dir=${resolve(options.profileDir)}`,
    `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`,
  ];
}

/** The newest source file under apps/ and libs/, to tell when dist/ is older than the code it was built from. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function emptyResult(kind: TargetKind, label: string, dialect?: Dialect): TargetResult {
  return {
    kind,
    label,
    dialect,
    phases: [],
    unexpectedAnswers: { count: 0, samples: [] },
    lookups: [],
    seeding: [],
    loadAverage: [loadavg()[0]],
    notes: [],
  };
}

async function runWorkload(target: Target, options: BenchOptions, result: TargetResult): Promise<EntraWorkload> {
  const workload = new EntraWorkload(options, target);
  await workload.run(log);
  result.fixedCost = await probeFixedCost(target.client, options.lookupSamples);
  log(`  ${target.label} GET /ServiceProviderConfig one at a time: median ${result.fixedCost.p50.toFixed(2)} ms`);
  result.phases = workload.phases;
  result.unexpectedAnswers = { count: workload.problems.count, samples: workload.problems.samples };
  if (target.kind !== 'floor') {
    const { differences, phase } = await workload.verify();
    result.verification = { differences: differences.length, samples: differences.slice(0, 25), phase };
    log(
      `  ${target.label} verify: ${differences.length ? `${differences.length} differences` : 'final state matches the model'}` +
        ` (${phase.requests} reads in ${phase.seconds.toFixed(1)} s)`,
    );
    if (target.kind === 'peer') {
      for (const line of [...workload.problems.samples.slice(0, 5), ...differences.slice(0, 5)]) log(`    ${line}`);
    }
  }
  return workload;
}

async function benchFloor(options: BenchOptions, logDir: string): Promise<TargetResult> {
  const result = emptyResult('floor', 'floor (node:http)');
  log('floor: bare node:http with canned answers');
  const floor = transpiled('floor-server.ts', logDir);
  const server = await ServerProcess.start({
    name: 'floor',
    args: floor.args,
    env: floor.env,
    logFile: join(logDir, 'floor.log'),
    readyPath: '/',
  });
  try {
    await measureReference(
      server,
      new HttpClient(`http://127.0.0.1:${server.port}`, '', 'floor', options.concurrency),
      options,
      result,
      false,
    );
  } finally {
    await server.stop();
  }
  return result;
}

/**
 * The floor's and the peer's measurement: the workload, then the lookup probe at the population it made, with the
 * process's peak RSS after each. `strict`: every lookup must find its user (the floor answers canned bodies).
 */
async function measureReference(
  server: ServerProcess,
  client: HttpClient,
  options: BenchOptions,
  result: TargetResult,
  strict: boolean,
): Promise<void> {
  const rss = new RssSampler(server.pid).start();
  const workload = await runWorkload({ kind: result.kind, label: result.label, client, rss }, options, result);
  result.syncPeakRssMiB = rss.peakMiB();
  result.lookups.push(
    await probeLookups(
      client,
      workload.liveUserNames(),
      workload.liveUsers,
      options.lookupSamples,
      options.seed,
      strict,
    ),
  );
  result.peakRssMiB = rss.peakMiB();
  rss.stop();
  client.close();
}

async function benchPeer(options: BenchOptions, logDir: string): Promise<TargetResult> {
  const result = emptyResult('peer', 'peer (scimmy)');
  log('peer: scimmy + scimmy-routers on express, in-memory store');
  for (const module of ['scimmy', 'scimmy-routers']) require.resolve(module); // a clear reason when not installed
  const token = 'peer-token';
  const peer = transpiled('peer-server.ts', logDir);
  const server = await ServerProcess.start({
    name: 'peer',
    args: [...profileArgs(options, 'peer'), ...peer.args],
    env: { ...peer.env, PEER_TOKEN: token },
    logFile: join(logDir, 'peer.log'),
    readyPath: '/scim/v2/ServiceProviderConfig',
    readyHeaders: { Authorization: `Bearer ${token}` },
  });
  try {
    const client = new HttpClient(`http://127.0.0.1:${server.port}`, '/scim/v2', token, options.concurrency);
    await measureReference(server, client, options, result, true);
  } finally {
    await server.stop();
  }
  return result;
}

async function benchServer(dialect: Dialect, options: BenchOptions, logDir: string): Promise<TargetResult> {
  const label = dialect === 'mysql' ? 'MySQL' : 'SQLite';
  const result = emptyResult('server', label, dialect);
  log(`${label}: preparing a fresh database (admin, token, license, SAML, SCIM mode)`);
  const db = await prepareDatabase(dialect, { mysqlUrl: options.mysqlUrl, logLevel: options.logLevel });
  try {
    const server = await ServerProcess.start({
      name: `server (${label})`,
      args: [...profileArgs(options, `server-${dialect}`), ...SERVER_ARGS],
      env: db.env,
      logFile: join(logDir, `server-${dialect}.log`),
      readyPath: '/api/system/health',
    });
    try {
      const rss = new RssSampler(server.pid).start();
      const client = new HttpClient(`http://127.0.0.1:${server.port}`, SCIM_BASE, db.token, options.concurrency);
      const preflight = await client.request('GET', '/Users?count=0', undefined);
      if (preflight.status !== 200) {
        throw new Error(
          `the SCIM endpoint refused the benchmark: ${preflight.status} ${JSON.stringify(preflight.body)}`,
        );
      }
      const target: Target = { kind: 'server', label, client, rss };
      const workload = await runWorkload(target, options, result);
      result.syncPeakRssMiB = rss.peakMiB();
      log(`  ${label} peak RSS after the sync: ${result.syncPeakRssMiB.toFixed(0)} MiB`);
      await probeServer(client, db.config, workload, options, result);
      result.peakRssMiB = rss.peakMiB();
      log(`  ${label} peak RSS over the run: ${result.peakRssMiB.toFixed(0)} MiB`);
      rss.stop();
      client.close();
    } finally {
      await server.stop();
    }
  } finally {
    await db.drop();
  }
  return result;
}

async function probeServer(
  client: HttpClient,
  config: Parameters<typeof Seeder.open>[0],
  workload: EntraWorkload,
  options: BenchOptions,
  result: TargetResult,
): Promise<void> {
  const seeder = await Seeder.open(config);
  const tag = options.seed.toString(36);
  try {
    const names = workload.liveUserNames();
    const grow = async (to: number) => {
      const before = await seeder.countScimUsers();
      if (before >= to) return;
      const t0 = Date.now();
      const added = await seeder.topUpUsers(to, tag);
      const seconds = (Date.now() - t0) / 1000;
      client.resetConnections();
      result.seeding.push({ toUsers: to, added: added.length, seconds });
      log(`  ${result.label} seeded ${added.length} users (bulk INSERT) to reach ${to} in ${seconds.toFixed(1)} s`);
      // Seeded rows are only trusted once the server reads them back as Entra would.
      for (const userName of [added[0], added[added.length - 1]]) {
        const r = await client.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
        const found = r.body?.Resources?.[0];
        if (r.status !== 200 || r.body?.totalResults !== 1 || found?.userName !== userName || found?.active !== true) {
          throw new Error(`a seeded user does not read back: ${r.status} ${JSON.stringify(r.body)}`);
        }
      }
      const count = await client.request('GET', '/Users?count=0');
      if (count.body?.totalResults !== to)
        throw new Error(`${count.body?.totalResults} users listed after seeding to ${to}`);
      names.push(...added);
      // The small mode checks correctness, not timing: no need to wait for the database to come to rest.
      if (options.mode !== 'small') {
        const settled = await seeder.settle();
        log(`  ${result.label} database settled after the bulk load in ${settled.toFixed(1)} s`);
      }
    };
    for (const population of options.lookupPopulations) {
      await grow(population);
      const probe = await probeLookups(client, names, population, options.lookupSamples, options.seed, true);
      result.lookups.push(probe);
      log(
        `  ${result.label} userName eq at ${population} users: median ${probe.latency.p50.toFixed(2)} ms, ` +
          `p95 ${probe.latency.p95.toFixed(2)} ms`,
      );
    }
    if (options.bigGroup > 0) {
      await grow(options.bigGroup + 100);
      const big = await createGroup(client, `Probe big ${tag}`);
      const empty = await createGroup(client, `Probe empty ${tag}`);
      const t0 = Date.now();
      await seeder.fillGroup(big, options.bigGroup);
      client.resetConnections();
      const members = await seeder.memberCount(big);
      if (members !== options.bigGroup)
        throw new Error(`the big group has ${members} members, not ${options.bigGroup}`);
      log(`  ${result.label} seeded a group of ${members} members in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      const candidates = await seeder.nonMembers(big, 20);
      const probe = await probeGroupSize(client, { big, empty }, members, candidates, options.groupProbeIterations);
      result.groupProbe = probe;
      log(
        `  ${result.label} group of ${members} vs empty: add ×${probe.add.ratio.toFixed(2)} ` +
          `(${probe.add.big.toFixed(2)} / ${probe.add.empty.toFixed(2)} ms), remove ×${probe.remove.ratio.toFixed(2)}, ` +
          `GET excludedAttributes=members ×${probe.getExcludingMembers.ratio.toFixed(2)}`,
      );
    }
  } finally {
    await seeder.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);
