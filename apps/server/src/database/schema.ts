import type { Dialect, SchemaParts } from '@app/persistence';
import { MYSQL_MIGRATIONS } from './migrations/mysql';
import { SQLITE_MIGRATIONS } from './migrations/sqlite';

/** Every entity of the composed server, and the migrations of each dialect that create their tables. */
export const SERVER_SCHEMA: SchemaParts = {
  entities: [],
  migrations: (dialect: Dialect) => (dialect === 'mysql' ? MYSQL_MIGRATIONS : SQLITE_MIGRATIONS),
};
