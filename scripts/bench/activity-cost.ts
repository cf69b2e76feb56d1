/**
 * `npm run bench:activity`: what recording the SCIM activity costs a SCIM request. Per dialect, the built `dist/`
 * server (NODE_ENV=production, as in `npm run bench`) runs with SCIM_ACTIVITY_RECORDING=on and =off in interleaved
 * rounds (on, off, then off, on, …), each on a fresh database made ready for Entra: the same untimed warm-up, then
 * the Entra-shaped user phase (a `userName eq` lookup then a create per user) and a phase of user PATCHes, at the same
 * concurrency. After each run the server is stopped (which writes what is still buffered) and the activity rows are
 * counted: every request's row with recording on, none with it off; any other count, or any unexpected answer, fails
 * the benchmark. Writes its section of BENCHMARKS.md (`--report FILE` elsewhere, `--no-report` for none). Options:
 * `--dialect sqlite|mysql`, `--users N` (default 2000), `--patches N` (default 2000), `--rounds N` (runs of each
 * setting, default 3), `--concurrency N` (default 8), `--mysql-url URL`.
 */
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { Dialect } from '@nest-scim/persistence';
import { cpuTimeMs } from './probes/cpu-time';
import { focusedDefaults, readFocusedArgs, wholeNumber } from './focused-args';
import { runFocusedBenchmark } from './focused-run';
import { machineLine } from './report/machine';
import { SERVER_ARGS } from './servers/built-server';
import { ServerProcess } from './servers/processes';
import { prepareDatabase, PreparedDatabase } from './servers/server-setup';
import * as entra from './workload/entra-shapes';
import { HttpClient, PhaseRecorder, PhaseResult, runPool } from './workload/http-client';
import { Rng } from './workload/rng';
import { median } from './workload/stats';

const BEGIN = '<!-- bench:activity:begin (written by scripts/bench/activity-cost.ts; edit outside these markers) -->';
const END = '<!-- bench:activity:end -->';
const SCIM_BASE = '/api/scim/v2';
const ACTIVITY_TABLE = 'scim_activity_records';
const WARM_UP = 200;

type Recording = 'on' | 'off';

interface Options {
  dialects: Dialect[];
  users: number;
  patches: number;
  rounds: number;
  concurrency: number;
  mysqlUrl: string;
  report?: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { ...focusedDefaults(), users: 2000, patches: 2000, rounds: 3, concurrency: 8 };
  readFocusedArgs(argv, options, (arg, value) => {
    if (arg === '--users') options.users = wholeNumber(arg, value());
    else if (arg === '--patches') options.patches = wholeNumber(arg, value());
    else if (arg === '--rounds') options.rounds = wholeNumber(arg, value());
    else if (arg === '--concurrency') options.concurrency = wholeNumber(arg, value());
    else return false;
    return true;
  });
  if (options.patches > options.users) throw new Error('--patches cannot exceed --users (one PATCH per created user)');
  return options;
}

/** on, off, then off, on, …: each setting runs first in half of the rounds, so a drift of the machine hits both. */
export function interleave(rounds: number): Recording[] {
  const order: Recording[] = [];
  for (let r = 0; r < rounds; r++) order.push(...(r % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)));
  return order;
}

interface Run {
  recording: Recording;
  users: PhaseResult;
  patches: PhaseResult;
  /** The server process's CPU time (user + system) per request of each phase, ms: less shaken by a busy machine. */
  cpu: { users: number; patches: number };
  /** Every SCIM request the run sent (warm-up included): each leaves one row when recording is on. */
  sent: number;
  rows: number;
}

interface DialectResult {
  dialect: Dialect;
  runs: Run[];
  loadAverage: [number, number];
}

const log = (line: string) => process.stdout.write(`${line}\n`);

function userState(index: number, rng: Rng): entra.UserState {
  const given = ['Adele', 'Alex', 'Diego', 'Grady', 'Johanna', 'Megan'][rng.int(6)];
  const family = ['Vance', 'Wilber', 'Archie', 'Mueller', 'Gu'][rng.int(5)];
  const userName = `${given}.${family}.${index}@Contoso.example`;
  return {
    userName,
    externalId: `${given.toLowerCase()}${index}`,
    displayName: `${given} ${family}`,
    givenName: given,
    familyName: family,
    email: userName.toLowerCase(),
    employeeNumber: String(100000 + index),
    department: 'Engineering',
    active: true,
  };
}

async function countRows(db: PreparedDatabase): Promise<number> {
  if (db.dialect === 'mysql') {
    const connection = await createConnection({ uri: db.env.DATABASE_URL });
    try {
      const [rows] = await connection.query(`SELECT COUNT(*) AS n FROM ${ACTIVITY_TABLE}`);
      return Number((rows as { n: number | string }[])[0].n);
    } finally {
      await connection.end();
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as new (
    file: string,
    options: { readonly: boolean },
  ) => { prepare(sql: string): { get(): { n: number } }; close(): void };
  const sqlite = new Database(db.config.database.sqlitePath, { readonly: true });
  try {
    return sqlite.prepare(`SELECT COUNT(*) AS n FROM ${ACTIVITY_TABLE}`).get().n;
  } finally {
    sqlite.close();
  }
}

/** One run: a fresh database, the server with the setting, the warm-up, the measured phases, then the rows counted. */
async function runOnce(dialect: Dialect, recording: Recording, index: number, options: Options): Promise<Run> {
  const db = await prepareDatabase(dialect, { mysqlUrl: options.mysqlUrl, logLevel: 'info' });
  try {
    const server = await ServerProcess.start({
      name: `server (${dialect}, recording ${recording})`,
      args: SERVER_ARGS,
      env: { ...db.env, SCIM_ACTIVITY_RECORDING: recording },
      logFile: join(tmpdir(), `scim-activity-cost-${dialect}-${index}-${recording}.log`),
      readyPath: '/api/system/health',
    });
    const client = new HttpClient(`http://127.0.0.1:${server.port}`, SCIM_BASE, db.token, options.concurrency);
    let sent = 0;
    const unexpected: string[] = [];
    const call = async (rec: PhaseRecorder | undefined, kind: string, method: string, path: string, body?: unknown) => {
      const result = await client.request(method, path, body);
      sent++;
      rec?.record(kind, result.ms);
      const expected = kind === 'create' ? 201 : 200;
      if (result.status !== expected) unexpected.push(`${method} ${path.split('?')[0]} → ${result.status}`);
      return result;
    };
    let users: PhaseResult;
    let patches: PhaseResult;
    let cpu: Run['cpu'];
    try {
      const rng = new Rng(42);
      // Entra's "Test Connection": lookups of unknown names, untimed, so neither setting is measured cold.
      const unknown = Array.from({ length: WARM_UP }, () => rng.guid());
      await runPool(WARM_UP, options.concurrency, async (i) => {
        await call(undefined, 'warm-up', 'GET', entra.userNameQuery(unknown[i]));
      });
      const people = Array.from({ length: options.users }, (_, i) => userState(i, rng));
      const ids: string[] = [];
      const cpu0 = cpuTimeMs(server.pid);
      const userPhase = new PhaseRecorder('users');
      await runPool(people.length, options.concurrency, async (i) => {
        await call(userPhase, 'lookup', 'GET', entra.userNameQuery(people[i].userName));
        const created = await call(userPhase, 'create', 'POST', '/Users', entra.createUserBody(people[i]));
        ids[i] = created.body?.id;
      });
      users = userPhase.finish();
      const cpu1 = cpuTimeMs(server.pid);
      const patchPhase = new PhaseRecorder('patches');
      await runPool(options.patches, options.concurrency, async (i) => {
        const next = { ...people[i], displayName: `${people[i].displayName} II`, employeeNumber: String(900000 + i) };
        const body = entra.patchBody(entra.replaceAttributesDefault(next));
        await call(patchPhase, 'patch', 'PATCH', `/Users/${ids[i]}`, body);
      });
      patches = patchPhase.finish();
      cpu = { users: (cpu1 - cpu0) / users.requests, patches: (cpuTimeMs(server.pid) - cpu1) / patches.requests };
    } finally {
      client.close();
      // SIGTERM: the server writes what is still buffered before it exits.
      await server.stop();
    }
    if (unexpected.length) throw new Error(`${unexpected.length} unexpected answers, e.g. ${unexpected.slice(0, 3)}`);
    const rows = await countRows(db);
    const want = recording === 'on' ? sent : 0;
    if (rows !== want) {
      throw new Error(`recording ${recording}: ${rows} activity rows after ${sent} requests, expected ${want}`);
    }
    return { recording, users, patches, cpu, sent, rows };
  } finally {
    await db.drop();
  }
}

async function runDialect(dialect: Dialect, options: Options): Promise<DialectResult> {
  const load0 = loadavg()[0];
  const runs: Run[] = [];
  const order = interleave(options.rounds);
  for (const [i, recording] of order.entries()) {
    const run = await runOnce(dialect, recording, i, options);
    runs.push(run);
    const f = (p: PhaseResult) =>
      `${p.rps.toFixed(0)} req/s, p50 ${p.latency.p50.toFixed(1)} ms, p99 ${p.latency.p99.toFixed(1)} ms`;
    log(
      `${dialect} run ${i + 1}/${order.length}, recording ${recording}: users ${f(run.users)}, ` +
        `${run.cpu.users.toFixed(2)} CPU ms/request; PATCH ${f(run.patches)}, ${run.cpu.patches.toFixed(2)} CPU ms/request; ` +
        `${run.rows} rows for ${run.sent} requests`,
    );
  }
  return { dialect, runs, loadAverage: [load0, loadavg()[0]] };
}

type Figure = (p: PhaseResult) => number;
const RPS: Figure = (p) => p.rps;
const P50: Figure = (p) => p.latency.p50;
const P99: Figure = (p) => p.latency.p99;

function render(options: Options, results: DialectResult[], machine: string, databases: string[], started: Date) {
  const name = (d: Dialect) => (d === 'sqlite' ? 'SQLite' : 'MySQL');
  const args = [
    ...(options.users === 2000 ? [] : [`--users ${options.users}`]),
    ...(options.patches === 2000 ? [] : [`--patches ${options.patches}`]),
    ...(options.rounds === 3 ? [] : [`--rounds ${options.rounds}`]),
    ...(options.concurrency === 8 ? [] : [`--concurrency ${options.concurrency}`]),
  ];
  const lines = [
    BEGIN,
    '',
    '## What recording the SCIM activity costs',
    '',
    `- Command: \`npm run bench:activity${args.length === 0 ? '' : ` -- ${args.join(' ')}`}\``,
    `- Date: ${started.toISOString()}`,
    `- Machine: ${machine}`,
    `- Databases: ${databases.join('; ')}`,
    `- Load average (1 min) at the start and end of each database: ${results
      .map((r) => `${name(r.dialect)} ${r.loadAverage.map((l) => l.toFixed(1)).join(' → ')}`)
      .join(', ')}`,
    `- Each run: a fresh database made ready for Entra, the built \`dist/\` server (\`NODE_ENV=production LOG_LEVEL=info\`) with \`SCIM_ACTIVITY_RECORDING\` on or off, ${WARM_UP} untimed lookups, then ${options.users.toLocaleString('en')} users (a \`userName eq\` lookup then a create each) and ${options.patches.toLocaleString('en')} user PATCHes (six replaced attributes, one per created user), at concurrency ${options.concurrency}. Runs in the order ${interleave(options.rounds).join(', ')} per database. After each run the server is stopped (it writes what is still buffered) and the rows of \`${ACTIVITY_TABLE}\` are counted. Server CPU is the server process's user + system time over the phase (\`/proc/<pid>/stat\`) per request: the database's own CPU (mysqld) is not in it.`,
    '',
    '| database | phase | recording on: req/s | p50 ms | p99 ms | server CPU ms/request | recording off: req/s | p50 ms | p99 ms | server CPU ms/request | on/off req/s | on/off p50 | on/off p99 | on/off CPU/request | req/s spread between runs of one setting |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    for (const phase of ['users', 'patches'] as const) {
      const of = (recording: Recording, figure: Figure) =>
        median(r.runs.filter((run) => run.recording === recording).map((run) => figure(run[phase])));
      const cpu = (recording: Recording) =>
        median(r.runs.filter((run) => run.recording === recording).map((run) => run.cpu[phase]));
      const spread = (recording: Recording) => {
        const values = r.runs.filter((run) => run.recording === recording).map((run) => run[phase].rps);
        return `${recording} ${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;
      };
      lines.push(
        `| ${name(r.dialect)} | ${phase === 'users' ? 'users (lookup + create)' : 'user PATCH'} | ${of('on', RPS).toFixed(0)} | ${of('on', P50).toFixed(1)} | ${of('on', P99).toFixed(1)} | ${cpu('on').toFixed(2)} | ${of('off', RPS).toFixed(0)} | ${of('off', P50).toFixed(1)} | ${of('off', P99).toFixed(1)} | ${cpu('off').toFixed(2)} | ${(of('on', RPS) / of('off', RPS)).toFixed(2)} | ${(of('on', P50) / of('off', P50)).toFixed(2)} | ${(of('on', P99) / of('off', P99)).toFixed(2)} | ${(cpu('on') / cpu('off')).toFixed(2)} | ${spread('on')}, ${spread('off')} |`,
      );
    }
  }
  lines.push(
    '',
    `Figures of a setting are the median of its ${options.rounds} runs${options.rounds === 2 ? ' (the mean of the two)' : ''}. Every run, in order:`,
    '',
    '| database | run | recording | users req/s | p50 ms | p99 ms | CPU ms/req | PATCH req/s | p50 ms | p99 ms | CPU ms/req | requests sent | activity rows |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of results) {
    r.runs.forEach((run, i) => {
      const f = (p: PhaseResult, cpu: number) =>
        `${p.rps.toFixed(0)} | ${p.latency.p50.toFixed(1)} | ${p.latency.p99.toFixed(1)} | ${cpu.toFixed(2)}`;
      lines.push(
        `| ${name(r.dialect)} | ${i + 1} | ${run.recording} | ${f(run.users, run.cpu.users)} | ${f(run.patches, run.cpu.patches)} | ${run.sent.toLocaleString('en')} | ${run.rows.toLocaleString('en')} |`,
      );
    });
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
    ({ started, machine, results }) => render(options, results, machineLine(machine), machine.databases, started),
  );
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `activity benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(2);
    },
  );
}
