import { Writable } from 'node:stream';
import express from 'express';
import type { Options } from 'pino-http';
import { pinoHttp } from 'pino-http';
import request from 'supertest';
import type { ServerConfig } from '../config/server-config';
import { loggingOptions } from './logging.options';

/** The request log lines an Express app with the server's logging options writes, as parsed JSON. */
function loggedApp(mount: (app: express.Express) => void): { app: express.Express; lines: Record<string, unknown>[] } {
  const config = { logLevel: 'info', logFormat: 'json', logSync: true } as unknown as ServerConfig;
  const params = loggingOptions(config).pinoHttp as [Options, unknown];
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = express();
  app.use(pinoHttp({ ...params[0] }, stream));
  mount(app);
  return { app, lines };
}

describe('request log lines', () => {
  it('name the path as the request reached the server, without its query, even below a mounted router', async () => {
    const { app, lines } = loggedApp((a) => {
      const router = express.Router();
      router.get('/Users', (_req, res) => {
        res.status(200).json({});
      });
      a.use('/api/scim/v2', router);
    });
    await request(app)
      .get('/api/scim/v2/Users?filter=userName%20eq%20%22bob%22')
      .set('X-Request-Id', 'req-1')
      .expect(200);
    const line = lines.find((l) => l.msg === 'request completed')!;
    expect(line.req).toEqual({ id: 'req-1', method: 'GET', path: '/api/scim/v2/Users' });
    expect(line.res).toEqual({ statusCode: 200 });
    expect(line.requestId).toBe('req-1');
    expect(JSON.stringify(line)).not.toContain('bob');
  });

  it('log no status for an answer whose headers were never sent (the client left first)', async () => {
    let finished!: () => void;
    const logged = new Promise<void>((resolve) => (finished = resolve));
    const { app, lines } = loggedApp((a) =>
      a.get('/held', (req, res) => {
        res.statusCode = 429;
        res.on('close', () => setImmediate(finished));
      }),
    );
    const server = app.listen(0);
    try {
      const { port } = server.address() as { port: number };
      const { request: httpRequest } = await import('node:http');
      const req = httpRequest({ port, path: '/held' });
      req.on('error', () => undefined);
      req.end();
      await new Promise((resolve) => setTimeout(resolve, 100));
      req.destroy();
      await logged;
    } finally {
      server.close();
    }
    expect(lines.find((l) => l.msg === 'request aborted' || l.msg === 'request completed')?.res).toEqual({
      statusCode: null,
    });
  });
});
