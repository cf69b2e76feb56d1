import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { resolveDataSourceOptions } from './libs/persistence/src';
import { loadServerConfig } from './apps/server/src/config/server-config';
import { SERVER_SCHEMA } from './apps/server/src/database/schema';

/**
 * The DataSource of the TypeORM CLI (`npm run migration:run`, `migration:revert`). It reads the same environment and
 * is built by the same function as the server, so the CLI migrates exactly the database the server would use.
 */
export default resolveDataSourceOptions(loadServerConfig(process.env).database, SERVER_SCHEMA).then(
  (options) => new DataSource(options),
);
