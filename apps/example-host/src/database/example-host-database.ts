import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { detectMysqlFlavour } from '@nest-scim/persistence';
import { Person } from '../people/person.entity';
import { Team } from '../teams/team.entity';
import { TeamMember } from '../teams/team-member.entity';
import type { ExampleHostDatabase } from '../config/example-host-config';
import { CreatePeopleAndTeams1767225600000 as MysqlPeopleAndTeams } from './migrations/mysql/1767225600000-CreatePeopleAndTeams';
import { CreatePeopleAndTeams1767225600000 as SqlitePeopleAndTeams } from './migrations/sqlite/1767225600000-CreatePeopleAndTeams';

export const EXAMPLE_HOST_ENTITIES = [Person, Team, TeamMember];
export const EXAMPLE_HOST_MIGRATIONS_TABLE = 'host_migrations';

/**
 * The product's one connection: its own entities and migrations, its own migrations table, applied at start. The
 * SQLite file runs in WAL mode with foreign keys on, so removing a person or a team removes their memberships.
 */
export async function exampleHostDataSourceOptions(database: ExampleHostDatabase): Promise<DataSourceOptions> {
  const common = {
    entities: EXAMPLE_HOST_ENTITIES,
    migrationsTableName: EXAMPLE_HOST_MIGRATIONS_TABLE,
    migrationsRun: true,
    synchronize: false,
  };
  if (database.url) {
    return {
      ...common,
      migrations: [MysqlPeopleAndTeams],
      type: await detectMysqlFlavour(database.url),
      url: database.url,
      timezone: 'Z',
      charset: 'utf8mb4',
    };
  }
  const file = resolve(database.sqlitePath);
  mkdirSync(dirname(file), { recursive: true });
  return {
    ...common,
    migrations: [SqlitePeopleAndTeams],
    type: 'better-sqlite3',
    database: file,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  };
}
