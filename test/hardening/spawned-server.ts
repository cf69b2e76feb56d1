import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../..');
const START_TIMEOUT_MS = 90_000;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export interface SpawnedServer {
  pid: number;
  base: string;
  /** SIGKILL: no shutdown hook runs, requests in flight are cut, uncommitted transactions are lost. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL if it hangs. */
  stop(): Promise<void>;
  stderr(): string;
  /** What the server wrote to standard output, when `spawnServer` was asked to keep it. */
  stdout(): string;
  /** How the process ended: its exit code, or the signal that ended it. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((done) => child.once('exit', () => done()));
}

/**
 * The server as production starts it (`node … apps/server/src/main.ts`), in a process of its own, on a database that
 * is already migrated and set up. Resolves once it answers its health check. `keepStdout`: standard output is a pipe
 * read by the test (`stdout()`), as under a service manager or a container runtime; otherwise it is discarded.
 */
export async function spawnServer(
  port: number,
  env: Record<string, string>,
  { keepStdout = false }: { keepStdout?: boolean } = {},
): Promise<SpawnedServer> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/server/src/main.ts'],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? tmpdir(),
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
        SHUTDOWN_TIMEOUT_MS: '5000',
        AUTH_MAX_FAILURES_PER_ADDRESS: '100000',
        ...env,
      },
      stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'],
    },
  );
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    // 'close': after the process exited and its output was read to the end.
    child.once('close', (code, signal) => done({ code, signal })),
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  let stdout = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    stdout += chunk;
  });
  // A test run that dies must not leave a server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const kill = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited(child);
  };
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited(child);
      clearTimeout(timer);
    }
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await kill();
      // Its output read to the end, so the message holds the last line.
      const { code, signal } = await ended;
      throw new Error(`The server exited while starting (${signal ?? `exit code ${code}`}):\n${stderr}`);
    }
    try {
      const res = await fetch(`${base}/api/system/health`);
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await kill();
      throw new Error(`The server did not answer within ${START_TIMEOUT_MS} ms:\n${stderr}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return { pid: child.pid!, base, kill, stop, stderr: () => stderr, stdout: () => stdout, ended };
}
