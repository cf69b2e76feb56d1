import { Initial1795873913924 } from './1795873913924-Initial';
import { UserLastConnectionDate1796403086307 } from './1796403086307-UserLastConnectionDate';

/** MySQL/MariaDB migrations, oldest first (written by `npm run migration:generate`). */
export const MYSQL_MIGRATIONS = [Initial1795873913924, UserLastConnectionDate1796403086307];
