import type { LibraryMigrations } from '@nest-scim/persistence';
import { AuthInitial1795873913925 as SqliteAuthInitial1795873913925 } from './sqlite/1795873913925-AuthInitial';
import { AuthInitial1795873913925 as MysqlAuthInitial1795873913925 } from './mysql/1795873913925-AuthInitial';

/** The migrations of the auth library's tables, oldest first (written by `npm run migration:generate`). */
export const AUTH_MIGRATIONS: LibraryMigrations = {
  sqlite: [SqliteAuthInitial1795873913925],
  mysql: [MysqlAuthInitial1795873913925],
};
