import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { LicenseService } from '@nest-scim/license';
import { ExampleHostConfigError, loadExampleHostConfig } from './config/example-host-config';
import { createExampleHostApp } from './example-host.factory';

/** The product's start: configuration from the environment, the license key it is given, then the HTTP server. */
async function bootstrap(): Promise<void> {
  const config = loadExampleHostConfig(process.env);
  const app = await createExampleHostApp(config);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.init();
  if (config.licenseKey) await app.get(LicenseService).install(config.licenseKey);
  await app.listen(config.port, config.host);
  const database = config.database.url ? 'MySQL/MariaDB' : `SQLite file ${config.database.sqlitePath}`;
  new Logger('ExampleHost').log(`Listening on http://${config.host}:${config.port} with ${database}`);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ExampleHostConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`The example host could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
