import { DynamicModule, Module, Type } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  hostEntityDirectory,
  SCIM_PROVISIONING_SCHEMA,
  ScimProvisioningHooks,
  ScimProvisioningModule,
} from '@nest-scim/provisioning';
import { ExampleAuthModule } from './auth/example-auth.module';
import type { ExampleHostConfig } from './config/example-host-config';
import { EXAMPLE_HOST_CONFIG, ExampleHostConfigModule } from './config/example-host-config.module';
import { exampleHostDataSourceOptions } from './database/example-host-database';
import { PeopleModule } from './people/people.module';
import { PEOPLE_DIRECTORY } from './scim/people-directory';
import { TeamInsightsModule } from './reports/team-insights.module';
import { TeamsModule } from './teams/teams.module';

/**
 * A product with its own people, teams, sign-in and API under `/api`, which embeds SCIM provisioning so that Entra ID
 * creates and updates its people and teams. The feature's tables and migrations join the product's on its one
 * connection, so a SCIM write and the product rows it changes commit together.
 */
/** What a product adds to its SCIM embedding beyond the mapping: listeners inside each SCIM write's transaction. */
export interface ExampleHostExtensions {
  scimHooks?: Type<ScimProvisioningHooks>[];
}

@Module({})
export class ExampleHostModule {
  static forRoot(config: ExampleHostConfig, extensions: ExampleHostExtensions = {}): DynamicModule {
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
              namingStrategy: SCIM_PROVISIONING_SCHEMA.namingStrategy,
            };
          },
        }),
        ScimProvisioningModule.forRootAsync({
          // Entra's users and groups are the product's people and teams, on the product's own connection.
          directory: hostEntityDirectory(PEOPLE_DIRECTORY),
          hooks: extensions.scimHooks,
          isGlobal: true,
          inject: [EXAMPLE_HOST_CONFIG],
          useFactory: (c: ExampleHostConfig) => ({
            trustedLicensePublicKeys: c.licensePublicKeys,
            publicUrl: c.publicUrl,
            // The feature's own groups (of its token holder), named for this product rather than SonarQube.
            defaultGroupName: 'example-users',
            administratorsGroupName: 'example-administrators',
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
