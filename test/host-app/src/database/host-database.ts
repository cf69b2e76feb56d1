import type { DataSourceOptions } from 'typeorm';
import { SCIM_PROVISIONING_SCHEMA } from '@nest-scim/provisioning';
import { ProductEntity } from '../catalog/product.entity';
import type { HostConfig } from '../config/host-config';
import { RevenueEntryEntity } from '../reports/revenue-entry.entity';
import { CreateShopTables1700000000000 as MysqlShopTables } from './migrations/mysql/1700000000000-CreateShopTables';
import { CreateShopTables1700000000000 as SqliteShopTables } from './migrations/sqlite/1700000000000-CreateShopTables';

export const HOST_MIGRATIONS_TABLE = 'host_migrations';

const HOST_ENTITIES = [ProductEntity, RevenueEntryEntity];

/**
 * The host's default connection, set up the host's way: its own migrations table and its entities listed. When the
 * provisioning feature shares it, the feature's entities and migrations are added to the host's lists.
 *
 * Entities are listed rather than auto-loaded: @nestjs/typeorm keeps auto-loaded entities in a process-wide registry
 * by connection name, so in a process that has booted another app with the feature on its default connection (the
 * tests do, for apps/server) `autoLoadEntities` would pick the feature's entities up here too.
 */
export function hostDataSourceOptions(config: HostConfig): DataSourceOptions {
  const sqlite = config.database.type === 'better-sqlite3';
  const hostMigrations = sqlite ? [SqliteShopTables] : [MysqlShopTables];
  const shared = config.provisioning.connection === 'shared';
  const feature = SCIM_PROVISIONING_SCHEMA;
  const entities = shared ? [...HOST_ENTITIES, ...(feature.entities as [])] : HOST_ENTITIES;
  const migrations = shared
    ? [...hostMigrations, ...(feature.migrations(sqlite ? 'sqlite' : 'mysql') as [])]
    : hostMigrations;
  const common = {
    entities,
    migrations,
    migrationsTableName: HOST_MIGRATIONS_TABLE,
    // The feature's naming strategy names its tables and indexes (and the host's as TypeORM would).
    ...(shared ? { namingStrategy: feature.namingStrategy } : {}),
    migrationsRun: true,
    synchronize: false,
  };
  if (config.database.type === 'better-sqlite3') {
    return { ...common, type: 'better-sqlite3', database: config.database.file };
  }
  // UTC and utf8mb4 are what the provisioning tables need when they share this connection.
  return { ...common, type: config.database.type, url: config.database.url, timezone: 'Z', charset: 'utf8mb4' };
}
