/**
 * Where a MySQL statement's time goes on the SCIM look-up: the two statements of `GET /Users?filter=userName eq "…"`
 * (the access check and the look-up), taken from the built server's own SQL log, then timed on the same database one
 * at a time, thousands of times, interleaved (each iteration runs every way in a rotating order):
 *
 * - `typeorm ds.query`: `DataSource.query`, a query runner per call (how the server runs both statements outside a
 *   transaction: `dataSource.query` and `manager.query` on the data source's manager);
 * - `typeorm runner.query`: one query runner held for the whole run (TypeORM's per-statement work without the pool);
 * - `persistence`: `runFixedStatement` of libs/persistence as the built server runs it (what the fixed statements use);
 * - `mysql2 pool.query` / `pool.execute`: the data source's own mysql2 pool, text protocol / server-side prepared;
 * - `mysql2 conn.query` / `conn.execute`: one pooled connection held for the whole run.
 *
 * Per way: p50/p95 of each statement's wall time and the client's CPU per statement (`process.cpuUsage`). Then, on one
 * connection with MariaDB's `SET profiling = 1`, the server's own time for each statement as text and as prepared
 * (`SHOW PROFILES`), and its stages for one of each. Run after `npm run build`:
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only scripts/bench/probes/statement-cost.ts [iterations]
 *
 * (default 3000; MySQL at mysql://root@127.0.0.1:3306, override with SCIM_BENCH_MYSQL_URL). A diagnostic, not part of
 * the benchmark.
 */
import { readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { built } from '../servers/built-server';
import { withSqlLoggedServer } from '../servers/sql-logged-server';
import * as entra from '../workload/entra-shapes';
import { HttpClient } from '../workload/http-client';
import { summarize } from '../workload/stats';

interface Statement {
  name: string;
  sql: string;
  parameters: unknown[];
}

type Callback = (error: Error | null, rows?: unknown) => void;
interface CallbackRunner {
  query(sql: string, parameters: unknown[], callback: Callback): void;
  execute(sql: string, parameters: unknown[], callback: Callback): void;
}
interface PoolConnection extends CallbackRunner {
  release(): void;
}
interface CallbackPool extends CallbackRunner {
  getConnection(callback: (error: Error | null, connection: PoolConnection) => void): void;
}

const iterations = Number(process.argv[2] ?? 3000);
const out = (line: string) => process.stdout.write(`${line}\n`);

/** The last statement of the log that starts with `prefix`, its text and bound values. */
function lastStatement(log: string, name: string, prefix: string): Statement {
  let found: Statement | undefined;
  // A statement may span lines; the next one, or a JSON log line, starts a new record.
  for (const record of log.split(/\n(?=query: |\{)/)) {
    const match = /^query: ([\s\S]*?) -- PARAMETERS: (\[.*\])\s*$/.exec(record);
    if (match?.[1].startsWith(prefix)) found = { name, sql: match[1], parameters: JSON.parse(match[2]) as unknown[] };
  }
  if (!found) throw new Error(`no statement starting with ${prefix} in the server's log`);
  return found;
}

function promised(run: (callback: Callback) => void): Promise<unknown> {
  return new Promise((resolve, reject) => run((error, rows) => (error ? reject(error) : resolve(rows))));
}

async function main(): Promise<void> {
  await withSqlLoggedServer('mysql', 'statement-cost', async ({ db, origin }) => {
    const client = new HttpClient(origin, '/api/scim/v2', db.token, 1);
    const user = entra.SAMPLE_USER;
    const created = await client.request('POST', '/Users', entra.createUserBody(user));
    if (created.status !== 201) throw new Error(`creating the user answered ${created.status}`);
    const found = await client.request('GET', entra.userNameQuery(user.userName));
    if (found.body?.totalResults !== 1) throw new Error('the look-up did not find the user');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const log = readFileSync(join(tmpdir(), 'scim-statement-cost-mysql.log'), 'utf8');
    const statements = [
      lastStatement(log, 'access check', 'SELECT scalar_base.*'),
      lastStatement(log, 'userName look-up', 'SELECT su.scim_id AS scim_id, su.user_id AS user_id, p.user_name'),
    ];

    const persistence = built.persistence();
    const options = await persistence.resolveDataSourceOptions(
      { url: db.env.DATABASE_URL },
      { entities: [], migrations: () => [] },
    );
    // The server's DataSource: the same options, and the same bounded wait for a pooled connection.
    const { DataSource: DataSourceClass } = await import('typeorm');
    const dataSource: DataSource = persistence.limitConnectionWaits(
      await new DataSourceClass(options).initialize(),
      5000,
    );
    const pool = (dataSource.driver as unknown as { pool: CallbackPool }).pool;
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    const held = await new Promise<PoolConnection>((resolve, reject) =>
      pool.getConnection((error, connection) => (error ? reject(error) : resolve(connection))),
    );
    const runStatement = (persistence as unknown as Record<string, unknown>).runFixedStatement as
      ((source: DataSource, sql: string, parameters: unknown[]) => Promise<unknown>) | undefined;

    const ways: { name: string; run: (s: Statement) => Promise<unknown> }[] = [
      { name: 'typeorm ds.query', run: (s) => dataSource.query(s.sql, s.parameters) },
      { name: 'typeorm runner.query', run: (s) => runner.query(s.sql, s.parameters) },
      ...(runStatement
        ? [{ name: 'persistence', run: (s: Statement) => runStatement(dataSource, s.sql, s.parameters) }]
        : []),
      { name: 'mysql2 pool.query', run: (s) => promised((cb) => pool.query(s.sql, s.parameters, cb)) },
      { name: 'mysql2 pool.execute', run: (s) => promised((cb) => pool.execute(s.sql, s.parameters, cb)) },
      { name: 'mysql2 conn.query', run: (s) => promised((cb) => held.query(s.sql, s.parameters, cb)) },
      { name: 'mysql2 conn.execute', run: (s) => promised((cb) => held.execute(s.sql, s.parameters, cb)) },
    ];
    // Every way answers the same rows (prepared statements answer typed values, text the server's strings).
    for (const s of statements) {
      const answers = await Promise.all(ways.map((way) => way.run(s)));
      const counts = answers.map((rows) => (rows as unknown[]).length);
      if (new Set(counts).size !== 1 || counts[0] !== 1) throw new Error(`${s.name}: row counts ${counts.join(', ')}`);
    }

    const wall = ways.map(() => statements.map(() => [] as number[]));
    const cpu = ways.map(() => statements.map(() => 0));
    const load = [loadavg()[0]];
    for (let i = 0; i < iterations + 200; i++) {
      for (let k = 0; k < ways.length; k++) {
        const w = (i + k) % ways.length;
        for (let s = 0; s < statements.length; s++) {
          const cpuBefore = process.cpuUsage();
          const start = process.hrtime.bigint();
          await ways[w].run(statements[s]);
          const ms = Number(process.hrtime.bigint() - start) / 1e6;
          const used = process.cpuUsage(cpuBefore);
          if (i >= 200) {
            wall[w][s].push(ms);
            cpu[w][s] += used.user + used.system;
          }
        }
      }
    }
    load.push(loadavg()[0]);

    out(`\n${iterations} iterations (after 200 unmeasured), ways interleaved; load average ${load.join(' → ')}`);
    out('| way | statement | p50 ms | p95 ms | mean ms | client CPU µs/statement |');
    out('|---|---|---|---|---|---|');
    ways.forEach((way, w) =>
      statements.forEach((s, k) => {
        const t = summarize(wall[w][k]);
        out(
          `| ${way.name} | ${s.name} | ${t.p50.toFixed(3)} | ${t.p95.toFixed(3)} | ${t.mean.toFixed(3)} | ${(cpu[w][k] / iterations).toFixed(0)} |`,
        );
      }),
    );

    // The server's own time, as MariaDB's profiling measures it (parse, optimise, execute, send), text and prepared.
    const run = (sql: string, parameters: unknown[] = []) => promised((cb) => held.query(sql, parameters, cb));
    await run('SET profiling_history_size = 100');
    out('\n| statement | protocol | server p50 ms (SHOW PROFILES, 100 runs) |');
    out('|---|---|---|');
    const stages: string[] = [];
    for (const s of statements) {
      for (const protocol of ['text', 'prepared'] as const) {
        await run('SET profiling = 1');
        for (let i = 0; i < 100; i++) {
          await promised((cb) => (protocol === 'text' ? held.query : held.execute).call(held, s.sql, s.parameters, cb));
        }
        await run('SET profiling = 0');
        const profiles = (await run('SHOW PROFILES')) as { Query_ID: number; Duration: string; Query: string }[];
        const mine = profiles.filter((p) => !p.Query.startsWith('SET profiling'));
        const durations = mine.map((p) => Number(p.Duration) * 1000);
        out(`| ${s.name} | ${protocol} | ${summarize(durations).p50.toFixed(3)} |`);
        const last = mine[mine.length - 1];
        const stageRows = (await run(`SHOW PROFILE FOR QUERY ${last.Query_ID}`)) as {
          Status: string;
          Duration: string;
        }[];
        stages.push(
          `${s.name}, ${protocol}: ` +
            stageRows
              .filter((r) => Number(r.Duration) >= 0.000005)
              .map((r) => `${r.Status} ${(Number(r.Duration) * 1000).toFixed(3)}`)
              .join(', '),
        );
        await run('SET profiling_history_size = 0');
        await run('SET profiling_history_size = 100');
      }
    }
    out('\nStages of one run each (ms, those of 5 µs or more):');
    for (const line of stages) out(`- ${line}`);

    held.release();
    await runner.release();
    await dataSource.destroy();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
