import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ScimProvisioningModule } from '@app/provisioning';
import type { ServerConfig } from './config/server-config';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { loggingOptions } from './logging/logging.options';
import { ServerConfigModule } from './server-config.module';
import { SERVER_CONFIG } from './server-config.token';

/** The standalone server: one host of the provisioning feature, composed the way an embedding backend would. */
@Module({})
export class AppModule {
  static forRoot(config: ServerConfig): DynamicModule {
    const configModule = ServerConfigModule.forRoot(config);
    return {
      module: AppModule,
      imports: [
        configModule,
        LoggerModule.forRoot(loggingOptions(config)),
        DatabaseModule.forRoot(config),
        HealthModule,
        ScimProvisioningModule.forRootAsync({
          imports: [configModule],
          inject: [SERVER_CONFIG],
          useFactory: (c: ServerConfig) => ({ trustedLicensePublicKeys: c.licensePublicKeys, publicUrl: c.publicUrl }),
        }),
      ],
    };
  }
}
