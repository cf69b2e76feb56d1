import './heap-growth';
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from 'nestjs-pino';
import { makeLicenseKeyPair } from '@nest-scim/license/signing';
import { completeSamlSettings } from '@nest-scim/saml/samples';
import { ConfigurationError, loadServerConfig } from './config/server-config';
import { enterpriseScimLicense, prepareForEntra } from './entra-ready';
import { exitAfterLogs, stopOnSignals } from './process-stop';
import { createServerApp } from './server-app.factory';

/**
 * `npm run demo`: the server on the embedded SQLite file, set up the way an admin would before pasting the tenant URL
 * and a token into Entra ID — an Enterprise license, SAML filled with sample values, SCIM switched on. The license is
 * signed by a key pair made for this demo (kept in the data folder) and trusted only by this demo process; `npm start`
 * trusts only the keys of its own configuration.
 */
async function demo(): Promise<void> {
  const base = loadServerConfig(process.env);
  const keyFile = join(base.dataDir, 'demo-license-signing-key.json');
  mkdirSync(base.dataDir, { recursive: true });
  if (!existsSync(keyFile)) writeFileSync(keyFile, JSON.stringify(makeLicenseKeyPair()), { mode: 0o600 });
  const keys = JSON.parse(readFileSync(keyFile, 'utf8')) as { privateKey: string; publicKey: string };
  const config = { ...base, licensePublicKeys: [...base.licensePublicKeys, keys.publicKey] };

  const stop = stopOnSignals(config.shutdownTimeoutMs);
  const app = await createServerApp(config);
  stop.closes(app);
  await app.listen(config.port, config.host);
  const logger = app.get(Logger);

  const { admin, token } = await prepareForEntra(app, {
    adminPassword: config.adminPassword,
    license: () => enterpriseScimLicense(keys.privateKey, 'SCIM provisioning demo', 90),
    samlSettings: completeSamlSettings(),
    tokenName: `entra-demo-${new Date().toISOString()}`,
  });
  const origin = config.publicUrl ?? `http://localhost:${config.port}`;
  const lines = [
    '',
    'SCIM provisioning is ready for Microsoft Entra ID (demo setup: sample SAML values, a demo license).',
    `  Tenant URL:    ${origin}/api/scim/v2`,
    `  Secret token:  ${token}`,
    ...(admin.created && admin.generatedPassword
      ? [`  Admin sign-in: admin / ${admin.generatedPassword}  (shown once)`]
      : []),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  logger.log(`Demo listening on ${origin}`, 'Demo');
}

demo().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`The demo could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  void exitAfterLogs(1);
});
