import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { HostConfig } from './config/host-config';
import { HostAppModule } from './host-app.module';
import { HostErrorFilter } from './http/host-error.filter';

/**
 * The host's bootstrap, as its main.ts would have it: Nest's default body parser, a global validation pipe that
 * refuses unknown properties, and a global exception filter with the host's own error shape.
 */
export async function createHostApp(config: HostConfig): Promise<INestApplication> {
  const app = await NestFactory.create(HostAppModule.forRoot(config), { logger: false, abortOnError: false });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new HostErrorFilter());
  return app;
}
