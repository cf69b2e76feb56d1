import { Initial1795872855725 } from './1795872855725-Initial';

/** MySQL/MariaDB migrations, oldest first (written by `npm run migration:generate`). */
export const MYSQL_MIGRATIONS = [Initial1795872855725];
