import { DynamicModule, Module } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { resolveDataSourceOptions } from '@nest-scim/persistence';
import { SCIM_PROVISIONING_SCHEMA, ScimProvisioningModule } from '@nest-scim/provisioning';
import { HostAuthModule } from './auth/host-auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { HOST_CONFIG, HostConfig, HostConfigModule, PROVISIONING_CONNECTION } from './config/host-config';
import { hostDataSourceOptions } from './database/host-database';
import { ReportsModule } from './reports/reports.module';

/**
 * A backend that is not ours: its own config, connection, entities, migrations, API keys and routes under `/shop`.
 * It embeds SCIM provisioning with one import and gates its own revenue report with the license it brings.
 */
@Module({})
export class HostAppModule {
  static forRoot(config: HostConfig): DynamicModule {
    const storage = config.provisioning;
    const provisioningConnection =
      storage.connection === 'named'
        ? [
            TypeOrmModule.forRootAsync({
              name: PROVISIONING_CONNECTION,
              // The name is repeated in the options: @nestjs/typeorm looks the connection up by it to close it.
              useFactory: async () => ({
                ...(await resolveDataSourceOptions(storage.database, SCIM_PROVISIONING_SCHEMA)),
                name: PROVISIONING_CONNECTION,
                migrationsRun: true,
              }),
            }),
          ]
        : [];
    return {
      module: HostAppModule,
      imports: [
        HostConfigModule.forRoot(config),
        TypeOrmModule.forRootAsync({
          inject: [HOST_CONFIG],
          useFactory: (c: HostConfig) => hostDataSourceOptions(c),
        }),
        ...provisioningConnection,
        ScimProvisioningModule.forRootAsync({
          dataSource: storage.connection === 'named' ? PROVISIONING_CONNECTION : undefined,
          isGlobal: true,
          inject: [HOST_CONFIG],
          useFactory: (c: HostConfig) => ({ trustedLicensePublicKeys: c.licensePublicKeys, clock: c.clock }),
        }),
        HostAuthModule,
        CatalogModule,
        ReportsModule,
        RouterModule.register([{ path: 'shop', children: [CatalogModule, ReportsModule] }]),
      ],
    };
  }
}
