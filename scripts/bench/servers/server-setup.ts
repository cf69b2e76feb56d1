import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { createConnection } from 'mysql2/promise';
import type { Dialect } from '@nest-scim/persistence';
import type { ServerConfig } from '../../../apps/server/src/config/server-config';
import { built } from './built-server';

const ADMIN_PASSWORD = 'Bench-admin-password-1234';

/** A database made ready for Entra: what an admin does once before pasting the token into Entra. */
export interface PreparedDatabase {
  dialect: Dialect;
  /** The environment of the server process (PORT is added when it starts). */
  env: Record<string, string>;
  config: ServerConfig;
  /** The admin's user token, as Entra's "Secret Token". */
  token: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh database of the dialect (an SQLite file in a temporary folder, or a MySQL database
 * `scim_bench_<random>`), then opens it with the server's own modules (a Nest application context over the same
 * configuration, which also runs the migrations) and makes it ready for Entra as the demo does (`prepareForEntra`:
 * the admin and its token, an Enterprise license with the `scim` feature, SAML complete, provisioning switched to
 * SCIM). The context is closed before the server process starts.
 */
export async function prepareDatabase(
  dialect: Dialect,
  options: { mysqlUrl: string; logLevel: string },
): Promise<PreparedDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scim-bench-'));
  let databaseUrl: string | undefined;
  let dropMysql = async () => undefined as void;
  if (dialect === 'mysql') {
    const name = `scim_bench_${randomBytes(5).toString('hex')}`;
    const admin = await createConnection({ uri: options.mysqlUrl });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await admin.end();
    const url = new URL(options.mysqlUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropMysql = async () => {
      const dropper = await createConnection({ uri: options.mysqlUrl });
      await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await dropper.end();
    };
  }
  const { enterpriseScimLicense, prepareForEntra } = built.entraReady();
  const { makeLicenseKeyPair } = built.licenseSigning();
  const { completeSamlSettings } = built.samlSamples();
  const { AppModule } = built.appModule();
  const { loadServerConfig } = built.serverConfig();
  const keys = makeLicenseKeyPair();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: options.logLevel,
    LOG_FORMAT: 'json',
    LICENSE_PUBLIC_KEYS: keys.publicKey,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const config = loadServerConfig(env);
  const drop = async () => {
    await dropMysql();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, logLevel: 'silent' }), {
      logger: ['error'],
      abortOnError: false,
    });
    try {
      const { token } = await prepareForEntra(app, {
        adminPassword: ADMIN_PASSWORD,
        license: () => enterpriseScimLicense(keys.privateKey, 'Benchmark', 30),
        samlSettings: completeSamlSettings(),
        tokenName: 'entra-bench',
      });
      return { dialect, env, config, token, drop };
    } finally {
      await app.close();
    }
  } catch (error) {
    await drop();
    throw error;
  }
}
