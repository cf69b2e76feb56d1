import { DynamicModule, Module } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import {
  DEFAULT_DATABASE_TIMEOUTS,
  limitConnectionWaits,
  resolveDataSourceOptions,
  runMigrationsExclusively,
} from '@nest-scim/persistence';
import type { ServerConfig } from '../config/server-config';
import { SERVER_SCHEMA } from './schema';
import { checkReplication } from './replication-check';

/**
 * The server's one connection, with the migrations of its dialect applied before the first request is served. On
 * MySQL/MariaDB the migrations run under a lock that holds across the nodes of a Galera cluster, so instances that
 * start together apply them once, and one that starts during another's migrations waits for them.
 */
@Module({})
export class DatabaseModule {
  static forRoot(config: ServerConfig): DynamicModule {
    // The application's logs are buffered until it has started; a wait for another instance's migrations must be
    // seen while it lasts, so these lines go to the logger itself.
    let logger: Pick<Logger, 'log' | 'warn'> | undefined;
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [Logger],
          useFactory: async (pino: Logger) => {
            logger = pino;
            return {
              ...(await resolveDataSourceOptions(config.database, SERVER_SCHEMA)),
              migrationsRun: false,
              // Keep trying at start for a little while: a database that comes up a moment after us is not an error.
              retryAttempts: 5,
              retryDelay: 1000,
            };
          },
          dataSourceFactory: async (options?: DataSourceOptions) => {
            if (!options) throw new Error('The database options are missing');
            const log = (message: string) => logger?.log(message, 'Database');
            // A request waits for a pooled connection for a bounded time only (mysql2's pool has no such limit).
            const dataSource = limitConnectionWaits(
              await new DataSource(options).initialize(),
              config.database.timeouts.acquireMs ?? DEFAULT_DATABASE_TIMEOUTS.acquireMs,
            );
            try {
              await checkReplication(dataSource, (message) => logger?.warn(message, 'Database'));
              const applied = await runMigrationsExclusively(dataSource, { log });
              if (applied.length) log(`Applied ${applied.length} migration(s)`);
              return dataSource;
            } catch (error) {
              await dataSource.destroy();
              throw error;
            }
          },
        }),
      ],
    };
  }
}
