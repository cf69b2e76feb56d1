import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { LocalAccountsService, UserTokensService } from '@nest-scim/auth';
import { LicenseService } from '@nest-scim/license';
import { LicenseKeyPair, makeLicenseKeyPair, signLicense } from '@nest-scim/license/testing';
import { Dialect, detectMysqlFlavour } from '@nest-scim/persistence';
import { createScratchDatabase, ScratchDatabase } from '@nest-scim/persistence/testing';
import { ScimSwitch } from '@nest-scim/provisioning';
import { SamlSettingsService } from '@nest-scim/saml';
import { completeSamlSettings } from '@nest-scim/saml/testing';
import { HostConfig, HostDatabase, PROVISIONING_CONNECTION } from '../src/config/host-config';
import { createHostApp } from '../src/host-app.factory';

/** `named`: the feature on a connection (and database) of its own; `shared`: on the host's default connection. */
export type ProvisioningLayout = 'named' | 'shared';

export const HOST_API_KEY = 'host-key-0123456789';
const ADMIN_PASSWORD = 'Admin-password-1234';

/** A clock the test moves; the license expiry is judged by it. */
export class TestClock {
  private offsetMs = 0;
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface HostTestApp {
  dialect: Dialect;
  layout: ProvisioningLayout;
  app: INestApplication;
  http(): ReturnType<typeof request>;
  /** The host's default connection, and the one the feature uses (the same one when shared). */
  hostDataSource: DataSource;
  provisioningDataSource: DataSource;
  clock: TestClock;
  licenseKeys: LicenseKeyPair;
  /** An Enterprise license with SCIM and the host's own `revenue-reports` feature, valid for `validMs`. */
  enterpriseLicense(validMs?: number): string;
  /** The local admin's user token, as pasted into Entra. */
  scimToken: string;
  close(): Promise<void>;
}

async function hostDatabaseOf(db: ScratchDatabase): Promise<HostDatabase> {
  if (!db.url) return { type: 'better-sqlite3', file: db.sqlitePath };
  return { type: await detectMysqlFlavour(db.url), url: db.url };
}

/**
 * Boots the host on fresh databases of the dialect and brings the embedded feature to where Entra finds it: a
 * license, SAML set up, SCIM switched on and an admin token — all through the services the feature exports.
 */
export async function startHostApp(dialect: Dialect, layout: ProvisioningLayout): Promise<HostTestApp> {
  const hostDb = await createScratchDatabase(dialect);
  const featureDb = layout === 'named' ? await createScratchDatabase(dialect) : undefined;
  const licenseKeys = makeLicenseKeyPair();
  const clock = new TestClock();
  const config: HostConfig = {
    database: await hostDatabaseOf(hostDb),
    provisioning: featureDb
      ? { connection: 'named', database: { url: featureDb.url, sqlitePath: featureDb.sqlitePath } }
      : { connection: 'shared' },
    apiKeys: { [HOST_API_KEY]: 'storefront' },
    licensePublicKeys: [licenseKeys.publicKey],
    clock: clock.now,
  };
  const app = await createHostApp(config);
  await app.init();
  const enterpriseLicense = (validMs = 365 * 24 * 3600 * 1000) =>
    signLicense(licenseKeys.privateKey, {
      licensee: 'Storefront Inc.',
      edition: 'enterprise',
      features: ['scim', 'saml', 'revenue-reports'],
      issuedAt: clock.now(),
      expiresAt: new Date(clock.now().getTime() + validMs),
    });
  const accounts = app.get(LocalAccountsService);
  await accounts.ensureAdminAccount({ password: ADMIN_PASSWORD });
  const admin = await accounts.authenticatePassword('admin', ADMIN_PASSWORD, { address: '127.0.0.1' });
  const { token } = await app.get(UserTokensService).generate({ userId: admin.userId, name: 'entra' });
  const licenses = app.get(LicenseService);
  await licenses.install(enterpriseLicense());
  await app.get(SamlSettingsService).setMany(completeSamlSettings());
  await app.get(ScimSwitch).enable({ confirmed: true });
  const hostDataSource = app.get<DataSource>(getDataSourceToken());
  return {
    dialect,
    layout,
    app,
    http: () => request(app.getHttpServer()),
    hostDataSource,
    provisioningDataSource: featureDb
      ? app.get<DataSource>(getDataSourceToken(PROVISIONING_CONNECTION))
      : hostDataSource,
    clock,
    licenseKeys,
    enterpriseLicense,
    scimToken: token,
    close: async () => {
      await app.close();
      await hostDb.drop();
      await featureDb?.drop();
    },
  };
}

/** The tables of a connection's database, its migrations table included. */
export async function tablesOf(dataSource: DataSource): Promise<string[]> {
  const sql =
    dataSource.options.type === 'better-sqlite3'
      ? "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : 'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()';
  const rows: { t: string }[] = await dataSource.query(sql);
  return rows.map((r) => r.t).sort();
}

/** Names of the migrations recorded in a migrations table. */
export async function migrationsIn(dataSource: DataSource, table: string): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query(`SELECT name FROM ${table} ORDER BY id`);
  return rows.map((r) => r.name);
}
