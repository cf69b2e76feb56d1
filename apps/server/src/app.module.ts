import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { ServerConfig } from './config/server-config';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { loggingOptions } from './logging/logging.options';
import { SERVER_CONFIG } from './server-config.token';

/** The standalone server: one host of the provisioning feature, composed the way an embedding backend would. */
@Module({})
export class AppModule {
  static forRoot(config: ServerConfig): DynamicModule {
    return {
      module: AppModule,
      global: false,
      imports: [LoggerModule.forRoot(loggingOptions(config)), DatabaseModule.forRoot(config), HealthModule],
      providers: [{ provide: SERVER_CONFIG, useValue: config }],
      exports: [SERVER_CONFIG],
    };
  }
}
