import { DynamicModule, Module } from '@nestjs/common';
import type { ServerConfig } from './config/server-config';
import { SERVER_CONFIG } from './server-config.token';

/** Makes the validated configuration injectable wherever a module imports this one. */
@Module({})
export class ServerConfigModule {
  static forRoot(config: ServerConfig): DynamicModule {
    return {
      module: ServerConfigModule,
      providers: [{ provide: SERVER_CONFIG, useValue: config }],
      exports: [SERVER_CONFIG],
    };
  }
}
