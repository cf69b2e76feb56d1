import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { resolveDataSourceOptions } from '@nest-scim/persistence';
import { SCIM_PROVISIONING_SCHEMA, ScimProvisioningModule } from '@nest-scim/provisioning';

/** The embedding of the README, with the URL a host's configuration would hold. */
function readmeHost(url: string | undefined) {
  @Module({
    imports: [
      TypeOrmModule.forRootAsync({
        name: 'scim',
        useFactory: async () => ({
          ...(await resolveDataSourceOptions({ url, option: 'SCIM_DATABASE_URL' }, SCIM_PROVISIONING_SCHEMA)),
          name: 'scim',
          migrationsRun: true,
        }),
      }),
      ScimProvisioningModule.forRootAsync({
        dataSource: 'scim',
        useFactory: () => ({ trustedLicensePublicKeys: [] }),
      }),
    ],
  })
  class HostModule {}
  return HostModule;
}

describe('a host embedding the feature as the README shows, with a database URL that cannot work', () => {
  let cwd: string;
  let previous: string;
  beforeEach(() => {
    previous = process.cwd();
    cwd = mkdtempSync(join(tmpdir(), 'scim-host-start-'));
    process.chdir(cwd);
  });
  afterEach(() => {
    process.chdir(previous);
    rmSync(cwd, { recursive: true, force: true });
  });

  it.each([
    ['unset', undefined, /^SCIM_DATABASE_URL is not set: /],
    ['malformed', 'scim-db:3306/scim', /^SCIM_DATABASE_URL must start with mysql:\/\/ or mariadb:\/\//],
    [
      'unreachable',
      'mysql://scim:pw@127.0.0.1:1/scim',
      /^SCIM_DATABASE_URL: cannot use mysql:\/\/scim:\*\*\*@127\.0\.0\.1:1\/scim: no answer/,
    ],
  ])(
    '%s: the start fails within seconds, in one line naming the option, and writes no file',
    async (_c, url, line) => {
      const started = Date.now();
      const failure = NestFactory.create(readmeHost(url), { logger: false, abortOnError: false });
      await expect(failure).rejects.toThrow(line);
      const message = await failure.catch((e: Error) => e.message);
      expect(message).not.toContain('\n');
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(readdirSync(cwd)).toEqual([]);
    },
    15_000,
  );
});
