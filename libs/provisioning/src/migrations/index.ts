import type { LibraryMigrations } from '@nest-scim/persistence';
import { ProvisioningInitial1795873913928 as SqliteProvisioningInitial1795873913928 } from './sqlite/1795873913928-ProvisioningInitial';
import { ProvisioningInitial1795873913928 as MysqlProvisioningInitial1795873913928 } from './mysql/1795873913928-ProvisioningInitial';

/** The migrations of the provisioning library's tables, oldest first (written by `npm run migration:generate`). */
export const PROVISIONING_MIGRATIONS: LibraryMigrations = {
  sqlite: [SqliteProvisioningInitial1795873913928],
  mysql: [MysqlProvisioningInitial1795873913928],
};
