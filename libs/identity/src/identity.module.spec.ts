import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '@nest-scim/persistence';
import { createScratchDatabase, ScratchDatabase, testDialects } from '@nest-scim/persistence/testing';
import { GroupsService } from './groups.service';
import { IDENTITY_ENTITIES } from './identity.entities';
import { IdentityModule } from './identity.module';
import { UsersService } from './users.service';

@Injectable()
class HostSettings {
  readonly defaultGroup = 'everyone';
}

@Module({ providers: [HostSettings], exports: [HostSettings] })
class HostSettingsModule {}

describe.each(testDialects())('IdentityModule (%s)', (dialect) => {
  let scratch: ScratchDatabase;

  beforeAll(async () => {
    scratch = await createScratchDatabase(dialect);
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it('runs on a named data source of the host, with options from the host', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({
          name: 'accounts',
          ...buildDataSourceOptions(
            { url: scratch.url, sqlitePath: scratch.sqlitePath },
            { entities: IDENTITY_ENTITIES, migrations: () => [] },
          ),
          synchronize: true,
        }),
        IdentityModule.forRootAsync({
          dataSource: 'accounts',
          imports: [HostSettingsModule],
          inject: [HostSettings],
          useFactory: (settings: HostSettings) => ({ defaultGroupName: settings.defaultGroup }),
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const { defaultGroup, administratorsGroup } = await app.get(GroupsService).ensureBuiltIns();
      expect([defaultGroup.name, administratorsGroup.name]).toEqual(['everyone', 'administrators']);
      const user = await app.get(UsersService).create({ login: 'wired', local: true });
      const named = app.get<DataSource>(getDataSourceToken('accounts'));
      const rows = await named.query('SELECT login FROM users');
      expect(rows).toEqual([{ login: user.login }]);
    } finally {
      await app.close();
    }
  });
});
