import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnServer } from '../hardening/spawned-server';

/*
 * The server gathers its JSON log lines in a small buffer and writes them asynchronously. Whatever the way it ends —
 * a stop signal right after a burst of requests, a start that fails — and wherever its lines go (a file, or standard
 * output as a pipe), no line may be missing; and a line logged while nothing else happens is written within a second.
 * Real server processes, started as production starts them.
 */

const REQUESTS = 200;

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  req?: { id?: string; method?: string; path?: string };
  res?: { statusCode?: number };
}

function parseLines(text: string): LogLine[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LogLine);
}

/** `REQUESTS` requests, eight at a time as Entra ID sends them, each with its own request id; their ids once answered. */
async function burst(base: string, prefix: string): Promise<string[]> {
  const ids = Array.from({ length: REQUESTS }, (_, i) => `${prefix}-${i}`);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const res = await fetch(`${base}/api/scim/v2/Users`, { headers: { 'X-Request-Id': id } });
      await res.arrayBuffer();
      expect({ id, status: res.status }).toEqual({ id, status: 401 });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

/** The request lines' ids, and the messages of the server's own lines, in the order they were written. */
function summary(lines: LogLine[]) {
  return {
    requestIds: lines.filter((l) => l.msg === 'request completed').map((l) => l.req?.id),
    serverMessages: lines.filter((l) => l.req === undefined).map((l) => l.msg),
  };
}

describe('the request log, buffered, loses no line', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'scim-request-log-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGTERM right after the last of 200 answers: every request line, then the stop lines, are in LOG_FILE', async () => {
    const logFile = join(dir, 'logs', 'server.log');
    const server = await spawnServer(await freePort(), { DATA_DIR: dir, LOG_FILE: logFile, LOG_LEVEL: 'info' });
    const ids = await burst(server.base, 'term');
    process.kill(server.pid, 'SIGTERM');

    expect(await server.ended).toEqual({ code: null, signal: 'SIGTERM' });
    const { requestIds, serverMessages } = summary(parseLines(readFileSync(logFile, 'utf8')));
    expect(requestIds.sort()).toEqual([...ids].sort());
    expect(serverMessages.slice(-2)).toEqual([
      'SIGTERM received: answering the requests in flight, then stopping',
      'Stopped',
    ]);
  });

  it('SIGINT right after the last of 200 answers, standard output a pipe: every request line, then the stop lines', async () => {
    const server = await spawnServer(await freePort(), { DATA_DIR: dir, LOG_LEVEL: 'info' }, { keepStdout: true });
    const ids = await burst(server.base, 'int');
    process.kill(server.pid, 'SIGINT');

    expect(await server.ended).toEqual({ code: null, signal: 'SIGINT' });
    const { requestIds, serverMessages } = summary(parseLines(server.stdout()));
    expect(requestIds.sort()).toEqual([...ids].sort());
    expect(serverMessages.slice(-2)).toEqual([
      'SIGINT received: answering the requests in flight, then stopping',
      'Stopped',
    ]);
  });

  it('an idle server writes a request line within a second, while it keeps running', async () => {
    const logFile = join(dir, 'server.log');
    const server = await spawnServer(await freePort(), { DATA_DIR: dir, LOG_FILE: logFile, LOG_LEVEL: 'info' });
    try {
      // What start-up logged is out of the buffer by now; the request's line is the only one waiting.
      await new Promise((done) => setTimeout(done, 1500));
      const res = await fetch(`${server.base}/api/scim/v2/Users`, { headers: { 'X-Request-Id': 'idle-1' } });
      expect(res.status).toBe(401);
      await new Promise((done) => setTimeout(done, 1500));

      const lines = parseLines(readFileSync(logFile, 'utf8'));
      expect(lines.filter((l) => l.req?.id === 'idle-1')).toEqual([
        expect.objectContaining({ msg: 'request completed', res: { statusCode: 401 } }),
      ]);
      expect(process.kill(server.pid, 0)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('a blocked address whose held refusal is abandoned by its client has its line logged at warn, as a refusal', async () => {
    const logFile = join(dir, 'server.log');
    const server = await spawnServer(await freePort(), {
      DATA_DIR: dir,
      LOG_FILE: logFile,
      LOG_LEVEL: 'info',
      AUTH_MAX_FAILURES_PER_ADDRESS: '3',
      AUTH_BLOCKED_REFUSAL_DELAY_MS: '2000',
    });
    const port = Number(new URL(server.base).port);
    /** A SCIM request with a made-up token from 127.0.0.2; `abandonAfterMs` closes it before it is answered. */
    const madeUp = (id: string, abandonAfterMs?: number) =>
      new Promise<{ status: number; ms: number }>((resolve, reject) => {
        const started = Date.now();
        const req = httpRequest({
          host: '127.0.0.1',
          port,
          localAddress: '127.0.0.2',
          agent: false,
          path: '/api/scim/v2/Users',
          headers: { Authorization: `Bearer squ_${'d'.repeat(40)}`, 'X-Request-Id': id },
        });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }));
        });
        req.on('error', (error) => (abandonAfterMs === undefined ? reject(error) : resolve({ status: 0, ms: 0 })));
        req.end();
        if (abandonAfterMs !== undefined) setTimeout(() => req.destroy(), abandonAfterMs);
      });
    try {
      for (let i = 0; i < 3; i++) expect((await madeUp(`fail-${i}`)).status).toBe(401);
      // Blocked now. A refusal is held when this instance's list of existing tokens is fresh (read in the last
      // second), and answered at once by the access checks otherwise: abandoned after 300 ms, a held one goes unanswered.
      let abandoned: string | undefined;
      for (let i = 0; i < 6 && !abandoned; i++) {
        const refused = await madeUp(`refused-${i}`, 300);
        if (refused.status === 0) abandoned = `refused-${i}`;
        else expect(refused.status).toBe(429);
      }
      expect(abandoned).toBeDefined();
      await new Promise((done) => setTimeout(done, 1500));

      const lines = parseLines(readFileSync(logFile, 'utf8'));
      expect(lines.filter((l) => l.req?.id === abandoned)).toEqual([
        expect.objectContaining({ msg: 'request aborted', level: 40 }),
      ]);
    } finally {
      await server.stop();
    }
  });

  it('a start that fails (the port taken) ends with exit code 1, its reason on stderr and what it logged in LOG_FILE', async () => {
    const port = await freePort();
    // Takes the port and answers 503 to everything: the server cannot listen, and the health check finds no server.
    const blocker: Server = createServer((_req, res) => res.writeHead(503, { Connection: 'close' }).end());
    await new Promise<void>((done) => blocker.listen(port, '127.0.0.1', done));
    const logFile = join(dir, 'server.log');
    try {
      await expect(spawnServer(port, { DATA_DIR: dir, LOG_FILE: logFile, LOG_LEVEL: 'info' })).rejects.toThrow(
        /exited while starting \(exit code 1\):\nThe server could not start: listen EADDRINUSE/,
      );
    } finally {
      await new Promise((done) => blocker.close(done));
    }
    expect(existsSync(logFile)).toBe(true);
    const messages = parseLines(readFileSync(logFile, 'utf8')).map((l) => l.msg);
    // The last lines the start logged before listening failed, the generated password among them.
    expect(messages).toContain('Nest application successfully started');
    expect(messages.filter((m) => m.startsWith("Created the local administrator 'admin'"))).toEqual([
      expect.stringMatching(/with the generated password: /),
    ]);
  });
});
