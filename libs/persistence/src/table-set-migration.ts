import type { MigrationInterface, NamingStrategyInterface, QueryRunner } from 'typeorm';
import type { SchemaParts } from './data-source-options';
import type { Dialect } from './dialect';
import { checkTablePrefix, tableNaming } from './table-naming';

/** Stands for the table prefix in the statements of a generated migration. */
export const TABLE_PREFIX_PLACEHOLDER = 'pfx_placeholder_';

/** One table of a migration: the statements that create it (indexes and foreign keys included) and its columns. */
export interface TableCreation {
  table: string;
  columns: readonly string[];
  statements: readonly string[];
}

/** A table that exists under the name a migration would create, with other columns: the prefix is needed. */
export class TableShapeError extends Error {
  override readonly name = 'TableShapeError';
}

/**
 * A migration that creates a set of tables, written by `scripts/generate-migration.ts` with the table prefix left
 * open. It never leaves a half state, even on MySQL, whose DDL does not roll back: each table is created by one
 * statement (its indexes and foreign keys inline), and all are checked before any is created: a table that is already
 * there with exactly these columns is kept (an earlier run stopped after it, or an older migration made it), one with
 * other columns stops the migration before anything is written, naming it. Starting again after an interrupted run
 * therefore finishes the work. `down` drops the tables, newest first.
 */
export abstract class TableSetMigration implements MigrationInterface {
  abstract readonly name: string;
  protected abstract readonly tables: readonly TableCreation[];
  /** Changes to existing tables, after the creations (an additive migration); run as they are, once. */
  protected readonly alterations: readonly string[] = [];

  constructor(readonly prefix = '') {
    checkTablePrefix(prefix);
  }

  async up(queryRunner: QueryRunner): Promise<void> {
    // First every check, then every creation: a clash is found before anything is written.
    const missing: TableCreation[] = [];
    for (const creation of this.tables) {
      const table = this.prefix + creation.table;
      const existing = await queryRunner.getTable(table);
      if (!existing) {
        missing.push(creation);
        continue;
      }
      const columns = existing.columns.map((c) => c.name).sort();
      const expected = [...creation.columns].sort();
      if (columns.join() !== expected.join()) {
        throw new TableShapeError(
          `Table ${table} already exists with other columns (${columns.join(', ')}); ` +
            'give the feature a table prefix (tablePrefix) or a database of its own',
        );
      }
    }
    for (const creation of missing) {
      for (const statement of creation.statements) await queryRunner.query(this.named(statement));
    }
    for (const statement of this.alterations) await queryRunner.query(this.named(statement));
  }

  private named(statement: string): string {
    return statement.split(TABLE_PREFIX_PLACEHOLDER).join(this.prefix);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (this.alterations.length > 0) throw new Error(`${this.name} changes existing tables and cannot be reverted`);
    for (const creation of [...this.tables].reverse()) {
      await queryRunner.query(
        `DROP TABLE IF EXISTS ${queryRunner.connection.driver.escape(this.prefix + creation.table)}`,
      );
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type MigrationClass = Function & { prototype: object };

/**
 * The migrations, bound to a table prefix: TypeORM instantiates a migration class without arguments, so each is
 * subclassed with the prefix fixed. Without a prefix, the classes as they are.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function withTablePrefix(migrations: readonly MigrationClass[], prefix: string): Function[] {
  checkTablePrefix(prefix);
  if (prefix === '') return [...migrations];
  const unprefixable = migrations.filter((m) => !(m.prototype instanceof TableSetMigration)).map((m) => m.name);
  if (unprefixable.length > 0) {
    throw new Error(`Migrations ${unprefixable.join(', ')} cannot take a table prefix: regenerate them`);
  }
  return migrations.map(
    (Migration) =>
      class extends (Migration as new (prefix?: string) => MigrationInterface) {
        constructor() {
          super(prefix);
        }
      },
  );
}

/** The migrations a library keeps for its own tables, per dialect, oldest first. */
export interface LibraryMigrations {
  sqlite: readonly MigrationClass[];
  mysql: readonly MigrationClass[];
}

/** A library's part of a schema: its entities and the migrations that create their tables. */
export interface LibrarySchema {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: readonly Function[];
  migrations: LibraryMigrations;
}

export interface SchemaOptions {
  /**
   * Put before the name of every table, index and constraint of these libraries, and of their migrations table
   * (`<prefix>schema_migrations`): lower case, up to 20 characters, e.g. `scim_`. None when unset.
   */
  tablePrefix?: string;
  /** The naming strategy of your own entities, when they share the connection and you have one. */
  baseNamingStrategy?: NamingStrategyInterface;
}

/**
 * The schema of one or more libraries (each listed after those its tables reference): their entities, their
 * migrations in that order, the naming strategy that applies the prefix to their names only, and their migrations
 * table.
 */
export function composeSchema(libraries: readonly LibrarySchema[], options: SchemaOptions = {}): Required<SchemaParts> {
  const prefix = options.tablePrefix ?? '';
  const entities = libraries.flatMap((l) => l.entities);
  return {
    entities,
    migrations: (dialect: Dialect) =>
      withTablePrefix(
        libraries.flatMap((l) => l.migrations[dialect]),
        prefix,
      ),
    namingStrategy: tableNaming(prefix, entities, options.baseNamingStrategy),
    migrationsTableName: `${prefix}schema_migrations`,
  };
}
