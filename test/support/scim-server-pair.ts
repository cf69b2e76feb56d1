import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { createScratchDatabase, ScratchDatabase } from '@nest-scim/persistence/testing';
import { SCIM, SCIM_JSON, startScimServer, ScimTestServer } from './scim-harness';

type Agent = ReturnType<typeof request>;

/** The request helpers of a SCIM server, with the token already set: what both members of a pair offer. */
export interface ScimClient {
  get(path: string): ReturnType<Agent['get']>;
  post(path: string, body: unknown): ReturnType<Agent['post']>;
  put(path: string, body: unknown): ReturnType<Agent['put']>;
  patch(path: string, body: unknown): ReturnType<Agent['patch']>;
  delete(path: string): ReturnType<Agent['delete']>;
}

export interface SecondScimServer extends ScimClient {
  /** The operating-system process serving it. */
  pid: number;
}

export interface ScimServerPair {
  /** An in-process server, set up as `startScimServer` sets one up (license, SAML, SCIM mode, admin token). */
  first: ScimTestServer;
  /** A separate Node process running `apps/server/src/main.ts` on the same database, accepting the same token. */
  second: SecondScimServer;
  close(): Promise<void>;
}

/** SCIM request helpers on any supertest agent factory. */
export function scimClient(agent: () => Agent, token: string): ScimClient {
  const auth = <T extends { set(name: string, value: string): T }>(t: T) => t.set('Authorization', `Bearer ${token}`);
  const send = <T extends { set(name: string, value: string): T; send(body: string): T }>(t: T, body: unknown) =>
    auth(t).set('Content-Type', SCIM_JSON).send(JSON.stringify(body));
  return {
    get: (path) => auth(agent().get(SCIM + path)),
    post: (path, body) => send(agent().post(SCIM + path), body),
    put: (path, body) => send(agent().put(SCIM + path), body),
    patch: (path, body) => send(agent().patch(SCIM + path), body),
    delete: (path) => auth(agent().delete(SCIM + path)),
  };
}

const REPO_ROOT = resolve(__dirname, '../..');
const START_TIMEOUT_MS = 120_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** A server process that has loaded its code and waits to be told which database to serve. */
export interface ScimServerProcess {
  pid: number;
  /** Starts the server on a database that is already migrated, and resolves once it answers its health check. */
  start(settings: { databaseUrl: string; licensePublicKeys: string; token: string }): Promise<SecondScimServer>;
  stop(): Promise<void>;
}

/**
 * Spawns a second server process (`node -r ts-node/register/transpile-only -r tsconfig-paths/register`, running
 * `main.ts` once started). Launch it early: it loads the server's modules while the test does other work, which is
 * most of its start-up time under ts-node.
 */
export function launchScimServerProcess(): ScimServerProcess {
  const dataDir = mkdtempSync(join(tmpdir(), 'scim-peer-'));
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'test/support/scim-server-process.ts'],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), NODE_ENV: 'test' },
      stdio: ['pipe', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // Writing to a process that already died must not crash the test run; the start-up check reports it.
  child.stdin!.on('error', () => undefined);
  // A test run that dies must not leave a server behind (closing stdin stops it too; this is for abrupt ends).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (!hasExited(child)) {
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      // The process sends itself SIGTERM when its stdin closes (scim-server-process.ts).
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const start: ScimServerProcess['start'] = async ({ databaseUrl, licensePublicKeys, token }) => {
    const port = await freePort();
    const env = {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      LICENSE_PUBLIC_KEYS: licensePublicKeys,
      LOG_LEVEL: 'error',
      LOG_FORMAT: 'json',
      SHUTDOWN_TIMEOUT_MS: '5000',
    };
    child.stdin!.write(`${JSON.stringify(env)}\n`);
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (hasExited(child)) throw new Error(`The second server exited while starting:\n${stderr}`);
      try {
        const res = await fetch(`${base}/api/system/health`);
        if (res.ok) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) {
        throw new Error(`The second server did not answer within ${START_TIMEOUT_MS} ms:\n${stderr}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
    return { ...scimClient(() => request(base), token), pid: child.pid! };
  };

  return { pid: child.pid!, start, stop };
}

/**
 * Two servers on one fresh MySQL/MariaDB database, as two instances behind a load balancer: the first in this
 * process (so a test can reach its services), the second a real operating-system process. The first starts first,
 * so the migrations run once.
 */
export async function startScimServerPair(
  peer: ScimServerProcess = launchScimServerProcess(),
): Promise<ScimServerPair> {
  const database: ScratchDatabase = await createScratchDatabase('mysql');
  let first: ScimTestServer | undefined;
  try {
    first = await startScimServer('mysql', { database });
    const second = await peer.start({
      databaseUrl: database.url!,
      licensePublicKeys: first.licenseKeys.publicKey,
      token: first.token,
    });
    const started = first;
    return {
      first: started,
      second,
      close: async () => {
        await peer.stop();
        await started.close();
        await database.drop();
      },
    };
  } catch (error) {
    await peer.stop();
    await first?.close();
    await database.drop();
    throw error;
  }
}
