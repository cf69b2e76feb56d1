import { composeSchema, LibrarySchema, SchemaOptions, SchemaParts } from '@nest-scim/persistence';
import { AUTH_LIBRARY } from '@nest-scim/auth';
import { IDENTITY_LIBRARY } from '@nest-scim/identity';
import { LICENSE_LIBRARY } from '@nest-scim/license';
import { SAML_LIBRARY } from '@nest-scim/saml';
import { PROVISIONING_MIGRATIONS } from './migrations';
import { PROVISIONING_ENTITIES } from './provisioning.entities';

/** The tables of the provisioning library itself (the SCIM side tables and the audit trail). */
export const PROVISIONING_LIBRARY: LibrarySchema = {
  entities: PROVISIONING_ENTITIES,
  migrations: PROVISIONING_MIGRATIONS,
};

/** The table prefix and, when your entities share the connection, your naming strategy. */
export type ScimSchemaOptions = SchemaOptions;

/**
 * Every table the provisioning feature needs (each library's, in the order they are migrated), and the migrations of
 * each dialect that create them, under an optional table prefix. A host adds these entities, migrations and naming
 * strategy to its own TypeORM connection (or gives the feature a connection of its own, through
 * `buildDataSourceOptions`, which applies all four, migrations table included).
 */
export function scimProvisioningSchema(options: ScimSchemaOptions = {}): Required<SchemaParts> {
  return composeSchema([IDENTITY_LIBRARY, AUTH_LIBRARY, LICENSE_LIBRARY, SAML_LIBRARY, PROVISIONING_LIBRARY], options);
}

/** The feature's schema without a table prefix. */
export const SCIM_PROVISIONING_SCHEMA: Required<SchemaParts> = scimProvisioningSchema();
