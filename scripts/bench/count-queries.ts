/**
 * How many SQL statements each Entra request costs: starts the built server once per dialect with LOG_SQL=true and
 * counts the statements it logs for one request of each kind. `npx ts-node -r tsconfig-paths/register
 * --transpile-only scripts/bench/count-queries.ts [sqlite|mysql]`. A diagnostic beside the benchmark, not part of it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { SERVER_MAIN } from './built-server';
import * as entra from './entra-shapes';
import { HttpClient } from './http-client';
import { ServerProcess } from './processes';
import { prepareDatabase } from './server-setup';

const STATEMENT = /^query: /;

async function main(dialect: 'sqlite' | 'mysql'): Promise<void> {
  const db = await prepareDatabase(dialect, { mysqlUrl: 'mysql://root@127.0.0.1:3306', logLevel: 'info' });
  const logFile = join(tmpdir(), `scim-count-queries-${dialect}.log`);
  try {
    const server = await ServerProcess.start({
      name: 'server',
      args: [SERVER_MAIN],
      env: { ...db.env, LOG_SQL: 'true' },
      logFile,
      readyPath: '/api/system/health',
    });
    const client = new HttpClient(`http://127.0.0.1:${server.port}`, '/api/scim/v2', db.token, 1);
    const statements = () =>
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => STATEMENT.test(line) || line.includes('"query: '));
    const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
    const count = async (what: string, request: () => Promise<unknown>) => {
      await settle();
      const before = statements().length;
      await request();
      await settle();
      const made = statements().slice(before);
      process.stdout.write(`${dialect} ${what}: ${made.length} statements\n`);
      if (process.env.SHOW) for (const s of made) process.stdout.write(`    ${s.slice(0, 160)}\n`);
    };
    const user: entra.UserState = {
      userName: 'Adele.Vance@contoso.example',
      externalId: 'adele',
      displayName: 'Adele Vance',
      givenName: 'Adele',
      familyName: 'Vance',
      email: 'adele@contoso.example',
      employeeNumber: '1',
      department: 'Sales',
      active: true,
    };
    const other = { ...user, userName: 'Alex.Wilber@contoso.example', email: 'alex@contoso.example' };
    let id = '';
    let otherId = '';
    let groupId = '';
    await client.request('GET', entra.userNameQuery('warm-up'));
    await count('userName eq (no match)', () => client.request('GET', entra.userNameQuery(user.userName)));
    await count('create user', async () => {
      id = (await client.request('POST', '/Users', entra.createUserBody(user))).body.id;
    });
    otherId = (await client.request('POST', '/Users', entra.createUserBody(other))).body.id;
    await count('userName eq (match)', () => client.request('GET', entra.userNameQuery(user.userName)));
    await count('create group', async () => {
      groupId = (await client.request('POST', '/Groups', entra.createGroupBody('Sales', 'g'))).body.id;
    });
    await count('add 2 members', () =>
      client.request('PATCH', `/Groups/${groupId}`, entra.patchBody(entra.addMembers([id, otherId]))),
    );
    await count('remove 1 member', () =>
      client.request('PATCH', `/Groups/${groupId}`, entra.patchBody(entra.removeMembersByValue([otherId]))),
    );
    await count('replace 6 attributes', () =>
      client.request(
        'PATCH',
        `/Users/${id}`,
        entra.patchBody(entra.replaceAttributesDefault({ ...user, displayName: 'A V' })),
      ),
    );
    await count('deactivate ("False")', () =>
      client.request('PATCH', `/Users/${id}`, entra.patchBody(entra.deactivate('default'))),
    );
    await count('GET group excludedAttributes=members', () =>
      client.request('GET', `/Groups/${groupId}?excludedAttributes=members`),
    );
    client.close();
    await server.stop();
  } finally {
    await db.drop();
  }
}

const dialects = process.argv[2] ? [process.argv[2] as 'sqlite' | 'mysql'] : (['sqlite', 'mysql'] as const);
(async () => {
  for (const dialect of dialects) await main(dialect);
})().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
