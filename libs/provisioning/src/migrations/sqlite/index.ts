import { Initial1795872855725 } from './1795872855725-Initial';

/** SQLite migrations, oldest first (written by `npm run migration:generate`). */
export const SQLITE_MIGRATIONS = [Initial1795872855725];
