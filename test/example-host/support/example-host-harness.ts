import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { LicenseService } from '@nest-scim/license';
import { LicenseKeyPair, makeLicenseKeyPair, signLicense } from '@nest-scim/license/testing';
import type { Dialect } from '@nest-scim/persistence';
import { createScratchDatabase } from '@nest-scim/persistence/testing';
import type { ExampleHostConfig } from '../../../apps/example-host/src/config/example-host-config';
import { createExampleHostApp } from '../../../apps/example-host/src/example-host.factory';
import type { ExampleHostExtensions } from '../../../apps/example-host/src/example-host.module';
import { TEAM_INSIGHTS_FEATURE } from '../../../apps/example-host/src/reports/team-insights.controller';
import { EntraSetup, setUpEntraProvisioning } from '../../../apps/example-host/src/scim/entra-setup';
import { TestClock } from '../../host-app/support/host-harness';

export interface ExampleHostTestApp {
  dialect: Dialect;
  app: INestApplication;
  http(): ReturnType<typeof request>;
  /** The product's one connection: its own tables and, beside them, the SCIM feature's. */
  dataSource: DataSource;
  clock: TestClock;
  licenseKeys: LicenseKeyPair;
  /** An Enterprise license with SCIM and the product's own `team-insights`, valid for `validMs`. */
  enterpriseLicense(validMs?: number, features?: string[]): string;
  /** What the example's administrator does before connecting Entra ID (the code `npm run example:host` runs). */
  setUpEntra(): Promise<EntraSetup>;
  /** Signs a person in through the OIDC stand-in and returns their access token. */
  signIn(login: string): Promise<string>;
  close(): Promise<void>;
}

/** Boots apps/example-host on a fresh database of the dialect, with an Enterprise license installed. */
export async function startExampleHost(
  dialect: Dialect,
  extensions: ExampleHostExtensions = {},
): Promise<ExampleHostTestApp> {
  const db = await createScratchDatabase(dialect);
  const licenseKeys = makeLicenseKeyPair();
  const clock = new TestClock();
  const config: ExampleHostConfig = {
    port: 0,
    host: '127.0.0.1',
    dataDir: '',
    database: { url: db.url, sqlitePath: db.sqlitePath },
    licensePublicKeys: [licenseKeys.publicKey],
    sessionSecret: 'a-session-secret-of-at-least-32-characters',
    clock: clock.now,
  };
  const app = await createExampleHostApp(config, { logger: false, ...extensions });
  try {
    await app.init();
  } catch (error) {
    await app.close().catch(() => undefined);
    await db.drop();
    throw error;
  }
  const enterpriseLicense = (validMs = 365 * 24 * 3600 * 1000, features = ['scim', TEAM_INSIGHTS_FEATURE]) =>
    signLicense(licenseKeys.privateKey, {
      licensee: 'Example Corp',
      edition: 'enterprise',
      features,
      issuedAt: clock.now(),
      expiresAt: new Date(clock.now().getTime() + validMs),
    });
  await app.get(LicenseService).install(enterpriseLicense());
  const http = () => request(app.getHttpServer());
  return {
    dialect,
    app,
    http,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    clock,
    licenseKeys,
    enterpriseLicense,
    setUpEntra: () => setUpEntraProvisioning(app, 'entra'),
    signIn: async (login) => {
      const res = await http().post('/auth/oidc/callback').send({ preferredUsername: login });
      if (res.status !== 200) throw new Error(`sign-in of ${login} answered ${res.status}: ${res.text}`);
      return (res.body as { accessToken: string }).accessToken;
    },
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
