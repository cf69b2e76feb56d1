import { composeSchema, LibrarySchema, SchemaOptions, SchemaParts } from '@nest-scim/persistence';
import { SAML_ENTITIES } from './saml.entities';
import { SAML_MIGRATIONS } from './migrations';

/** The saml library's tables: its entities and the migrations (per dialect) that create them. */
export const SAML_LIBRARY: LibrarySchema = { entities: SAML_ENTITIES, migrations: SAML_MIGRATIONS };

/**
 * What a connection needs for the saml library alone: entities, migrations, naming strategy (with the
 * optional table prefix) and migrations table, for `buildDataSourceOptions` or your own options.
 */
export function samlSchema(options: SchemaOptions = {}): Required<SchemaParts> {
  return composeSchema([SAML_LIBRARY], options);
}
