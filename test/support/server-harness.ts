import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Dialect } from '@nest-scim/persistence';
import { createScratchDatabase, ScratchDatabase } from '@nest-scim/persistence/testing';
import { loadServerConfig, ServerConfig } from '../../apps/server/src/config/server-config';
import { ExpiredRowsPurger } from '../../apps/server/src/maintenance/expired-rows.purger';
import { createServerApp } from '../../apps/server/src/server-app.factory';

export interface TestServer {
  dialect: Dialect;
  app: INestApplication;
  config: ServerConfig;
  dataSource: DataSource;
  /** A supertest agent on the running application. */
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Environment variables on top of the test defaults, exactly as an admin would set them. */
  env?: Record<string, string>;
  /** Use this database instead of a fresh one (e.g. a second server on the same database). */
  database?: ScratchDatabase;
}

/**
 * Boots the composed server, as `main.ts` does, on a fresh and empty database of the dialect (a temporary SQLite
 * file, or a new MySQL database dropped afterwards), with migrations applied, its scheduled purge stopped. Every
 * end-to-end test starts here.
 */
export async function startTestServer(dialect: Dialect, options: StartOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createScratchDatabase(dialect));
  const dataDir = mkdtempSync(join(tmpdir(), 'scim-server-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    LOG_FORMAT: 'json',
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  };
  const config = loadServerConfig(env);
  if (!database.url) config.database.sqlitePath = database.sqlitePath;
  const app = await createServerApp(config);
  await app.init();
  // The scheduled purge runs at a random moment; a test that counts statements or rows must not meet it by chance.
  // Tests of the purge call purgeOnce themselves.
  await app.get(ExpiredRowsPurger).stop();
  const dataSource = app.get<DataSource>(getDataSourceToken());
  return {
    dialect,
    app,
    config,
    dataSource,
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
