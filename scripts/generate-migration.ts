import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, Table, TableForeignKey } from 'typeorm';
import type { EntityMetadata } from 'typeorm';
import { buildDataSourceOptions, Dialect, TABLE_PREFIX_PLACEHOLDER, TableCreation } from '@nest-scim/persistence';
import { createScratchDatabase } from '@nest-scim/persistence/testing';
import { AUTH_ENTITIES } from '@nest-scim/auth';
import { IDENTITY_ENTITIES } from '@nest-scim/identity';
import { LICENSE_ENTITIES } from '@nest-scim/license';
import { PROVISIONING_ENTITIES, scimProvisioningSchema } from '@nest-scim/provisioning';
import { SAML_ENTITIES } from '@nest-scim/saml';

/**
 * Writes the migrations of each library's tables under libs/<lib>/src/migrations/<dialect>/, each a
 * `TableSetMigration`: every table created by one statement with its indexes and foreign keys (no SQLite table
 * rebuilds), checked before it is created, and every name written with the table prefix left open.
 *
 *   npm run migration:generate -- <Name>                 the tables and changes the entities still need, after the
 *                                                        existing migrations (an additive migration)
 *   npm run migration:generate -- Initial --initial      replaces every migration of every library by one per
 *                                                        library that creates its tables; the timestamps stay
 *                                                        1795873913924 + the library's rank (--timestamp N)
 *
 * The MySQL pass needs SCIM_TEST_MYSQL_URL or a local MariaDB/MySQL.
 */
const MYSQL = process.env.SCIM_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const LIBS_DIR = join(__dirname, '..', 'libs');

/** Each library owns the migrations of its entities' tables, in the order the libraries are migrated. */
const LIBRARIES = [
  { lib: 'identity', pascal: 'Identity', entities: IDENTITY_ENTITIES },
  { lib: 'auth', pascal: 'Auth', entities: AUTH_ENTITIES },
  { lib: 'license', pascal: 'License', entities: LICENSE_ENTITIES },
  { lib: 'saml', pascal: 'Saml', entities: SAML_ENTITIES },
  { lib: 'provisioning', pascal: 'Provisioning', entities: PROVISIONING_ENTITIES },
] as const;
type Library = (typeof LIBRARIES)[number];

const migrationsDir = (library: Library, dialect?: Dialect) =>
  join(LIBS_DIR, library.lib, 'src', 'migrations', ...(dialect ? [dialect] : []));
/** The timestamp of the initial migration: databases that recorded it under this name are not migrated again. */
const INITIAL_TIMESTAMP = 1795873913924;

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Entities ordered so that each comes after the tables its foreign keys reference. */
function creationOrder(metadatas: readonly EntityMetadata[]): EntityMetadata[] {
  const ordered: EntityMetadata[] = [];
  const visit = (m: EntityMetadata, path: Set<EntityMetadata>) => {
    if (ordered.includes(m)) return;
    if (path.has(m)) throw new Error(`Foreign keys form a cycle through ${m.tableName}`);
    path.add(m);
    for (const fk of m.foreignKeys) if (fk.referencedEntityMetadata !== m) visit(fk.referencedEntityMetadata, path);
    ordered.push(m);
  };
  for (const m of metadatas) visit(m, new Set());
  return ordered;
}

/** The statements that create the entity's table in one go, as TypeORM writes them, indexes and foreign keys inline. */
async function creationOf(ds: DataSource, dialect: Dialect, metadata: EntityMetadata): Promise<TableCreation> {
  const runner = ds.createQueryRunner();
  try {
    runner.enableSqlMemory();
    const table = Table.create(metadata, ds.driver);
    for (const fk of metadata.foreignKeys) table.addForeignKey(TableForeignKey.create(fk, ds.driver));
    runner.clearSqlMemory();
    await runner.createTable(table, false, true, true);
    const statements = runner
      .getMemorySql()
      .upQueries.map((q) => (dialect === 'mysql' ? withBinaryCollation(q.query) : q.query));
    if (dialect === 'mysql' && statements.length !== 1) {
      throw new Error(`${metadata.tableName}: expected one CREATE TABLE on MySQL, got ${statements.length} statements`);
    }
    return {
      table: metadata.tableName.slice(TABLE_PREFIX_PLACEHOLDER.length),
      columns: metadata.columns.map((c) => c.databaseName),
      statements,
    };
  } finally {
    runner.disableSqlMemory();
    await runner.release();
  }
}

async function generate(dialect: Dialect, name: string, timestamp: number, initial: boolean): Promise<void> {
  process.env.SCIM_TEST_MYSQL_URL_RESOLVED = MYSQL;
  const scratch = await createScratchDatabase(dialect);
  const schema = scimProvisioningSchema({ tablePrefix: TABLE_PREFIX_PLACEHOLDER });
  const ds = new DataSource(
    buildDataSourceOptions(
      { url: scratch.url, sqlitePath: scratch.sqlitePath },
      initial ? { ...schema, migrations: () => [] } : schema,
      // MariaDB and MySQL read back what they are given alike for these types; the generated SQL runs on both.
      'mysql',
    ),
  );
  try {
    await ds.initialize();
    if (!initial) await ds.runMigrations({ transaction: 'each' });
    const existing = new Set((await ds.createQueryRunner().getTables()).map((t) => t.name));
    const tables: (TableCreation & { library: Library })[] = [];
    // One after the other: SQLite has a single query runner, whose recorded SQL they would mix.
    for (const m of creationOrder(ds.entityMetadatas)) {
      if (existing.has(m.tableName)) continue;
      const library = LIBRARIES.find((l) => (l.entities as readonly unknown[]).includes(m.target));
      if (!library) throw new Error(`${m.tableName}: its entity is in no library's list`);
      tables.push({ ...(await creationOf(ds, dialect, m)), library });
    }
    const alterations = initial
      ? []
      : (await ds.driver.createSchemaBuilder().log()).upQueries
          .map((q) => q.query)
          .filter((q) => !tables.some((t) => q.includes(TABLE_PREFIX_PLACEHOLDER + t.table)));
    if (tables.length === 0 && alterations.length === 0) {
      console.log(`${dialect}: the schema already matches the entities; nothing written`);
      return;
    }
    if (initial) {
      for (const library of LIBRARIES) {
        const dir = migrationsDir(library, dialect);
        mkdirSync(dir, { recursive: true });
        for (const file of readdirSync(dir)) if (/^\d+-|^index\.ts$/.test(file)) rmSync(join(dir, file));
      }
    }
    for (const [rank, library] of LIBRARIES.entries()) {
      const own = tables.filter((t) => t.library === library);
      const owned = (q: string) =>
        library.entities.some((e) =>
          q.includes(TABLE_PREFIX_PLACEHOLDER + ds.getMetadata(e).tableName.slice(TABLE_PREFIX_PLACEHOLDER.length)),
        );
      const changes = alterations.filter((q) => owned(q));
      if (own.length === 0 && changes.length === 0) continue;
      const stamp = timestamp + rank;
      const className = `${library.pascal}${name}${stamp}`;
      const file = join(migrationsDir(library, dialect), `${stamp}-${library.pascal}${name}.ts`);
      writeMigration(file, className, dialect, own, changes);
      console.log(`${dialect}: wrote ${file}`);
    }
    const unowned = alterations.filter(
      (q) => !LIBRARIES.some((l) => l.entities.some((e) => q.includes(ds.getMetadata(e).tableName))),
    );
    if (unowned.length > 0) throw new Error(`Changes no library owns:\n${unowned.join('\n')}`);
    for (const library of LIBRARIES) writeIndex(library);
    execFileSync(
      process.execPath,
      [require.resolve('prettier/bin/prettier.cjs'), '--write', ...LIBRARIES.map((l) => migrationsDir(l))],
      {
        stdio: 'ignore',
      },
    );
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await scratch.drop();
  }
}

function writeMigration(
  file: string,
  className: string,
  dialect: Dialect,
  tables: TableCreation[],
  alterations: string[],
): void {
  const literal = (s: string) => '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  const tableLines = tables.map(
    (t) =>
      `    {\n      table: '${t.table}',\n      columns: [${t.columns.map((c) => `'${c}'`).join(', ')}],\n` +
      `      statements: [\n${t.statements.map((s) => `        ${literal(s)},`).join('\n')}\n      ],\n    },`,
  );
  writeFileSync(
    file,
    `import { TableCreation, TableSetMigration } from '@nest-scim/persistence';\n\n` +
      `/** Written by \`npm run migration:generate\` (${dialect === 'mysql' ? 'MySQL/MariaDB' : 'SQLite'}); the table prefix stands as ${TABLE_PREFIX_PLACEHOLDER}. */\n` +
      `export class ${className} extends TableSetMigration {\n  readonly name = '${className}';\n\n` +
      `  protected readonly tables: TableCreation[] = [\n${tableLines.join('\n')}\n  ];\n` +
      (alterations.length
        ? `\n  protected readonly alterations = [\n${alterations.map((s) => `    ${literal(s)},`).join('\n')}\n  ];\n`
        : '') +
      `}\n`,
  );
}

/** Rewrites libs/<lib>/src/migrations/index.ts: the migrations of both dialects' folders, oldest first. */
function writeIndex(library: Library): void {
  const constant = `${library.lib.toUpperCase()}_MIGRATIONS`;
  const perDialect = (['sqlite', 'mysql'] as const).map((dialect) => {
    const dir = migrationsDir(library, dialect);
    const files = existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => /^\d+-[A-Za-z0-9]+\.ts$/.test(f))
          .sort()
      : [];
    return files.map((f) => {
      const [stamp, name] = f.replace(/\.ts$/, '').split('-');
      return {
        dialect,
        path: `./${dialect}/${f.replace(/\.ts$/, '')}`,
        className: `${name}${stamp}`,
        alias: `${dialect === 'mysql' ? 'Mysql' : 'Sqlite'}${name}${stamp}`,
      };
    });
  });
  writeFileSync(
    join(migrationsDir(library), 'index.ts'),
    `import type { LibraryMigrations } from '@nest-scim/persistence';\n` +
      perDialect
        .flat()
        .map((m) => `import { ${m.className} as ${m.alias} } from '${m.path}';`)
        .join('\n') +
      `\n\n/** The migrations of the ${library.lib} library's tables, oldest first (written by \`npm run migration:generate\`). */\n` +
      `export const ${constant}: LibraryMigrations = {\n` +
      `  sqlite: [${perDialect[0].map((m) => m.alias).join(', ')}],\n  mysql: [${perDialect[1].map((m) => m.alias).join(', ')}],\n};\n`,
  );
}

/**
 * Tables get a binary collation on MySQL so that comparisons are exact, as they are on SQLite; case-insensitive
 * matching (logins, group names) goes through normalised columns on both.
 */
function withBinaryCollation(query: string): string {
  return /^CREATE TABLE/.test(query)
    ? query.replace(/ENGINE=InnoDB$/, 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin')
    : query;
}

async function main(): Promise<void> {
  const name = process.argv[2];
  const initial = process.argv.includes('--initial');
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    console.error('usage: npm run migration:generate -- <PascalCaseName> [--initial [--timestamp N]]');
    process.exit(2);
  }
  const timestamp = Number(argument('--timestamp') ?? (initial ? INITIAL_TIMESTAMP : Date.now()));
  for (const dialect of ['sqlite', 'mysql'] as const) await generate(dialect, name, timestamp, initial);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
