import { Initial1795873913924 } from './1795873913924-Initial';

/** SQLite migrations, oldest first (written by `npm run migration:generate`). */
export const SQLITE_MIGRATIONS = [Initial1795873913924];
