/**
 * What a flood of bad tokens costs the tenant's own traffic: starts the built server once per dialect and measures
 * Entra-shaped lookups with the valid token alone, then while many connections send made-up tokens (their address is
 * blocked after AUTH_MAX_FAILURES_PER_ADDRESS failures; its refusals must stay cheap). Prints the valid token's
 * latency in both phases, the flood's throughput and its answers, and the statements the server ran per flood request.
 * `npm run build`, then `npx ts-node -r tsconfig-paths/register --transpile-only
 * scripts/bench/probes/bad-token-flood.ts [sqlite|mysql]`; FLOOD_CONNECTIONS (100) and SAMPLES (300) tune it.
 *
 * Where the flood comes from: as a real one, from an address of its own. The valid requests are sent from 127.0.0.1
 * and the flood from FLOOD_ADDRESS (127.0.0.2 by default; any loopback address works on Linux, where all of
 * 127.0.0.0/8 is the loopback interface). FLOOD_ADDRESS=127.0.0.1 puts both on one address, as a tenant sharing its
 * egress address with an attacker. Either way the flood client runs on the same cores as the server, which a real
 * flood does not. A diagnostic beside the benchmark, not a test: it measures, it does not judge.
 *
 * The server holds each refusal of the blocked address before sending it (AUTH_BLOCKED_REFUSAL_DELAY_MS, a second by
 * default); AUTH_BLOCKED_REFUSAL_DELAY_MS set for the probe is handed to the server, 0 to measure refusals sent at once.
 */
import type { Dialect } from '@nest-scim/persistence';
import * as entra from '../workload/entra-shapes';
import { HttpClient } from '../workload/http-client';
import { runForDialects, withSqlLoggedServer } from '../servers/sql-logged-server';
import { summarize } from '../workload/stats';

const FLOOD_CONNECTIONS = Number(process.env.FLOOD_CONNECTIONS ?? 100);
const SAMPLES = Number(process.env.SAMPLES ?? 300);
const VALID_ADDRESS = '127.0.0.1';
const FLOOD_ADDRESS = process.env.FLOOD_ADDRESS || '127.0.0.2';
const HOLD = process.env.AUTH_BLOCKED_REFUSAL_DELAY_MS;
const SERVER_ENV: Record<string, string> =
  HOLD === undefined || HOLD === '' ? {} : { AUTH_BLOCKED_REFUSAL_DELAY_MS: HOLD };

function main(dialect: Dialect): Promise<void> {
  return withSqlLoggedServer(
    dialect,
    'bad-token-flood',
    async ({ db, origin, statements: logged }) => {
      const valid = new HttpClient(origin, '/api/scim/v2', db.token, 1, VALID_ADDRESS);
      const statements = () => logged().length;
      const lookups = async () => {
        const times: number[] = [];
        for (let i = 0; i < SAMPLES; i++) {
          const r = await valid.request('GET', entra.userNameQuery(`probe-${i}@contoso.example`));
          if (r.status !== 200) throw new Error(`the valid token was answered ${r.status}`);
          times.push(r.ms);
        }
        return summarize(times);
      };
      await lookups(); // warm-up
      const aloneBefore = statements();
      const alone = await lookups();
      const perLookup = (statements() - aloneBefore) / SAMPLES;

      let stop = false;
      const answers = new Map<number, number>();
      let sent = 0;
      const flooders = Array.from({ length: FLOOD_CONNECTIONS }, (_, c) => {
        const client = new HttpClient(
          origin,
          '/api/scim/v2',
          `squ_${c.toString(16).padStart(40, 'f')}`,
          1,
          FLOOD_ADDRESS,
        );
        return (async () => {
          while (!stop) {
            const r = await client.request('GET', '/Users?count=1');
            answers.set(r.status, (answers.get(r.status) ?? 0) + 1);
            sent++;
          }
          client.close();
        })();
      });
      await new Promise((resolve) => setTimeout(resolve, 2000)); // the address gets blocked
      const statementsBefore = statements();
      const sentBefore = sent;
      const t0 = Date.now();
      const flooded = await lookups();
      const seconds = (Date.now() - t0) / 1000;
      const floodRequests = sent - sentBefore;
      // Less the valid lookups' own statements, as counted when they ran alone.
      const floodStatements = statements() - statementsBefore - perLookup * SAMPLES;
      stop = true;
      await Promise.all(flooders);
      valid.close();

      const line = (label: string, s: { p50: number; p95: number; p99: number }) =>
        `${dialect} valid token ${label}: p50 ${s.p50.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms`;
      process.stdout.write(
        `${line('alone', alone)}\n${line(`under a ${FLOOD_CONNECTIONS}-connection flood from ${FLOOD_ADDRESS}`, flooded)}\n`,
      );
      process.stdout.write(
        `${dialect} flood: ${(floodRequests / seconds).toFixed(0)} requests/s, answers ${JSON.stringify(Object.fromEntries(answers))}, ` +
          `about ${(Math.max(0, floodStatements) / Math.max(1, floodRequests)).toFixed(3)} statements per flood request ` +
          `(refusal hold: ${HOLD === undefined || HOLD === '' ? 'the default' : `${HOLD} ms`})\n`,
      );
    },
    SERVER_ENV,
  );
}

runForDialects(main);
