import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { PROVISIONING_BASE_PATH } from '@nest-scim/provisioning';
import { AppModule } from './app.module';
import type { ServerConfig } from './config/server-config';
import { allowedHostsCheck, sameOriginCheck } from './http/request-origin';
import { setupWebApiDocs } from './web-api/web-api.openapi';

/**
 * Builds the server application; `main.ts` and the end-to-end tests both start it through here. Stop signals are
 * main.ts's to handle: it writes out the buffered log lines once the application has closed.
 */
export async function createServerApp(config: ServerConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), {
    // Each API parses its own bodies (the SCIM endpoint accepts application/scim+json and reports bad JSON as a SCIM
    // error), so no parser runs for every route.
    bodyParser: false,
    bufferLogs: true,
    // On close, idle keep-alive connections are dropped at once; requests in flight are still answered.
    forceCloseConnections: true,
  });
  app.useLogger(app.get(Logger));
  (app.getHttpAdapter().getInstance() as { disable?(setting: string): void }).disable?.('x-powered-by');
  // Before any route: requests naming a host the admin did not allow, and cross-site requests riding on the session
  // cookie, are refused here.
  // The SCIM routes are where the provisioning module put them: their refusals are SCIM errors.
  const scim = { basePath: app.get<string>(PROVISIONING_BASE_PATH, { strict: false }) };
  app.use(allowedHostsCheck(config, scim), sameOriginCheck(config, scim));
  setupWebApiDocs(app);
  return app;
}
