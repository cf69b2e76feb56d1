import type { NamingStrategyInterface } from 'typeorm';
import { Dialect, SchemaParts, tableNaming, withTablePrefix } from '@nest-scim/persistence';
import { AUTH_ENTITIES } from '@nest-scim/auth';
import { IDENTITY_ENTITIES } from '@nest-scim/identity';
import { LICENSE_ENTITIES } from '@nest-scim/license';
import { SAML_ENTITIES } from '@nest-scim/saml';
import { MYSQL_MIGRATIONS } from './migrations/mysql';
import { SQLITE_MIGRATIONS } from './migrations/sqlite';
import { PROVISIONING_ENTITIES } from './provisioning.entities';

export interface ScimSchemaOptions {
  /**
   * Put before the name of every table, index and constraint of the feature, and of its migrations table
   * (`<prefix>schema_migrations`): lower case, up to 20 characters, e.g. `scim_`. None when unset.
   */
  tablePrefix?: string;
  /** The naming strategy of your own entities, when they share the connection and you have one. */
  baseNamingStrategy?: NamingStrategyInterface;
}

/** Every entity of the feature, in the order their tables are created. */
const ENTITIES = [
  ...IDENTITY_ENTITIES,
  ...AUTH_ENTITIES,
  ...LICENSE_ENTITIES,
  ...SAML_ENTITIES,
  ...PROVISIONING_ENTITIES,
] as const;

/**
 * Every table the provisioning feature needs, and the migrations of each dialect that create them, under an optional
 * table prefix. A host adds these entities, migrations and naming strategy to its own TypeORM connection (or gives
 * the feature a connection of its own, through `buildDataSourceOptions`, which applies all four).
 */
export function scimProvisioningSchema(options: ScimSchemaOptions = {}): Required<SchemaParts> {
  const prefix = options.tablePrefix ?? '';
  return {
    entities: [...ENTITIES],
    migrations: (dialect: Dialect) =>
      withTablePrefix(dialect === 'mysql' ? MYSQL_MIGRATIONS : SQLITE_MIGRATIONS, prefix),
    namingStrategy: tableNaming(prefix, ENTITIES, options.baseNamingStrategy),
    migrationsTableName: `${prefix}schema_migrations`,
  };
}

/** The feature's schema without a table prefix. */
export const SCIM_PROVISIONING_SCHEMA: Required<SchemaParts> = scimProvisioningSchema();
