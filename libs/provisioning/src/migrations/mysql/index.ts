import { Initial1795873913924 } from './1795873913924-Initial';

/** MySQL/MariaDB migrations, oldest first (written by `npm run migration:generate`). */
export const MYSQL_MIGRATIONS = [Initial1795873913924];
