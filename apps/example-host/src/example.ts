import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { LicenseService } from '@nest-scim/license';
import { ExampleHostConfigError, loadExampleHostConfig } from './config/example-host-config';
import { createExampleHostApp } from './example-host.factory';
import { setUpEntraProvisioning } from './scim/entra-setup';

/**
 * `npm run example:host`: the example product, started and set up the way its administrator would before pasting the
 * tenant URL and a token into Entra ID — the license it is given installed, SCIM switched on, a token made. The
 * launcher (scripts/example-host.ts) signs that license and passes it in with its public key.
 */
async function example(): Promise<void> {
  const config = loadExampleHostConfig(process.env);
  if (!config.licenseKey) throw new Error('LICENSE_KEY is not set: start the example with npm run example:host');
  const app = await createExampleHostApp(config);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.init();
  await app.get(LicenseService).install(config.licenseKey);
  const setup = await setUpEntraProvisioning(app, `entra-example-${new Date().toISOString()}`);
  await app.listen(config.port, config.host);
  const origin = config.publicUrl ?? `http://localhost:${config.port}`;
  const lines = [
    '',
    'SCIM provisioning is ready for Microsoft Entra ID (example product: its own people and teams, a demo license).',
    `  Tenant URL:    ${origin}/api/scim/v2`,
    `  Secret token:  ${setup.token}`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const database = config.database.url ? 'MySQL/MariaDB' : `SQLite file ${config.database.sqlitePath}`;
  new Logger('ExampleHost').log(`Example listening on ${origin} with ${database}`);
}

example().catch((error: unknown) => {
  if (error instanceof ExampleHostConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`The example could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
