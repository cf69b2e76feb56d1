import type { LibraryMigrations } from '@nest-scim/persistence';
import { SamlInitial1795873913927 as SqliteSamlInitial1795873913927 } from './sqlite/1795873913927-SamlInitial';
import { SamlInitial1795873913927 as MysqlSamlInitial1795873913927 } from './mysql/1795873913927-SamlInitial';

/** The migrations of the saml library's tables, oldest first (written by `npm run migration:generate`). */
export const SAML_MIGRATIONS: LibraryMigrations = {
  sqlite: [SqliteSamlInitial1795873913927],
  mysql: [MysqlSamlInitial1795873913927],
};
