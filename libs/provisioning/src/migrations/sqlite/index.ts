import { Initial1795873913924 } from './1795873913924-Initial';
import { AddScimActivity1796540000000 } from './1796540000000-AddScimActivity';

/** SQLite migrations, oldest first (written by `npm run migration:generate`). */
export const SQLITE_MIGRATIONS = [Initial1795873913924, AddScimActivity1796540000000];
