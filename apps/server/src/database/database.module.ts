import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DEFAULT_DATABASE_TIMEOUTS, limitConnectionWaits, resolveDataSourceOptions } from '@app/persistence';
import type { ServerConfig } from '../config/server-config';
import { SERVER_SCHEMA } from './schema';

/** The server's one connection, with the migrations of its dialect applied before the first request is served. */
@Module({})
export class DatabaseModule {
  static forRoot(config: ServerConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: async () => ({
            ...(await resolveDataSourceOptions(config.database, SERVER_SCHEMA)),
            migrationsRun: true,
            migrationsTransactionMode: 'each' as const,
            // Keep trying at start for a little while: a database that comes up a moment after us is not an error.
            retryAttempts: 5,
            retryDelay: 1000,
          }),
          // A request waits for a pooled connection for a bounded time only (mysql2's pool has no such limit).
          dataSourceFactory: async (options) =>
            limitConnectionWaits(
              await new DataSource(options!).initialize(),
              config.database.timeouts.acquireMs ?? DEFAULT_DATABASE_TIMEOUTS.acquireMs,
            ),
        }),
      ],
    };
  }
}
