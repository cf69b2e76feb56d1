import 'reflect-metadata';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { resolveDataSourceOptions, Dialect } from '@nest-scim/persistence';
import { createScratchDatabase } from '@nest-scim/persistence/testing';
import { SERVER_SCHEMA } from '../apps/server/src/database/schema';

/**
 * `npm run migration:generate -- <Name>`: for each dialect, applies the existing migrations to a scratch database,
 * asks TypeORM what the entities still need, and writes that as a new migration under
 * libs/provisioning/src/migrations/<dialect>/. The MySQL pass needs SCIM_TEST_MYSQL_URL or a local MariaDB.
 */
const MYSQL = process.env.SCIM_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

async function generate(dialect: Dialect, name: string, timestamp: number): Promise<void> {
  process.env.SCIM_TEST_MYSQL_URL_RESOLVED = MYSQL;
  const scratch = await createScratchDatabase(dialect);
  const ds = new DataSource(
    await resolveDataSourceOptions({ url: scratch.url, sqlitePath: scratch.sqlitePath }, SERVER_SCHEMA),
  );
  try {
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    const sql = await ds.driver.createSchemaBuilder().log();
    if (sql.upQueries.length === 0) {
      console.log(`${dialect}: the schema already matches the entities; nothing written`);
      return;
    }
    const className = `${name}${timestamp}`;
    const q = (s: string) => '`' + s.replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
    const up = sql.upQueries.map(
      (x) => `    await queryRunner.query(${q(dialect === 'mysql' ? withBinaryCollation(x.query) : x.query)});`,
    );
    const down = sql.downQueries.reverse().map((x) => `    await queryRunner.query(${q(x.query)});`);
    const file = join(__dirname, '..', 'libs/provisioning/src/migrations', dialect, `${timestamp}-${name}.ts`);
    writeFileSync(
      file,
      `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${up.join('\n')}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${down.join('\n')}\n  }\n}\n`,
    );
    writeIndex(dialect);
    console.log(`${dialect}: wrote ${file}`);
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await scratch.drop();
  }
}

/** Rewrites migrations/<dialect>/index.ts: every migration of the folder, oldest first. */
function writeIndex(dialect: Dialect): void {
  const dir = join(__dirname, '..', 'libs/provisioning/src/migrations', dialect);
  const files = readdirSync(dir)
    .filter((f) => /^\d+-[A-Za-z0-9]+\.ts$/.test(f))
    .sort();
  const classes = files.map((f) => {
    const [timestamp, name] = f.replace(/\.ts$/, '').split('-');
    return { file: f.replace(/\.ts$/, ''), className: `${name}${timestamp}` };
  });
  const constant = dialect === 'mysql' ? 'MYSQL_MIGRATIONS' : 'SQLITE_MIGRATIONS';
  writeFileSync(
    join(dir, 'index.ts'),
    `${classes.map((c) => `import { ${c.className} } from './${c.file}';`).join('\n')}\n\n` +
      `/** ${dialect === 'mysql' ? 'MySQL/MariaDB' : 'SQLite'} migrations, oldest first (written by \`npm run migration:generate\`). */\n` +
      `export const ${constant} = [${classes.map((c) => c.className).join(', ')}];\n`,
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
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    console.error('usage: npm run migration:generate -- <PascalCaseName>');
    process.exit(2);
  }
  const timestamp = Date.now();
  for (const dialect of ['sqlite', 'mysql'] as const) await generate(dialect, name, timestamp);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
