import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource, QueryRunner } from 'typeorm';
import { identitySchema } from '@nest-scim/identity';
import { licenseSchema } from '@nest-scim/license';
import { makeLicenseKeyPair, signLicense } from '@nest-scim/license/testing';
import { buildDataSourceOptions, resolveDataSourceOptions, TableShapeError } from '@nest-scim/persistence';
import { createScratchDatabase, ScratchDatabase, testDialects } from '@nest-scim/persistence/testing';
import {
  SCIM_PROVISIONING_SCHEMA,
  scimProvisioningSchema,
  ScimProvisioningModule,
  ScimSetup,
} from '@nest-scim/provisioning';
import { startScimServer } from '../support/scim-harness';
import { Exchange, runEntraStory } from '../host-app/support/entra-story';

const PREFIX = 'acme_';
const vendor = makeLicenseKeyPair();

/** A host's own tables with the names the feature uses unprefixed, of other shapes, and their rows. */
async function createHostTables(ds: DataSource): Promise<void> {
  const q = (name: string) => ds.driver.escape(name);
  await ds.query(`CREATE TABLE ${q('users')} (id INTEGER NOT NULL PRIMARY KEY, email VARCHAR(100) NOT NULL)`);
  await ds.query(`CREATE TABLE ${q('groups')} (id INTEGER NOT NULL PRIMARY KEY, title VARCHAR(100) NOT NULL)`);
  await ds.query(
    `CREATE TABLE ${q('user_groups')} (user_id INTEGER NOT NULL, group_id INTEGER NOT NULL, PRIMARY KEY (user_id, group_id))`,
  );
  // An index of the host with a name the feature gives one of its own (SQLite's index names are per database).
  await ds.query(`CREATE UNIQUE INDEX ${q('uq_users_login_normalized')} ON ${q('users')} (email)`);
  await ds.query(`INSERT INTO ${q('users')} VALUES (1, 'ada@host.example'), (2, 'grace@host.example')`);
  await ds.query(`INSERT INTO ${q('groups')} VALUES (10, 'Staff')`);
  await ds.query(`INSERT INTO ${q('user_groups')} VALUES (1, 10), (2, 10)`);
}

async function hostRows(ds: DataSource): Promise<unknown> {
  const q = (name: string) => ds.driver.escape(name);
  return {
    users: await ds.query(`SELECT id, email FROM ${q('users')} ORDER BY id`),
    groups: await ds.query(`SELECT id, title FROM ${q('groups')} ORDER BY id`),
    userGroups: await ds.query(`SELECT user_id, group_id FROM ${q('user_groups')} ORDER BY user_id`),
  };
}

async function tableNames(ds: DataSource): Promise<string[]> {
  const sql =
    ds.options.type === 'better-sqlite3'
      ? "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : 'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()';
  return ((await ds.query(sql)) as { t: string }[]).map((r) => r.t).sort();
}

/** A host with the feature on its default connection, under the prefix, migrated at start. */
async function bootHost(db: ScratchDatabase): Promise<INestApplication> {
  @Module({
    imports: [
      TypeOrmModule.forRootAsync({
        useFactory: async () => ({
          ...(await resolveDataSourceOptions(
            { url: db.url, sqlitePath: db.sqlitePath },
            scimProvisioningSchema({ tablePrefix: PREFIX }),
          )),
          migrationsRun: true,
        }),
      }),
      ScimProvisioningModule.forRootAsync({ useFactory: () => ({ trustedLicensePublicKeys: [vendor.publicKey] }) }),
    ],
  })
  class PrefixedHost {}
  const app = (await Test.createTestingModule({ imports: [PrefixedHost] }).compile()).createNestApplication({
    logger: false,
  });
  await app.init();
  return app;
}

async function entraToken(app: INestApplication): Promise<string> {
  const setup = app.get(ScimSetup);
  await setup.ensureAdminAccount({ password: 'Admin-password-1234' });
  await setup.installLicense(
    signLicense(vendor.privateKey, {
      licensee: 'Acme',
      edition: 'enterprise',
      features: ['scim'],
      expiresAt: '2099-12-31',
    }),
  );
  await setup.enableScim();
  return (await setup.createEntraToken({ name: 'entra' })).token;
}

describe.each(testDialects())('the feature under a table prefix, beside tables of the same names (%s)', (dialect) => {
  let reference: Exchange[];
  let db: ScratchDatabase;
  let app: INestApplication;
  let dataSource: DataSource;
  let before: unknown;

  beforeAll(async () => {
    const server = await startScimServer(dialect);
    try {
      reference = await runEntraStory(() => server.http(), server.token);
    } finally {
      await server.close();
    }
    db = await createScratchDatabase(dialect);
    const raw = new DataSource(
      buildDataSourceOptions({ url: db.url, sqlitePath: db.sqlitePath }, { entities: [], migrations: () => [] }),
    );
    await raw.initialize();
    await createHostTables(raw);
    before = await hostRows(raw);
    await raw.destroy();
    app = await bootHost(db);
    dataSource = app.get<DataSource>(getDataSourceToken());
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers the Entra sequence exactly as apps/server does, and leaves the host rows as they were', async () => {
    const token = await entraToken(app);
    const transcript = await runEntraStory(() => request(app.getHttpServer()), token);
    expect(transcript.map((e) => e.step)).toEqual(reference.map((e) => e.step));
    for (let i = 0; i < reference.length; i++) expect(transcript[i]).toEqual(reference[i]);
    expect(await hostRows(dataSource)).toEqual(before);
  });

  it('names every table, index and foreign key of its own with the prefix, its migrations table too', async () => {
    const own = (await tableNames(dataSource)).filter((t) => !['users', 'groups', 'user_groups'].includes(t));
    expect(own.length).toBe((SCIM_PROVISIONING_SCHEMA.entities as unknown[]).length + 1);
    expect(own.filter((t) => !t.startsWith(PREFIX))).toEqual([]);
    expect(own).toContain(`${PREFIX}schema_migrations`);
    const runner = dataSource.createQueryRunner();
    const names: string[] = [];
    try {
      for (const table of await runner.getTables(own.filter((t) => t !== `${PREFIX}schema_migrations`))) {
        names.push(...table.indices.map((i) => i.name!), ...table.foreignKeys.map((f) => f.name!));
      }
    } finally {
      await runner.release();
    }
    // 28 named indexes (unique ones included) and the foreign keys of memberships, permissions, passwords and tokens.
    expect(names.length).toBeGreaterThanOrEqual(30);
    expect(names.filter((n) => !n.startsWith(PREFIX))).toEqual([]);
    // The migrations made exactly what the metadata (with the prefix) describes.
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });

  it('refuses to migrate unprefixed into a table of another shape, naming it, and creates nothing', async () => {
    const other = await createScratchDatabase(dialect);
    const ds = new DataSource(
      buildDataSourceOptions({ url: other.url, sqlitePath: other.sqlitePath }, SCIM_PROVISIONING_SCHEMA),
    );
    try {
      await ds.initialize();
      await createHostTables(ds);
      await expect(ds.runMigrations({ transaction: 'each' })).rejects.toThrow(TableShapeError);
      await expect(ds.runMigrations({ transaction: 'each' })).rejects.toThrow(
        /^Table user_groups already exists with other columns \(group_id, user_id\); give the feature a table prefix/,
      );
      expect((await tableNames(ds)).filter((t) => t !== 'schema_migrations')).toEqual([
        'groups',
        'user_groups',
        'users',
      ]);
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await other.drop();
    }
  });

  it('finishes a first migration that was cut off half way on the next start, and then works', async () => {
    const other = await createScratchDatabase(dialect);
    const options = buildDataSourceOptions(
      { url: other.url, sqlitePath: other.sqlitePath },
      scimProvisioningSchema({ tablePrefix: PREFIX }),
    );
    const ds = new DataSource(options);
    let restarted: INestApplication | undefined;
    try {
      await ds.initialize();
      // The connection dies after the third table: MySQL keeps what it created (its DDL does not roll back).
      const runner: QueryRunner = ds.createQueryRunner();
      const query = runner.query.bind(runner);
      let creates = 0;
      runner.query = ((sql: string, ...rest: unknown[]) => {
        if (/^CREATE TABLE/.test(sql) && ++creates > 3) return Promise.reject(new Error('connection lost'));
        return (query as (...a: unknown[]) => Promise<unknown>)(sql, ...rest);
      }) as QueryRunner['query'];
      await expect(ds.migrations[0].up(runner)).rejects.toThrow('connection lost');
      await runner.release();
      expect((await tableNames(ds)).length).toBe(3);
      await ds.destroy();

      restarted = await bootHost(other);
      const token = await entraToken(restarted);
      await request(restarted.getHttpServer())
        .post('/api/scim/v2/Users')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/scim+json')
        .send(JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@contoso.com' }))
        .expect(201);
      const source = restarted.get<DataSource>(getDataSourceToken());
      expect((await source.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    } finally {
      await restarted?.close();
      if (ds.isInitialized) await ds.destroy();
      await other.drop();
    }
  });
});

describe.each(testDialects())('each library migrates its own tables (%s)', (dialect) => {
  it.each([
    ['license', licenseSchema, ['installed_license']],
    ['identity', identitySchema, ['group_members', 'group_permissions', 'user_groups', 'user_permissions', 'users']],
  ] as const)(
    'a host adopting only %s gets only its tables, and exactly what its entities describe',
    async (_l, schema, tables) => {
      const db = await createScratchDatabase(dialect);
      const ds = new DataSource(
        await resolveDataSourceOptions({ url: db.url, sqlitePath: db.sqlitePath }, schema({ tablePrefix: 'app_' })),
      );
      try {
        await ds.initialize();
        await ds.runMigrations({ transaction: 'each' });
        expect(await tableNames(ds)).toEqual([...tables.map((t) => `app_${t}`), 'app_schema_migrations'].sort());
        expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
      } finally {
        if (ds.isInitialized) await ds.destroy();
        await db.drop();
      }
    },
  );
});
