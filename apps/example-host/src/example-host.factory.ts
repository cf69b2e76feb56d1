import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ExampleHostConfig } from './config/example-host-config';
import { ExampleHostExtensions, ExampleHostModule } from './example-host.module';
import { ExampleErrorFilter } from './http/example-error.filter';

/**
 * The product's bootstrap, as its main.ts has it: Nest's default body parser, a global validation pipe that refuses
 * unknown properties, and a global exception filter with the product's own error shape. `main.ts`, the example
 * launcher and the tests all start the product through here.
 */
export async function createExampleHostApp(
  config: ExampleHostConfig,
  options: { logger?: false } & ExampleHostExtensions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(ExampleHostModule.forRoot(config, { scimHooks: options.scimHooks }), {
    logger: options.logger,
    abortOnError: false,
  });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new ExampleErrorFilter());
  return app;
}
