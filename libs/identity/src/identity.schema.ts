import { composeSchema, LibrarySchema, SchemaOptions, SchemaParts } from '@nest-scim/persistence';
import { IDENTITY_ENTITIES } from './identity.entities';
import { IDENTITY_MIGRATIONS } from './migrations';

/** The identity library's tables: its entities and the migrations (per dialect) that create them. */
export const IDENTITY_LIBRARY: LibrarySchema = { entities: IDENTITY_ENTITIES, migrations: IDENTITY_MIGRATIONS };

/**
 * What a connection needs for the identity library alone: entities, migrations, naming strategy (with the
 * optional table prefix) and migrations table, for `buildDataSourceOptions` or your own options.
 */
export function identitySchema(options: SchemaOptions = {}): Required<SchemaParts> {
  return composeSchema([IDENTITY_LIBRARY], options);
}
