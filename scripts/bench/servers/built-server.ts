import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The server's modules as built in dist/. The benchmark prepares and seeds the database with the very code the
 * measured server process runs (its entities, migrations and services), never with sources that may have moved on
 * since the build. Types come from the sources; values from the build.
 */
export const ROOT = resolve(__dirname, '../../..');
const DIST = join(ROOT, 'dist/apps/server');
export const SERVER_MAIN = join(DIST, 'apps/server/src/main.js');

/**
 * The Node.js options the server is started with in production: those of `npm run start:prod` (package.json), read
 * from there so that the benchmark measures the server as it is run, not as `node main.js` alone would run it.
 */
export function productionNodeOptions(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = pkg.scripts['start:prod'].split(/\s+/);
  const node = words.indexOf('node');
  if (node < 0) throw new Error(`start:prod does not start node: ${pkg.scripts['start:prod']}`);
  const options: string[] = [];
  for (const word of words.slice(node + 1)) {
    if (!word.startsWith('--')) break;
    options.push(word);
  }
  return options;
}

/** `node` arguments that start the built server as `npm run start:prod` does. */
export const SERVER_ARGS = [...productionNodeOptions(), SERVER_MAIN];

function load<T>(relative: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('reflect-metadata');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(DIST, relative)) as T;
}

export const built = {
  auth: () => load<typeof import('@nest-scim/auth')>('libs/auth/src'),
  identity: () => load<typeof import('@nest-scim/identity')>('libs/identity/src'),
  license: () => load<typeof import('@nest-scim/license')>('libs/license/src'),
  licenseSigning: () => load<typeof import('@nest-scim/license/signing')>('libs/license/src/signing'),
  persistence: () => load<typeof import('@nest-scim/persistence')>('libs/persistence/src'),
  provisioning: () => load<typeof import('@nest-scim/provisioning')>('libs/provisioning/src'),
  userMapping: () =>
    load<typeof import('@nest-scim/provisioning/scim-user.mapping')>('libs/provisioning/src/scim-user.mapping'),
  saml: () => load<typeof import('@nest-scim/saml')>('libs/saml/src'),
  samlSamples: () => load<typeof import('@nest-scim/saml/samples')>('libs/saml/src/samples'),
  scim: () => load<typeof import('@nest-scim/scim')>('libs/scim/src'),
  entraReady: () => load<typeof import('../../../apps/server/src/entra-ready')>('apps/server/src/entra-ready'),
  appModule: () => load<typeof import('../../../apps/server/src/app.module')>('apps/server/src/app.module'),
  serverConfig: () =>
    load<typeof import('../../../apps/server/src/config/server-config')>('apps/server/src/config/server-config'),
  schema: () => load<typeof import('../../../apps/server/src/database/schema')>('apps/server/src/database/schema'),
};
