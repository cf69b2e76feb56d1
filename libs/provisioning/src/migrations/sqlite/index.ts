import { Initial1795873043069 } from './1795873043069-Initial';

/** SQLite migrations, oldest first (written by `npm run migration:generate`). */
export const SQLITE_MIGRATIONS = [Initial1795873043069];
