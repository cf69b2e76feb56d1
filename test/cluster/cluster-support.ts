import { execFile, spawn, ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join, resolve } from 'node:path';
import { createConnection, Connection } from 'mysql2/promise';

import type { ClusterDescription } from '../../scripts/cluster/setup';
import { RESOLVED_CLUSTER_VARIABLE } from './cluster-variables';

export const REPO = resolve(__dirname, '../..');
export const CLUSTER_SCRIPT = join(REPO, 'scripts/cluster/cluster.sh');
export const SERVER_MAIN = join(REPO, 'dist/apps/server/apps/server/src/main.js');

export function clusterDir(): string {
  return process.env.CLUSTER_DIR ?? '/tmp/scim-cluster';
}

/** What `npm run cluster:up` wrote in cluster.json. */
export function cluster(): ClusterDescription {
  const file = process.env[RESOLVED_CLUSTER_VARIABLE];
  if (!file) throw new Error('No cluster is up (npm run cluster:up)');
  return JSON.parse(readFileSync(file, 'utf8')) as ClusterDescription;
}

/** `describe` when the cluster is up; otherwise skipped (the global setup has said so in one line). */
export const describeCluster: jest.Describe = (
  process.env[RESOLVED_CLUSTER_VARIABLE] ? describe : describe.skip
) as jest.Describe;

/** Runs a command of scripts/cluster/cluster.sh (node-stop 3, app-kill 2, …) against the suite's cluster. */
export function clusterCommand(...args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      CLUSTER_SCRIPT,
      args,
      { env: { ...process.env, CLUSTER_DIR: clusterDir() }, timeout: 180_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`cluster.sh ${args.join(' ')} failed: ${stderr || error.message}`));
        else resolvePromise(stdout + stderr);
      },
    );
  });
}

/** A connection to one Galera node as the instances' database user (node numbers from 1). */
export function connectToNode(node: number, database?: string): Promise<Connection> {
  const c = cluster();
  return createConnection({
    host: '127.0.0.1',
    port: c.database.sqlPorts[node - 1],
    user: c.database.user,
    password: c.database.password,
    database: database ?? c.database.name,
    supportBigNumbers: true,
  });
}

export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
} as const;

export interface Answer {
  status: number;
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

/** One request as sent, and how it ended. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  retryAfter?: string;
  servedBy?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An HTTP client that behaves like Entra ID's provisioning service towards a server that is being disturbed: it keeps
 * its connections open, retries a `503` after `Retry-After` (capped at one second here, so the suite stays short;
 * Entra waits the full time) and retries a request whose connection broke before an answer came, until a deadline.
 * Every answer is recorded, so a test can check that nothing but 503-with-Retry-After ever signalled a server error.
 */
export class EntraClient {
  readonly exchanges: Exchange[] = [];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    private readonly baseUrl: string,
    private readonly authorization: string,
    private readonly options: { deadlineMs?: number; localAddress?: string } = {},
  ) {}

  static forCluster(target = cluster().tenantUrl, token = cluster().token): EntraClient {
    return new EntraClient(target, `Bearer ${token}`);
  }

  /** The answer after retries. `retried` tells whether an earlier attempt may have reached the server. */
  async send(method: string, path: string, body?: unknown): Promise<Answer & { retried: boolean }> {
    const deadline = Date.now() + (this.options.deadlineMs ?? 90_000);
    let retried = false;
    for (;;) {
      let answer: Answer;
      try {
        answer = await this.once(method, path, body);
      } catch (error) {
        if (Date.now() > deadline) throw error;
        retried = true;
        await sleep(200);
        continue;
      }
      if (answer.status === 503 && Date.now() < deadline) {
        retried = true;
        const after = Number(answer.headers['retry-after']);
        await sleep(Math.min(Number.isFinite(after) ? after * 1000 : 1000, 1000));
        continue;
      }
      return { ...answer, retried };
    }
  }

  /** Exchanges that broke the rule: a 5xx that is not a 503 with a Retry-After header. */
  violations(): Exchange[] {
    return this.exchanges.filter((e) => e.status >= 500 && !(e.status === 503 && e.retryAfter));
  }

  close(): void {
    this.agent.destroy();
  }

  private once(method: string, path: string, body?: unknown): Promise<Answer> {
    const url = new URL(this.baseUrl + path);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = {
      Authorization: this.authorization,
      Accept: 'application/scim+json',
    };
    if (payload) {
      headers['Content-Type'] = 'application/scim+json';
      headers['Content-Length'] = payload.length;
    }
    return new Promise((resolvePromise, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: Number(url.port),
          path: url.pathname + url.search,
          method,
          headers,
          agent: this.agent,
          localAddress: this.options.localAddress,
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = undefined;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = text;
            }
            const status = res.statusCode ?? 0;
            const retryAfter = res.headers['retry-after'];
            const servedBy = res.headers['x-served-by'];
            this.exchanges.push({
              method,
              path,
              status,
              retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
              servedBy: typeof servedBy === 'string' ? servedBy : undefined,
            });
            resolvePromise({ status, body: parsed, headers: res.headers });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

/**
 * Entra's way of making sure a user exists: look it up by userName, create it when absent. A create retried after an
 * answer was lost may meet its own first attempt (409): the next lookup finds it. Returns the SCIM id.
 */
export async function ensureUser(client: EntraClient, userName: string, extra: Record<string, unknown> = {}) {
  for (let round = 0; round < 5; round++) {
    const found = await client.send('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
    if (found.status !== 200) throw new Error(`lookup of ${userName} answered ${found.status}`);
    if (found.body.totalResults === 1) return found.body.Resources[0].id as string;
    const created = await client.send('POST', '/Users', {
      schemas: [URN.user],
      userName,
      externalId: `ext-${userName}`,
      active: true,
      displayName: userName,
      emails: [{ primary: true, type: 'work', value: userName.includes('@') ? userName : `${userName}@example.com` }],
      ...extra,
    });
    if (created.status === 201) return created.body.id as string;
    if (created.status !== 409) throw new Error(`create of ${userName} answered ${created.status}`);
  }
  throw new Error(`${userName} could not be created`);
}

/** The same for a group, created empty as Entra does. */
export async function ensureGroup(client: EntraClient, displayName: string) {
  for (let round = 0; round < 5; round++) {
    const found = await client.send(
      'GET',
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${displayName}"`)}`,
    );
    if (found.status !== 200) throw new Error(`lookup of group ${displayName} answered ${found.status}`);
    if (found.body.totalResults === 1) return found.body.Resources[0].id as string;
    const created = await client.send('POST', '/Groups', {
      schemas: [URN.group],
      displayName,
      externalId: `ext-${displayName}`,
    });
    if (created.status === 201) return created.body.id as string;
    if (created.status !== 409) throw new Error(`create of group ${displayName} answered ${created.status}`);
  }
  throw new Error(`group ${displayName} could not be created`);
}

/** A PATCH that must succeed (204 or 200), after retries. */
export async function patch(client: EntraClient, path: string, operations: unknown[]): Promise<void> {
  const answer = await client.send('PATCH', path, { schemas: [URN.patchOp], Operations: operations });
  if (answer.status !== 204 && answer.status !== 200) {
    throw new Error(`PATCH ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
}

/** Member ids of a group as one instance (or the proxy) answers them, sorted. */
export async function membersOf(client: EntraClient, groupId: string): Promise<string[]> {
  const answer = await client.send('GET', `/Groups/${groupId}`);
  if (answer.status !== 200) throw new Error(`GET group answered ${answer.status}`);
  return ((answer.body.members ?? []) as { value: string }[]).map((m) => m.value).sort();
}

/** Runs jobs with a fixed number of workers; the first failure is rethrown after all workers stop. */
export async function runPool(count: number, concurrency: number, job: (index: number) => Promise<void>) {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < count) {
      const index = next++;
      try {
        await job(index);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failures.length) throw failures[0];
}

/** A server process of the built app with its own environment; its output is kept for the test to read. */
export interface ServerProcess {
  port: number;
  child: ChildProcess;
  output(): string;
  healthy(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

export function startServer(env: Record<string, string>, port: number): ServerProcess {
  let output = '';
  const child = spawn(process.execPath, [SERVER_MAIN], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    port,
    child,
    output: () => output,
    async healthy(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && child.exitCode === null) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/system/health`, {
            headers: { Connection: 'close' },
            signal: AbortSignal.timeout(1000),
          });
          if (res.status === 200) return true;
        } catch {
          // not listening yet
        }
        await sleep(200);
      }
      return false;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
