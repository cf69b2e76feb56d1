import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function status(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Children still running: whatever way the benchmark ends (an error, Ctrl-C, a closed pipe), they end with it. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

/** A server started as a child process, its output going to a log file rather than through our event loop. */
export class ServerProcess {
  private exited = false;
  private exitCode: number | null = null;

  private constructor(
    readonly name: string,
    readonly port: number,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {
    running.add(child);
    child.once('exit', (code) => {
      running.delete(child);
      this.exited = true;
      this.exitCode = code;
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /**
   * Starts `node <args>` with `env` (PORT set to a free port) and waits until `readyPath` answers below 500.
   */
  static async start(options: {
    name: string;
    args: string[];
    env: Record<string, string>;
    logFile: string;
    readyPath: string;
    readyHeaders?: Record<string, string>;
    timeoutMs?: number;
  }): Promise<ServerProcess> {
    const port = await freePort();
    const fd = openSync(options.logFile, 'w');
    const child = spawn(process.execPath, options.args, {
      env: { PATH: process.env.PATH ?? '', ...options.env, PORT: String(port) },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const server = new ServerProcess(options.name, port, options.logFile, child);
    const deadline = Date.now() + (options.timeoutMs ?? 90_000);
    while (Date.now() < deadline) {
      if (server.exited) break;
      const code = await status(port, options.readyPath, options.readyHeaders ?? {});
      if (code > 0 && code < 500) return server;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await server.stop();
    throw new Error(
      `${options.name} did not start (exit code ${server.exitCode}); the end of ${options.logFile}:\n${server.tail()}`,
    );
  }

  tail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** SIGTERM, then SIGKILL if it has not gone after a while. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await gone;
    clearTimeout(timer);
  }
}
