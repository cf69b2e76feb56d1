/**
 * `npm run bench:scale`: the Entra user phase (a `userName eq` lookup then a create per new user) against the size of
 * the population already there. Per dialect: one fresh database made ready for Entra and one built `dist/` server
 * process (NODE_ENV=production, as in `npm run bench`) for the whole run; the population is seeded by bulk INSERT
 * beside the running server (workload/seed.ts) up to each step (default 3,000 → 10,000 → 30,000 → 100,000), read back
 * over HTTP and left to settle, then measured: a batch of new users (default 1,000, concurrency 8) and `userName eq`
 * on existing users one at a time, each twice by default (users then lookups, then lookups then users), the figure
 * being the median. Every created user is checked (the listed total grows by the batch; a sample read back by id and by
 * `userName eq`), so a fast wrong answer fails the run. Writes its section of BENCHMARKS.md and a chart
 * (`--report FILE` elsewhere, `--no-report` for none). Options: `--populations 3000,10000,30000,100000`,
 * `--batch N`, `--samples N` (lookups per measurement, default 500), `--dialect sqlite|mysql`, `--concurrency N`,
 * `--mysql-buffer-pool MiB`, `--mysql-url URL`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Dialect } from '@nest-scim/persistence';
import { cpuTimeMs } from './probes/cpu-time';
import { probeFixedCost, probeLookups } from './probes/probes';
import { focusedDefaults, readFocusedArgs, wholeNumber } from './focused-args';
import { runFocusedBenchmark } from './focused-run';
import { machineLine } from './report/machine';
import { lineChart } from './report/svg-chart';
import { ROOT, SERVER_ARGS } from './servers/built-server';
import { ServerProcess } from './servers/processes';
import { prepareDatabase } from './servers/server-setup';
import * as entra from './workload/entra-shapes';
import { HttpClient, PhaseRecorder, PhaseResult, runPool } from './workload/http-client';
import { Rng } from './workload/rng';
import { Seeder } from './workload/seed';
import type { LatencySummary } from './workload/stats';

const BEGIN = '<!-- bench:scale:begin (written by scripts/bench/scale.ts; edit outside these markers) -->';
const END = '<!-- bench:scale:end -->';
const SCIM_BASE = '/api/scim/v2';
const WARM_UP = 200;
/** Created users read back by id and by `userName eq` after each batch. */
const READ_BACK = 25;
const DEFAULTS = { populations: [3000, 10000, 30000, 100000], batch: 1000, samples: 500, rounds: 2, concurrency: 8 };
/** The targets: throughput at the largest population against the smallest, and lookup p50 at the largest. */
const TARGET_RATIO = 0.9;
/** How long a step waits for the database to absorb its bulk load (InnoDB's dirty pages), as the main benchmark. */
const SETTLE_MAX_SECONDS = 60;
const TARGET_P50: Record<Dialect, number> = { sqlite: 1, mysql: 1.5 };

interface Options {
  dialects: Dialect[];
  populations: number[];
  batch: number;
  samples: number;
  rounds: number;
  concurrency: number;
  mysqlUrl: string;
  mysqlBufferPoolMiB?: number;
  report?: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    ...DEFAULTS,
    ...focusedDefaults(),
  };
  readFocusedArgs(argv, options, (arg, value) => {
    if (arg === '--populations') {
      options.populations = value()
        .split(',')
        .filter(Boolean)
        .map((n) => wholeNumber(arg, n));
      if (options.populations.length === 0) throw new Error('--populations needs at least one size');
    } else if (arg === '--batch') options.batch = wholeNumber(arg, value());
    else if (arg === '--samples') options.samples = wholeNumber(arg, value());
    else if (arg === '--rounds') options.rounds = wholeNumber(arg, value());
    else if (arg === '--concurrency') options.concurrency = wholeNumber(arg, value());
    else if (arg === '--mysql-buffer-pool') options.mysqlBufferPoolMiB = Math.max(8, wholeNumber(arg, value()));
    else return false;
    return true;
  });
  options.populations = [...new Set(options.populations)].sort((a, b) => a - b);
  return options;
}

/** One measurement of the user phase: a batch of new users into a population of `before` SCIM users. */
interface UserBatch {
  before: number;
  phase: PhaseResult;
  /** The server process's CPU time (user + system) per request, ms. */
  serverCpuMs: number;
  /** That CPU time over the phase's wall time: 1 is one core kept busy (Node runs JavaScript on one). */
  serverBusy: number;
  /** The database server's CPU time per request, ms (MySQL only; the machine's whole mysqld, so others' work too). */
  databaseCpuMs?: number;
  loadAverage: number;
}

interface Step {
  population: number;
  seeded: { added: number; seconds: number; settledSeconds: number };
  batches: UserBatch[];
  lookups: LatencySummary[];
  /** `GET /ServiceProviderConfig` one at a time: the access checks and a static answer, the floor of any request. */
  fixedCost: LatencySummary[];
}

interface DialectResult {
  dialect: Dialect;
  steps: Step[];
  loadAverage: [number, number];
}

const log = (line: string) => process.stdout.write(`${line}\n`);

/** The median, the mean of the middle two for an even count. */
function mid(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const m = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** The MariaDB/MySQL server's process id when it runs on this machine and says where its pid file is. */
async function databasePid(mysqlUrl: string): Promise<number | undefined> {
  const { createConnection } = await import('mysql2/promise');
  const connection = await createConnection({ uri: mysqlUrl });
  try {
    const [rows] = await connection.query('SELECT @@pid_file AS file');
    const pid = Number(readFileSync((rows as { file: string }[])[0].file, 'utf8').trim());
    cpuTimeMs(pid);
    return pid;
  } catch {
    return undefined;
  } finally {
    await connection.end();
  }
}

class Failure extends Error {}

function userState(population: number, round: number, index: number): entra.UserState {
  const userName = `Scale.${population}.${round}.${index}@Contoso.example`;
  return {
    userName,
    externalId: `scale-${population}-${round}-${index}`,
    displayName: `Scale User ${index}`,
    givenName: 'Scale',
    familyName: `User${index}`,
    email: userName.toLowerCase(),
    employeeNumber: String(700000 + index),
    department: 'Engineering',
    active: true,
  };
}

async function countUsers(client: HttpClient): Promise<number> {
  const r = await client.request('GET', '/Users?count=0');
  if (r.status !== 200 || typeof r.body?.totalResults !== 'number') {
    throw new Failure(`counting users answered ${r.status} ${JSON.stringify(r.body)}`);
  }
  return r.body.totalResults;
}

/** Finds exactly this user by `userName eq`, with the id and externalId it was created with. */
async function expectUser(client: HttpClient, user: entra.UserState, id: string | undefined): Promise<void> {
  const r = await client.request('GET', entra.userNameQuery(user.userName));
  const found = r.body?.Resources?.[0];
  if (
    r.status !== 200 ||
    r.body?.totalResults !== 1 ||
    found?.userName !== user.userName ||
    found?.externalId !== user.externalId ||
    (id !== undefined && found?.id !== id)
  ) {
    throw new Failure(`${user.userName} does not read back: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

/** A batch of new users as Entra provisions them (lookup, then create), checked afterwards. */
async function userBatch(
  client: HttpClient,
  pids: { server: number; database?: number },
  population: number,
  round: number,
  options: Options,
): Promise<UserBatch> {
  const before = await countUsers(client);
  const people = Array.from({ length: options.batch }, (_, i) => userState(population, round, i));
  const ids: (string | undefined)[] = [];
  const unexpected: string[] = [];
  const rec = new PhaseRecorder('users');
  const server0 = cpuTimeMs(pids.server);
  const database0 = pids.database ? cpuTimeMs(pids.database) : 0;
  await runPool(people.length, options.concurrency, async (i) => {
    const user = people[i];
    const query = await client.request('GET', entra.userNameQuery(user.userName));
    rec.record('lookup', query.ms);
    if (query.status !== 200 || query.body?.totalResults !== 0) {
      unexpected.push(`lookup of new ${user.userName}: ${query.status} ${JSON.stringify(query.body)}`);
    }
    const created = await client.request('POST', '/Users', entra.createUserBody(user));
    rec.record('create', created.ms);
    if (created.status !== 201 || created.body?.userName !== user.userName || typeof created.body?.id !== 'string') {
      unexpected.push(`create ${user.userName}: ${created.status} ${JSON.stringify(created.body)}`);
    } else ids[i] = created.body.id;
  });
  const phase = rec.finish();
  const serverCpu = cpuTimeMs(pids.server) - server0;
  const databaseCpu = pids.database ? cpuTimeMs(pids.database) - database0 : undefined;
  if (unexpected.length) {
    throw new Failure(`${unexpected.length} unexpected answers, e.g. ${unexpected.slice(0, 3).join('; ')}`);
  }
  const after = await countUsers(client);
  if (after !== before + options.batch) {
    throw new Failure(`${after} users listed after creating ${options.batch} into ${before}`);
  }
  const rng = new Rng(population * 10 + round);
  for (let k = 0; k < READ_BACK; k++) {
    const i = k === 0 ? 0 : k === 1 ? people.length - 1 : rng.int(people.length);
    const byId = await client.request('GET', `/Users/${ids[i]}`);
    const work = (byId.body?.emails ?? []).find((e: { type?: string }) => e.type === 'work');
    if (byId.status !== 200 || byId.body?.userName !== people[i].userName || work?.value !== people[i].email) {
      throw new Failure(`${people[i].userName} does not read back by id: ${byId.status} ${JSON.stringify(byId.body)}`);
    }
    await expectUser(client, people[i], ids[i]);
  }
  return {
    before,
    phase,
    serverCpuMs: serverCpu / phase.requests,
    serverBusy: serverCpu / (phase.seconds * 1000),
    databaseCpuMs: databaseCpu === undefined ? undefined : databaseCpu / phase.requests,
    loadAverage: loadavg()[0],
  };
}

async function runDialect(dialect: Dialect, options: Options): Promise<DialectResult> {
  const load0 = loadavg()[0];
  log(`${dialect}: preparing a database (admin, token, license, SAML, SCIM mode)`);
  const db = await prepareDatabase(dialect, { mysqlUrl: options.mysqlUrl, logLevel: 'info' });
  const steps: Step[] = [];
  try {
    const server = await ServerProcess.start({
      name: `server (${dialect})`,
      args: SERVER_ARGS,
      env: db.env,
      logFile: join(tmpdir(), `scim-scale-${dialect}.log`),
      readyPath: '/api/system/health',
    });
    const client = new HttpClient(`http://127.0.0.1:${server.port}`, SCIM_BASE, db.token, options.concurrency);
    const seeder = await Seeder.open(db.config);
    try {
      const pids = {
        server: server.pid,
        database: dialect === 'mysql' ? await databasePid(options.mysqlUrl) : undefined,
      };
      // Entra's "Test Connection" (lookups of unknown names), then users created as in a batch, all untimed: the
      // first step is otherwise measured while the create path is still cold (seen: its first batch 0.65× its second).
      // The warm-up users count in the population the first step is seeded up to.
      const rng = new Rng(7);
      const unknown = Array.from({ length: WARM_UP }, () => rng.guid());
      await runPool(WARM_UP, options.concurrency, async (i) => {
        const r = await client.request('GET', entra.userNameQuery(unknown[i]));
        if (r.status !== 200) throw new Failure(`warm-up lookup answered ${r.status} ${JSON.stringify(r.body)}`);
      });
      await runPool(WARM_UP, options.concurrency, async (i) => {
        const user = userState(0, -1, i);
        await client.request('GET', entra.userNameQuery(user.userName));
        const r = await client.request('POST', '/Users', entra.createUserBody(user));
        if (r.status !== 201) throw new Failure(`warm-up create answered ${r.status} ${JSON.stringify(r.body)}`);
      });
      const existing: string[] = [];
      for (const population of options.populations) {
        const t0 = Date.now();
        const added = await seeder.topUpUsers(population, 'scale');
        const seconds = (Date.now() - t0) / 1000;
        client.resetConnections();
        existing.push(...added);
        // Seeded rows are only trusted once the server reads them back as Entra would.
        for (const userName of added.length ? [added[0], added[added.length - 1]] : []) {
          const r = await client.request('GET', entra.userNameQuery(userName));
          if (r.status !== 200 || r.body?.totalResults !== 1 || r.body.Resources[0].userName !== userName) {
            throw new Failure(`a seeded user does not read back: ${r.status} ${JSON.stringify(r.body)}`);
          }
        }
        const count = await countUsers(client);
        if (count < population) throw new Failure(`${count} users listed after seeding to ${population}`);
        const settledSeconds = await seeder.settle(SETTLE_MAX_SECONDS);
        log(
          `${dialect}: ${count.toLocaleString('en')} users (${added.length.toLocaleString('en')} seeded in ` +
            `${seconds.toFixed(1)} s, settled in ${settledSeconds.toFixed(1)} s)`,
        );
        const step: Step = {
          population,
          seeded: { added: added.length, seconds, settledSeconds },
          batches: [],
          lookups: [],
          fixedCost: [],
        };
        for (let round = 0; round < options.rounds; round++) {
          // Users then lookups, then lookups then users: a drift of the machine falls on both figures alike.
          const order = round % 2 === 0 ? (['users', 'lookups'] as const) : (['lookups', 'users'] as const);
          for (const what of order) {
            if (what === 'users') {
              const batch = await userBatch(client, pids, population, round, options);
              step.batches.push(batch);
              log(
                `  ${population} users, round ${round + 1}: user phase ${batch.phase.rps.toFixed(0)} req/s ` +
                  `(p50 ${batch.phase.latency.p50.toFixed(1)} ms, p99 ${batch.phase.latency.p99.toFixed(1)} ms), ` +
                  `server CPU ${batch.serverCpuMs.toFixed(2)} ms/request (${(batch.serverBusy * 100).toFixed(0)} % of a core)` +
                  (batch.databaseCpuMs === undefined ? '' : `, mysqld ${batch.databaseCpuMs.toFixed(2)} ms/request`) +
                  `, load ${batch.loadAverage.toFixed(1)}`,
              );
            } else {
              const probe = await probeLookups(client, existing, population, options.samples, population + round, true);
              step.lookups.push(probe.latency);
              const fixed = await probeFixedCost(client, options.samples);
              step.fixedCost.push(fixed);
              log(
                `  ${population} users, round ${round + 1}: userName eq p50 ${probe.latency.p50.toFixed(2)} ms, ` +
                  `p99 ${probe.latency.p99.toFixed(2)} ms; GET /ServiceProviderConfig p50 ${fixed.p50.toFixed(2)} ms`,
              );
            }
          }
        }
        steps.push(step);
      }
    } finally {
      client.close();
      await seeder.close();
      await server.stop();
    }
  } finally {
    await db.drop();
  }
  return { dialect, steps, loadAverage: [load0, loadavg()[0]] };
}

const NAME: Record<Dialect, string> = { sqlite: 'SQLite', mysql: 'MySQL' };
const COLOR: Record<Dialect, string> = { sqlite: '#1f77b4', mysql: '#d62728' };

const rps = (s: Step) => mid(s.batches.map((b) => b.phase.rps));

function chart(results: DialectResult[], batch: number): string {
  return lineChart({
    title: `SCIM user phase (lookup + create of ${batch.toLocaleString('en')} new users) against population`,
    xLabel: 'SCIM users already there',
    yLabel: 'requests per second (median of the batches)',
    series: results.map((r) => ({
      name: NAME[r.dialect],
      color: COLOR[r.dialect],
      points: r.steps.map((s) => ({ x: s.population, y: rps(s) })),
      guide: r.steps.length
        ? { y: rps(r.steps[0]) * TARGET_RATIO, label: `${NAME[r.dialect]}: 90 % of ${r.steps[0].population}` }
        : undefined,
    })),
  });
}

function render(
  options: Options,
  results: DialectResult[],
  machine: string,
  databases: string[],
  started: Date,
  chartFile?: string,
): string {
  const n = (v: number) => v.toLocaleString('en');
  const args = [
    ...(options.populations.join(',') === DEFAULTS.populations.join(',')
      ? []
      : [`--populations ${options.populations.join(',')}`]),
    ...(options.batch === DEFAULTS.batch ? [] : [`--batch ${options.batch}`]),
    ...(options.samples === DEFAULTS.samples ? [] : [`--samples ${options.samples}`]),
    ...(options.concurrency === DEFAULTS.concurrency ? [] : [`--concurrency ${options.concurrency}`]),
    ...(options.dialects.length === 1 ? [`--dialect ${options.dialects[0]}`] : []),
    ...(options.mysqlBufferPoolMiB ? [`--mysql-buffer-pool ${options.mysqlBufferPoolMiB}`] : []),
  ];
  const first = options.populations[0];
  const last = options.populations[options.populations.length - 1];
  const lines = [
    BEGIN,
    '',
    '## User-phase throughput against population size',
    '',
    `- Command: \`npm run bench:scale${args.length ? ` -- ${args.join(' ')}` : ''}\``,
    `- Date: ${started.toISOString()}`,
    `- Machine: ${machine}`,
    `- Databases: ${databases.join('; ')}`,
    `- Load average (1 min) at the start and end of each database: ${results
      .map((r) => `${NAME[r.dialect]} ${r.loadAverage.map((l) => l.toFixed(1)).join(' → ')}`)
      .join(', ')}`,
    `- Per database: one fresh database made ready for Entra and one built \`dist/\` server process (\`NODE_ENV=production LOG_LEVEL=info\`) for the whole run; untimed first, ${WARM_UP} lookups of unknown names and ${WARM_UP} users looked up and created. At each population the SCIM users are seeded by bulk INSERT beside the running server up to that size, read back over HTTP, and the database left to settle (SQLite checkpoints its WAL; MySQL waits until InnoDB has flushed its dirty pages). Then ${options.rounds} rounds (users then lookups, then lookups then users, and so on): a batch of ${n(options.batch)} new users at concurrency ${options.concurrency}, each a \`userName eq\` lookup (answered empty) then a create; and ${n(options.samples)} \`userName eq\` lookups of random seeded users one at a time (after 20 unmeasured), and as many \`GET /ServiceProviderConfig\` (the access checks and a static answer: what every request pays before its own work). Figures are the median of the rounds${options.rounds === 2 ? ' (the mean of the two)' : ''}. The batches add to the population: each batch at a step starts ${n(options.batch)} users above the one before, and each step is seeded from where the last one ended.`,
    `- Checked: every lookup of a new user answers 0 results, every create 201 with its userName; after each batch the listed total has grown by exactly ${n(options.batch)}, and ${READ_BACK} of its users (the first, the last, the rest at random) read back by id (userName, work email) and by \`userName eq\` (one result, the same id and externalId); every probe lookup finds its user. Any other answer fails the run.`,
    `- Server CPU is the server process's user + system time over the batch (\`/proc/<pid>/stat\`), per request and as a share of one core (Node runs the JavaScript on one; its GC and I/O threads can take it past 100 %); mysqld CPU is the whole database server's, which other work on this machine can add to.`,
    '',
  ];
  if (chartFile) lines.push(`![user-phase throughput against population](${chartFile})`, '');
  for (const r of results) {
    const base = r.steps[0] ? rps(r.steps[0]) : NaN;
    const mysql = r.dialect === 'mysql';
    lines.push(
      `### ${NAME[r.dialect]}`,
      '',
      `| population | users req/s (each batch) | ratio to ${n(first)} | user phase p50 / p99 ms | server CPU ms/request | server CPU, share of a core |${mysql ? ' mysqld CPU ms/request |' : ''} \`userName eq\` p50 ms | p99 ms | \`GET /ServiceProviderConfig\` p50 ms | load average |`,
      `|---|---|---|---|---|---|${mysql ? '---|' : ''}---|---|---|---|`,
    );
    for (const s of r.steps) {
      const b = s.batches;
      const p = (f: (x: UserBatch) => number, digits: number) => mid(b.map(f)).toFixed(digits);
      lines.push(
        `| ${n(s.population)} | ${rps(s).toFixed(0)} (${b.map((x) => x.phase.rps.toFixed(0)).join(', ')}) | ${(rps(s) / base).toFixed(2)} | ${p((x) => x.phase.latency.p50, 1)} / ${p((x) => x.phase.latency.p99, 1)} | ${p((x) => x.serverCpuMs, 2)} | ${p((x) => x.serverBusy * 100, 0)} % |${mysql ? ` ${b.every((x) => x.databaseCpuMs !== undefined) ? p((x) => x.databaseCpuMs!, 2) : 'n/a'} |` : ''} ${mid(s.lookups.map((l) => l.p50)).toFixed(2)} | ${mid(s.lookups.map((l) => l.p99)).toFixed(2)} | ${mid(s.fixedCost.map((l) => l.p50)).toFixed(2)} | ${b.map((x) => x.loadAverage.toFixed(1)).join(', ')} |`,
      );
    }
    const seeding = r.steps
      .filter((s) => s.seeded.added > 0)
      .map(
        (s) =>
          `${n(s.seeded.added)} to reach ${n(s.population)} in ${s.seeded.seconds.toFixed(1)} s (settled in ${s.seeded.settledSeconds.toFixed(1)} s${s.seeded.settledSeconds >= SETTLE_MAX_SECONDS ? ', the wait ran out' : ''})`,
      );
    lines.push('', `Seeded: ${seeding.join('; ')}.`, '');
  }
  lines.push(
    `### Against the targets (${n(last)} users against ${n(first)}, in this run)`,
    '',
    `| database | throughput at ${n(last)} / at ${n(first)} (target ≥ ${TARGET_RATIO}) | \`userName eq\` p50 at ${n(last)} |`,
    '|---|---|---|',
  );
  for (const r of results) {
    if (r.steps.length === 0) continue;
    const ratio = rps(r.steps[r.steps.length - 1]) / rps(r.steps[0]);
    const p50 = mid(r.steps[r.steps.length - 1].lookups.map((l) => l.p50));
    const target = TARGET_P50[r.dialect];
    lines.push(
      `| ${NAME[r.dialect]} | ${ratio.toFixed(2)} (${ratio >= TARGET_RATIO ? 'met' : 'missed'}) | ${p50.toFixed(2)} ms, target ≤ ${target} ms (${p50 <= target ? 'met' : 'missed'}) |`,
    );
  }
  lines.push('', END);
  return lines.join('\n');
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  return runFocusedBenchmark(
    options,
    { begin: BEGIN, end: END },
    (dialect) => runDialect(dialect, options),
    ({ started, machine, results }) => {
      const resultsFile = join(tmpdir(), 'scim-scale-results.json');
      writeFileSync(resultsFile, JSON.stringify({ started, options, machine, results }, null, 2) + '\n');
      log(`all figures in ${resultsFile}`);
      let chartLink: string | undefined;
      if (options.report) {
        // The repository's report keeps its charts beside the benchmark; any other report gets a folder of its own.
        const chartsDir =
          options.report === join(ROOT, 'BENCHMARKS.md')
            ? join(ROOT, 'scripts/bench/results')
            : `${options.report}.charts`;
        mkdirSync(chartsDir, { recursive: true });
        const chartFile = join(chartsDir, 'scale-throughput.svg');
        writeFileSync(chartFile, chart(results, options.batch));
        chartLink = relative(dirname(options.report), chartFile);
      }
      return render(options, results, machineLine(machine), machine.databases, started, chartLink);
    },
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const failed = error instanceof Failure ? 'FAILED — a fast wrong answer is not a result: ' : '';
    process.stderr.write(
      `scale benchmark failed: ${failed}${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(error instanceof Failure ? 1 : 2);
  },
);
