import { composeSchema, LibrarySchema, SchemaOptions, SchemaParts } from '@nest-scim/persistence';
import { LICENSE_ENTITIES } from './installed-license.entity';
import { LICENSE_MIGRATIONS } from './migrations';

/** The license library's tables: its entities and the migrations (per dialect) that create them. */
export const LICENSE_LIBRARY: LibrarySchema = { entities: LICENSE_ENTITIES, migrations: LICENSE_MIGRATIONS };

/**
 * What a connection needs for the license library alone: entities, migrations, naming strategy (with the
 * optional table prefix) and migrations table, for `buildDataSourceOptions` or your own options.
 */
export function licenseSchema(options: SchemaOptions = {}): Required<SchemaParts> {
  return composeSchema([LICENSE_LIBRARY], options);
}
