import { join } from 'node:path';
import { ExampleHostConfigError, loadExampleHostConfig } from './example-host-config';

const KEY =
  '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadExampleHostConfig(env);
  } catch (error) {
    if (error instanceof ExampleHostConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('the example host’s configuration', () => {
  it('defaults to port 9100 and the SQLite file host.sqlite in the data folder', () => {
    expect(loadExampleHostConfig({})).toEqual({
      port: 9100,
      host: '0.0.0.0',
      dataDir: 'data',
      database: { url: undefined, sqlitePath: join('data', 'host.sqlite') },
      publicUrl: undefined,
      licensePublicKeys: [],
      licenseKey: undefined,
      sessionSecret: undefined,
    });
    expect(loadExampleHostConfig({ DATA_DIR: '/var/lib/example' }).database.sqlitePath).toBe(
      '/var/lib/example/host.sqlite',
    );
  });

  it('honours PORT, DATABASE_URL, PUBLIC_URL and the license variables', () => {
    const config = loadExampleHostConfig({
      PORT: '8123',
      DATABASE_URL: 'mysql://root@127.0.0.1:3306/example',
      PUBLIC_URL: 'https://example.test',
      LICENSE_PUBLIC_KEYS: `${KEY}\n\n${KEY}`,
      LICENSE_KEY: ' key \n',
    });
    expect(config).toMatchObject({
      port: 8123,
      database: { url: 'mysql://root@127.0.0.1:3306/example' },
      publicUrl: 'https://example.test',
      licensePublicKeys: [KEY, KEY],
      licenseKey: 'key',
    });
  });

  it('refuses a wrong value with a message naming the variable', () => {
    expect(problems({ PORT: 'eighty' })).toEqual(['PORT must be an integer between 1 and 65535']);
    expect(problems({ PORT: '70000' })).toEqual(['PORT must be an integer between 1 and 65535']);
    expect(problems({ DATABASE_URL: 'postgres://x/y' })[0]).toMatch(/^DATABASE_URL must be a MySQL\/MariaDB URL/);
    expect(problems({ PUBLIC_URL: 'https://example.test/' })[0]).toMatch(/^PUBLIC_URL/);
    expect(problems({ LICENSE_PUBLIC_KEYS: 'not a key' })[0]).toMatch(/^LICENSE_PUBLIC_KEYS/);
    expect(problems({ SESSION_SECRET: 'short' })).toEqual(['SESSION_SECRET must be at least 32 characters long']);
  });
});
