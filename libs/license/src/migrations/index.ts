import type { LibraryMigrations } from '@nest-scim/persistence';
import { LicenseInitial1795873913926 as SqliteLicenseInitial1795873913926 } from './sqlite/1795873913926-LicenseInitial';
import { LicenseInitial1795873913926 as MysqlLicenseInitial1795873913926 } from './mysql/1795873913926-LicenseInitial';

/** The migrations of the license library's tables, oldest first (written by `npm run migration:generate`). */
export const LICENSE_MIGRATIONS: LibraryMigrations = {
  sqlite: [SqliteLicenseInitial1795873913926],
  mysql: [MysqlLicenseInitial1795873913926],
};
