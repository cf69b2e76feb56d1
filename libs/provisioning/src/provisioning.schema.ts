import type { Dialect, SchemaParts } from '@nest-scim/persistence';
import { AUTH_ENTITIES } from '@nest-scim/auth';
import { IDENTITY_ENTITIES } from '@nest-scim/identity';
import { LICENSE_ENTITIES } from '@nest-scim/license';
import { SAML_ENTITIES } from '@nest-scim/saml';
import { MYSQL_MIGRATIONS } from './migrations/mysql';
import { SQLITE_MIGRATIONS } from './migrations/sqlite';
import { PROVISIONING_ENTITIES } from './provisioning.entities';

/**
 * Every table the provisioning feature needs, and the migrations of each dialect that create them. A host adds these
 * entities and migrations to its own TypeORM connection (or gives the feature a connection of its own).
 */
export const SCIM_PROVISIONING_SCHEMA: SchemaParts = {
  entities: [...IDENTITY_ENTITIES, ...AUTH_ENTITIES, ...LICENSE_ENTITIES, ...SAML_ENTITIES, ...PROVISIONING_ENTITIES],
  migrations: (dialect: Dialect) => (dialect === 'mysql' ? MYSQL_MIGRATIONS : SQLITE_MIGRATIONS),
};
