import { DataSource } from 'typeorm';
import { resolveDataSourceOptions } from '@nest-scim/persistence';
import { createScratchDatabase, testDialects } from '@nest-scim/persistence/testing';
import { SERVER_SCHEMA } from '../../apps/server/src/database/schema';

describe.each(testDialects())('migrations (%s)', (dialect) => {
  it('build exactly the schema the entities describe, and revert to an empty database', async () => {
    const scratch = await createScratchDatabase(dialect);
    const ds = new DataSource(
      await resolveDataSourceOptions({ url: scratch.url, sqlitePath: scratch.sqlitePath }, SERVER_SCHEMA),
    );
    try {
      await ds.initialize();
      const applied = await ds.runMigrations({ transaction: 'each' });
      expect(applied).toHaveLength(ds.migrations.length);
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      const listTables =
        dialect === 'sqlite'
          ? "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
          : 'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()';
      const tables = (await ds.query(listTables))
        .map((r: { t: string }) => r.t)
        .filter((n: string) => n !== 'schema_migrations');
      expect(tables).toEqual([]);
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await scratch.drop();
    }
  });
});
