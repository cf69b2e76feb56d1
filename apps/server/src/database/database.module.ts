import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { resolveDataSourceOptions, runMigrationsExclusively } from '@app/persistence';
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
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: async () => ({
            ...(await resolveDataSourceOptions(config.database, SERVER_SCHEMA)),
            migrationsRun: false,
            // Keep trying at start for a little while: a database that comes up a moment after us is not an error.
            retryAttempts: 5,
            retryDelay: 1000,
          }),
          dataSourceFactory: async (options?: DataSourceOptions) => {
            if (!options) throw new Error('The database options are missing');
            const logger = new Logger('Database');
            const dataSource = await new DataSource(options).initialize();
            try {
              await checkReplication(dataSource, (message) => logger.warn(message));
              const applied = await runMigrationsExclusively(dataSource, { log: (message) => logger.log(message) });
              if (applied.length) logger.log(`Applied ${applied.length} migration(s)`);
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
