import { testDialects, createScratchDatabase, RESOLVED_MYSQL_URL_VARIABLE } from '@nest-scim/persistence/testing';
import { startTestServer, TestServer } from '../support/server-harness';
import { TcpProxy } from '../support/tcp-proxy';

describe.each(testDialects())('GET /api/system/health (%s)', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  it('answers 200 with the database up once migrations have run', async () => {
    const res = await server.http().get('/api/system/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' } } });
    const applied = await server.dataSource.query('SELECT name FROM schema_migrations');
    expect(applied.length).toBe(server.dataSource.migrations.length);
  });

  it('gives every response a request id, and keeps a sane one the client sent', async () => {
    const generated = await server.http().get('/api/system/health');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await server.http().get('/api/system/health').set('X-Request-Id', 'entra-sync-42');
    expect(echoed.headers['x-request-id']).toBe('entra-sync-42');
    const hostile = await server.http().get('/api/system/health').set('X-Request-Id', 'a b;c');
    expect(hostile.headers['x-request-id']).not.toBe('a b;c');
  });
});

const mysqlUrl = process.env[RESOLVED_MYSQL_URL_VARIABLE];
(mysqlUrl ? describe : describe.skip)('health when MySQL goes away and comes back', () => {
  it('answers 503 while the database is unreachable, without crashing, and 200 again once it returns', async () => {
    const scratch = await createScratchDatabase('mysql');
    const target = new URL(scratch.url!);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 3306));
    const port = await proxy.open();
    const viaProxy = new URL(scratch.url!);
    viaProxy.host = `127.0.0.1:${port}`;
    const server = await startTestServer('mysql', { database: { ...scratch, url: viaProxy.toString() } });
    try {
      await server.http().get('/api/system/health').expect(200);
      await proxy.cut();
      const down = await server.http().get('/api/system/health').expect(503);
      expect(down.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
      await proxy.open(port);
      let status = 0;
      for (let i = 0; i < 20 && status !== 200; i++) {
        status = (await server.http().get('/api/system/health')).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      expect(status).toBe(200);
    } finally {
      await server.close();
      await proxy.cut();
      await scratch.drop();
    }
  });
});
