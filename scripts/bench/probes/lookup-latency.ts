/**
 * Latency of Entra's `userName eq` look-up and of `GET /ServiceProviderConfig` (the access check and a static
 * answer), one request at a time, on one or more builds of the server side by side: per dialect, one Entra-ready
 * database with a few hundred SCIM users, one server process per build on it, and requests alternated between the
 * builds (the order rotating each iteration), so the machine's drift falls on every build alike. Prints p50/p95 per
 * build and request, the ratio of each build's p50 to the first's, and the load average. Run after `npm run build`
 * (and building the other trees to compare):
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only scripts/bench/probes/lookup-latency.ts \
 *     [--dialect sqlite|mysql] [--samples 3000] [--users 300] [--build DIR]... [--cpu-prof DIR]
 *
 * `--build DIR` names a repository whose `dist/` server to run (repeatable; this one when none is given).
 * `--cpu-prof DIR` runs the servers under `node --cpu-prof`, writing their profiles into DIR when they stop. The
 * database is prepared with this tree's build. A diagnostic beside the benchmark, not part of it.
 */
import { mkdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Dialect } from '@nest-scim/persistence';
import { ROOT } from '../servers/built-server';
import { ServerProcess } from '../servers/processes';
import { prepareDatabase } from '../servers/server-setup';
import * as entra from '../workload/entra-shapes';
import { HttpClient } from '../workload/http-client';
import { summarize } from '../workload/stats';

interface Options {
  dialects: Dialect[];
  samples: number;
  users: number;
  builds: string[];
  cpuProf?: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { dialects: ['sqlite', 'mysql'], samples: 3000, users: 300, builds: [] };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return next;
    };
    const arg = argv[i];
    if (arg === '--dialect') options.dialects = [value() as Dialect];
    else if (arg === '--samples') options.samples = Number(value());
    else if (arg === '--users') options.users = Number(value());
    else if (arg === '--build') options.builds.push(resolve(value()));
    else if (arg === '--cpu-prof') options.cpuProf = resolve(value());
    else throw new Error(`unknown option ${arg}`);
  }
  if (options.builds.length === 0) options.builds.push(ROOT);
  return options;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const WARM_UP = 200;

async function runDialect(dialect: Dialect, options: Options): Promise<void> {
  const db = await prepareDatabase(dialect, { mysqlUrl: 'mysql://root@127.0.0.1:3306', logLevel: 'info' });
  const servers: ServerProcess[] = [];
  try {
    for (const [index, build] of options.builds.entries()) {
      const profile = options.cpuProf ? join(options.cpuProf, `${dialect}-${index}`) : undefined;
      if (profile) mkdirSync(profile, { recursive: true });
      servers.push(
        await ServerProcess.start({
          name: `server ${index}`,
          args: [
            ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
            join(build, 'dist/apps/server/apps/server/src/main.js'),
          ],
          env: db.env,
          logFile: join(tmpdir(), `scim-lookup-latency-${dialect}-${index}.log`),
          readyPath: '/api/system/health',
        }),
      );
    }
    const clients = servers.map((s) => new HttpClient(`http://127.0.0.1:${s.port}`, '/api/scim/v2', db.token, 1));
    const userNames: string[] = [];
    for (let i = 0; i < options.users; i++) {
      const userName = `user${i}@contoso.example`;
      const body = entra.createUserBody({
        userName,
        externalId: `ext-${i}`,
        displayName: `User ${i}`,
        givenName: 'User',
        familyName: String(i),
        email: userName,
        employeeNumber: String(i),
        department: 'Sales',
        active: true,
      });
      const created = await clients[i % clients.length].request('POST', '/Users', body);
      if (created.status !== 201) throw new Error(`creating ${userName} answered ${created.status}`);
      userNames.push(userName);
    }
    const times = clients.map(() => ({ lookup: [] as number[], fixed: [] as number[] }));
    const load = [loadavg()[0]];
    for (let i = 0; i < options.samples + WARM_UP; i++) {
      const userName = userNames[(i * 7919) % userNames.length];
      for (let k = 0; k < clients.length; k++) {
        const b = (i + k) % clients.length;
        const lookup = await clients[b].request('GET', entra.userNameQuery(userName));
        if (
          lookup.status !== 200 ||
          lookup.body?.totalResults !== 1 ||
          lookup.body.Resources[0].userName !== userName
        ) {
          throw new Error(`build ${b}: the look-up of ${userName} answered ${lookup.status}`);
        }
        const fixed = await clients[b].request('GET', '/ServiceProviderConfig');
        if (fixed.status !== 200) throw new Error(`build ${b}: /ServiceProviderConfig answered ${fixed.status}`);
        if (i >= WARM_UP) {
          times[b].lookup.push(lookup.ms);
          times[b].fixed.push(fixed.ms);
        }
      }
    }
    load.push(loadavg()[0]);
    out(`\n${dialect}: ${options.samples} of each request per build, alternated; load average ${load.join(' → ')}`);
    out('| build | `userName eq` p50 / p95 ms | ratio | `/ServiceProviderConfig` p50 / p95 ms | ratio |');
    out('|---|---|---|---|---|');
    const first = { lookup: summarize(times[0].lookup), fixed: summarize(times[0].fixed) };
    times.forEach((t, b) => {
      const lookup = summarize(t.lookup);
      const fixed = summarize(t.fixed);
      out(
        `| ${options.builds[b]} | ${lookup.p50.toFixed(2)} / ${lookup.p95.toFixed(2)} | ` +
          `${(lookup.p50 / first.lookup.p50).toFixed(2)} | ${fixed.p50.toFixed(2)} / ${fixed.p95.toFixed(2)} | ` +
          `${(fixed.p50 / first.fixed.p50).toFixed(2)} |`,
      );
    });
  } finally {
    for (const server of servers) await server.stop();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  for (const dialect of options.dialects) await runDialect(dialect, options);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
