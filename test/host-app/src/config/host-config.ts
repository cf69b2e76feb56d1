import { DynamicModule, Module } from '@nestjs/common';
import type { DatabaseSettings } from '@nest-scim/persistence';

/** The host's own database: SQLite file or a MySQL/MariaDB URL, described its own way. */
export type HostDatabase = { type: 'better-sqlite3'; file: string } | { type: 'mysql' | 'mariadb'; url: string };

/**
 * Where the embedded provisioning feature keeps its tables: on a named connection of its own (here a database of its
 * own), or on the host's default connection beside the host's tables.
 */
export type ProvisioningStorage = { connection: 'named'; database: DatabaseSettings } | { connection: 'shared' };

export interface HostConfig {
  database: HostDatabase;
  provisioning: ProvisioningStorage;
  /** API keys of the host's own clients, by key. */
  apiKeys: Record<string, string>;
  licensePublicKeys: string[];
  clock: () => Date;
}

export const HOST_CONFIG = Symbol('HOST_CONFIG');
export const PROVISIONING_CONNECTION = 'provisioning';

@Module({})
export class HostConfigModule {
  static forRoot(config: HostConfig): DynamicModule {
    return {
      module: HostConfigModule,
      global: true,
      providers: [{ provide: HOST_CONFIG, useValue: config }],
      exports: [HOST_CONFIG],
    };
  }
}
