/**
 * How many SQL statements each Entra request costs: starts the built server once per dialect with LOG_SQL=true and
 * counts the statements it logs for one request of each kind. `npx ts-node -r tsconfig-paths/register
 * --transpile-only scripts/bench/probes/count-queries.ts [sqlite|mysql]`. A diagnostic beside the benchmark, not part of it.
 */
import type { Dialect } from '@nest-scim/persistence';
import { ACTIVITY_SQL_COMMENT } from '@nest-scim/provisioning';
import * as entra from '../workload/entra-shapes';
import { HttpClient } from '../workload/http-client';
import { runForDialects, withSqlLoggedServer } from '../servers/sql-logged-server';

function main(dialect: Dialect): Promise<void> {
  return withSqlLoggedServer(dialect, 'count-queries', async ({ db, origin, statements }) => {
    const client = new HttpClient(origin, '/api/scim/v2', db.token, 1);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
    const count = async (what: string, request: () => Promise<unknown>) => {
      await settle();
      const before = statements().length;
      await request();
      await settle();
      // The activity recorder's background flush writes earlier requests' records after their answers; its
      // statements carry its comment and are not this request's.
      const made = statements()
        .slice(before)
        .filter((s) => !s.includes(`/* ${ACTIVITY_SQL_COMMENT} */`));
      process.stdout.write(`${dialect} ${what}: ${made.length} statements\n`);
      if (process.env.SHOW) for (const s of made) process.stdout.write(`    ${s.slice(0, 160)}\n`);
    };
    const user = entra.SAMPLE_USER;
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
  });
}

runForDialects(main);
