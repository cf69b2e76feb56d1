import type { LibraryMigrations } from '@nest-scim/persistence';
import { IdentityInitial1795873913924 as SqliteIdentityInitial1795873913924 } from './sqlite/1795873913924-IdentityInitial';
import { IdentityInitial1795873913924 as MysqlIdentityInitial1795873913924 } from './mysql/1795873913924-IdentityInitial';

/** The migrations of the identity library's tables, oldest first (written by `npm run migration:generate`). */
export const IDENTITY_MIGRATIONS: LibraryMigrations = {
  sqlite: [SqliteIdentityInitial1795873913924],
  mysql: [MysqlIdentityInitial1795873913924],
};
