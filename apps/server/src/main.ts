import './heap-growth';
import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { ConfigurationError, loadServerConfig, startupWarnings } from './config/server-config';
import { createServerApp } from './server-app.factory';
import { AdminAccountBootstrap } from './web-api/admin-account.bootstrap';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadServerConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = await createServerApp(config);
  await app.init();
  await app.get(AdminAccountBootstrap).ensureAdminAccount(config.adminPassword);
  await app.listen(config.port, config.host);
  const logger = app.get(Logger);
  const database = config.database.url ? 'MySQL/MariaDB' : `SQLite file ${config.database.sqlitePath}`;
  logger.log(`Listening on http://${config.host}:${config.port} with ${database}`, 'Server');
  for (const warning of startupWarnings(config)) logger.warn(warning, 'Server');
  // A stop signal that hangs (a stuck request, an unreachable database) must still end the process.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref());
  }
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`The server could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
