/**
 * `npm run bench:large-group`: the memory a `GET /Groups/{id}` takes on a 100,000-member group against a 10-member one
 * (issue 18). Per dialect: a fresh database seeded with 100,000 SCIM users by bulk INSERT (scripts/bench/seed.ts),
 * both groups created over HTTP and filled in bulk, then each group read in a server process of its own (the built
 * `dist/` server, as in `npm run bench`): the same warm-up on the small group, then the measured reads, sampling the
 * process's resident memory. Every answer is checked (status, member count, ETag) before its figure counts. Writes
 * its section of BENCHMARKS.md (`--report FILE` elsewhere, `--no-report` for none). Options: `--dialect sqlite|mysql`,
 * `--members N` (default 100,000), `--reads N` (default 3), `--mysql-url URL`.
 */
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialect } from '@nest-scim/persistence';
import { SERVER_ARGS } from './servers/built-server';
import { focusedDefaults, readFocusedArgs, wholeNumber } from './focused-args';
import { runFocusedBenchmark } from './focused-run';
import { machineLine } from './report/machine';
import { ServerProcess } from './servers/processes';
import { RssSampler } from './probes/rss-sampler';
import { Seeder } from './workload/seed';
import { prepareDatabase, PreparedDatabase } from './servers/server-setup';

const BEGIN = '<!-- bench:large-group:begin (written by scripts/bench/large-group.ts; edit outside these markers) -->';
const END = '<!-- bench:large-group:end -->';
const SMALL_GROUP = 10;
const WARM_UP_READS = 3;
/** Finer than the main benchmark's 100 ms: one read of the large group takes about a second. */
const SAMPLE_MS = 20;

interface Options {
  dialects: Dialect[];
  members: number;
  reads: number;
  mysqlUrl: string;
  report?: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { ...focusedDefaults(), members: 100_000, reads: 3 };
  readFocusedArgs(argv, options, (arg, value) => {
    if (arg === '--members') options.members = wholeNumber(arg, value());
    else if (arg === '--reads') options.reads = wholeNumber(arg, value());
    else return false;
    return true;
  });
  return options;
}

interface Answer {
  status: number;
  etag?: string;
  chunked: boolean;
  bytes: number;
  ms: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** One HTTP request on a connection of its own; the whole answer is read and parsed here, in the benchmark's process. */
function send(port: number, token: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const t0 = performance.now();
  return new Promise((resolvePromise, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: `/api/scim/v2${path}`,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(payload ? { 'Content-Type': 'application/scim+json', 'Content-Length': payload.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolvePromise({
            status: res.statusCode ?? 0,
            etag: res.headers.etag,
            chunked: res.headers['transfer-encoding'] === 'chunked',
            bytes: Buffer.byteLength(text),
            ms: performance.now() - t0,
            body: text ? JSON.parse(text) : undefined,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface GroupReading {
  members: number;
  /** Peak resident memory of the server process while the reads ran (sampled VmRSS), MiB. */
  peakMiB: number;
  /** The process's high-water mark (VmHWM) at the end, start-up included, MiB. */
  hwmMiB: number;
  /** Resident memory after the warm-up, before the measured reads, MiB. */
  beforeMiB: number;
  bytes: number;
  chunked: boolean;
  medianMs: number;
}

interface DialectResult {
  dialect: Dialect;
  small: GroupReading;
  large: GroupReading;
  loadAverage: [number, number];
}

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Reads one group in a fresh server process: the same warm-up on the small group, then `reads` reads of `groupId`. */
async function readInOwnProcess(
  db: PreparedDatabase,
  label: string,
  smallId: string,
  groupId: string,
  expected: number,
  reads: number,
): Promise<GroupReading> {
  const server = await ServerProcess.start({
    name: `server (${db.dialect}, ${label})`,
    args: SERVER_ARGS,
    env: db.env,
    logFile: join(tmpdir(), `scim-large-group-${db.dialect}-${label}.log`),
    readyPath: '/api/system/health',
  });
  const sampler = new RssSampler(server.pid, SAMPLE_MS).start();
  try {
    for (let i = 0; i < WARM_UP_READS; i++) {
      const warm = await send(server.port, db.token, 'GET', `/Groups/${smallId}`);
      if (warm.status !== 200) throw new Error(`warm-up read answered ${warm.status}`);
    }
    const beforeMiB = sampler.currentMiB();
    sampler.resetWindow();
    const times: number[] = [];
    let last: Answer | undefined;
    for (let i = 0; i < reads; i++) {
      last = await send(server.port, db.token, 'GET', `/Groups/${groupId}`);
      const members = last.body?.members?.length ?? 0;
      if (last.status !== 200 || members !== expected || last.etag !== last.body.meta.version) {
        throw new Error(
          `${label}: status ${last.status}, ${members} members (expected ${expected}), ETag ${last.etag}`,
        );
      }
      times.push(last.ms);
    }
    const peakMiB = sampler.resetWindow();
    times.sort((a, b) => a - b);
    return {
      members: expected,
      peakMiB,
      hwmMiB: sampler.peakMiB(),
      beforeMiB,
      bytes: last!.bytes,
      chunked: last!.chunked,
      medianMs: times[Math.floor(times.length / 2)],
    };
  } finally {
    sampler.stop();
    await server.stop();
  }
}

async function runDialect(dialect: Dialect, options: Options): Promise<DialectResult> {
  const load0 = loadavg()[0];
  log(`${dialect}: preparing a database with ${options.members.toLocaleString('en')} users`);
  const db = await prepareDatabase(dialect, { mysqlUrl: options.mysqlUrl, logLevel: 'info' });
  try {
    const seeder = await Seeder.open(db.config);
    let ids: { small: string; large: string };
    try {
      await seeder.topUpUsers(options.members, 'large-group');
      // The groups are created over HTTP, as Entra creates them, then filled in bulk.
      const setup = await ServerProcess.start({
        name: `server (${dialect}, setup)`,
        args: SERVER_ARGS,
        env: db.env,
        logFile: join(tmpdir(), `scim-large-group-${dialect}-setup.log`),
        readyPath: '/api/system/health',
      });
      try {
        const create = async (displayName: string) => {
          const body = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName };
          const created = await send(setup.port, db.token, 'POST', '/Groups', body);
          if (created.status !== 201) throw new Error(`creating ${displayName} answered ${created.status}`);
          return created.body.id as string;
        };
        ids = { small: await create('Ten members'), large: await create('Everyone') };
      } finally {
        await setup.stop();
      }
      await seeder.fillGroup(ids.small, SMALL_GROUP);
      await seeder.fillGroup(ids.large, options.members);
      for (const [id, count] of [
        [ids.small, SMALL_GROUP],
        [ids.large, options.members],
      ] as const) {
        if ((await seeder.memberCount(id)) !== count) throw new Error(`the group ${id} does not have ${count} members`);
      }
      log(`${dialect}: seeded, waited ${(await seeder.settle()).toFixed(0)} s for the database to settle`);
    } finally {
      await seeder.close();
    }
    const small = await readInOwnProcess(db, 'small', ids.small, ids.small, SMALL_GROUP, options.reads);
    log(`${dialect}: ${SMALL_GROUP}-member group: peak ${small.peakMiB.toFixed(1)} MiB`);
    const large = await readInOwnProcess(db, 'large', ids.small, ids.large, options.members, options.reads);
    log(`${dialect}: ${options.members}-member group: peak ${large.peakMiB.toFixed(1)} MiB`);
    return { dialect, small, large, loadAverage: [load0, loadavg()[0]] };
  } finally {
    await db.drop();
  }
}

function render(options: Options, results: DialectResult[], machine: string, databases: string[]): string {
  const mib = (n: number) => n.toFixed(1);
  const n = (v: number) => v.toLocaleString('en');
  const lines = [
    BEGIN,
    '',
    '## A group of 100,000 members',
    '',
    `- Command: \`npm run bench:large-group${options.members === 100_000 ? '' : ` -- --members ${options.members}`}\``,
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${machine}`,
    `- Databases: ${databases.join('; ')}`,
    `- Load average (1 min) at the start and end of each database: ${results
      .map((r) => `${r.dialect} ${r.loadAverage.map((l) => l.toFixed(1)).join(' → ')}`)
      .join(', ')}`,
    `- Each group is read ${options.reads} times by \`GET /Groups/{id}\` in a server process of its own (the built \`dist/\` server, \`NODE_ENV=production LOG_LEVEL=info\`), after the same ${WARM_UP_READS} reads of the ${SMALL_GROUP}-member group; every answer is checked (status 200, every member, the ETag). Peak RSS is the process's VmRSS sampled every ${SAMPLE_MS} ms during the measured reads; the high-water mark (VmHWM) includes start-up.`,
    '',
    `| database | group | answer | streamed | median read | RSS before | peak RSS during the reads | VmHWM | peak vs ${SMALL_GROUP}-member group |`,
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    for (const g of [r.small, r.large]) {
      lines.push(
        `| ${r.dialect === 'sqlite' ? 'SQLite' : 'MySQL'} | ${n(g.members)} members | ${(g.bytes / 2 ** 20).toFixed(2)} MiB | ${g.chunked ? 'yes' : 'no'} | ${g.medianMs.toFixed(0)} ms | ${mib(g.beforeMiB)} MiB | ${mib(g.peakMiB)} MiB | ${mib(g.hwmMiB)} MiB | ${(g.peakMiB / r.small.peakMiB).toFixed(2)}× |`,
      );
    }
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
    ({ machine, results }) => render(options, results, machineLine(machine), machine.databases),
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `large-group benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);
