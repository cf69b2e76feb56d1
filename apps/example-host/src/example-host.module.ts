import { DynamicModule, Module } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SCIM_PROVISIONING_SCHEMA, ScimProvisioningModule } from '@app/provisioning';
import { ExampleAuthModule } from './auth/example-auth.module';
import type { ExampleHostConfig } from './config/example-host-config';
import { EXAMPLE_HOST_CONFIG, ExampleHostConfigModule } from './config/example-host-config.module';
import { exampleHostDataSourceOptions } from './database/example-host-database';
import { PeopleModule } from './people/people.module';
import { TeamInsightsModule } from './reports/team-insights.module';
import { TeamsModule } from './teams/teams.module';

/**
 * A product with its own people, teams, sign-in and API under `/api`, which embeds SCIM provisioning so that Entra ID
 * creates and updates its people and teams.
 */
@Module({})
export class ExampleHostModule {
  static forRoot(config: ExampleHostConfig): DynamicModule {
    return {
      module: ExampleHostModule,
      imports: [
        ExampleHostConfigModule.forRoot(config),
        TypeOrmModule.forRootAsync({
          inject: [EXAMPLE_HOST_CONFIG],
          useFactory: async (c: ExampleHostConfig) => {
            const options = await exampleHostDataSourceOptions(c.database);
            const dialect = c.database.url ? 'mysql' : 'sqlite';
            return {
              ...options,
              entities: [...(options.entities as []), ...(SCIM_PROVISIONING_SCHEMA.entities as [])],
              migrations: [...(options.migrations as []), ...(SCIM_PROVISIONING_SCHEMA.migrations(dialect) as [])],
            };
          },
        }),
        ScimProvisioningModule.forRootAsync({
          isGlobal: true,
          inject: [EXAMPLE_HOST_CONFIG],
          useFactory: (c: ExampleHostConfig) => ({
            trustedLicensePublicKeys: c.licensePublicKeys,
            publicUrl: c.publicUrl,
            clock: c.clock,
          }),
        }),
        ExampleAuthModule,
        PeopleModule,
        TeamsModule,
        TeamInsightsModule,
        RouterModule.register([{ path: 'api', children: [PeopleModule, TeamsModule, TeamInsightsModule] }]),
      ],
    };
  }
}
