import { Initial1795873913924 } from './1795873913924-Initial';
import { SortKeysAndLimits1796403450354 } from './1796403450354-SortKeysAndLimits';

/** SQLite migrations, oldest first (written by `npm run migration:generate`). */
export const SQLITE_MIGRATIONS = [Initial1795873913924, SortKeysAndLimits1796403450354];
