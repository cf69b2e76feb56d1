import { composeSchema, LibrarySchema, SchemaOptions, SchemaParts } from '@nest-scim/persistence';
import { IDENTITY_LIBRARY } from '@nest-scim/identity';
import { AUTH_ENTITIES } from './auth.entities';
import { AUTH_MIGRATIONS } from './migrations';

/** The auth library's tables: its entities and the migrations (per dialect) that create them. */
export const AUTH_LIBRARY: LibrarySchema = { entities: AUTH_ENTITIES, migrations: AUTH_MIGRATIONS };

/**
 * What a connection needs for the auth library alone (with identity's, which its tables reference): entities, migrations, naming strategy (with the
 * optional table prefix) and migrations table, for `buildDataSourceOptions` or your own options.
 */
export function authSchema(options: SchemaOptions = {}): Required<SchemaParts> {
  return composeSchema([IDENTITY_LIBRARY, AUTH_LIBRARY], options);
}
