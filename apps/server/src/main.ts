import './heap-growth';
import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { ConfigurationError, loadServerConfig, startupWarnings } from './config/server-config';
import { exitAfterLogs, stopOnSignals } from './process-stop';
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
  const stop = stopOnSignals(config.shutdownTimeoutMs);
  const app = await createServerApp(config);
  stop.closes(app);
  try {
    await app.init();
    await app.get(AdminAccountBootstrap).ensureAdminAccount(config.adminPassword);
    await app.listen(config.port, config.host);
  } catch (error) {
    // Nest holds the lines logged through it (its own, the generated admin password) until the server listens: a
    // start that fails writes them too.
    app.flushLogs();
    throw error;
  }
  const logger = app.get(Logger);
  const database = config.database.url ? 'MySQL/MariaDB' : `SQLite file ${config.database.sqlitePath}`;
  logger.log(`Listening on http://${config.host}:${config.port} with ${database}`, 'Server');
  for (const warning of startupWarnings(config)) logger.warn(warning, 'Server');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`The server could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  // The lines logged before the failure (what the start got through) are written before the process ends.
  void exitAfterLogs(1);
});
