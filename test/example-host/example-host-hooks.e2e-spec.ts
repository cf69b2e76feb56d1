import type { EntityManager } from 'typeorm';
import type { Response, Test } from 'supertest';
import { testDialects } from '@nest-scim/persistence/testing';
import {
  ScimCreatedEvent,
  ScimDirectoryError,
  ScimMemberEvent,
  ScimProvisioningHooks,
  ScimRenamedEvent,
  ScimUserStateEvent,
} from '@nest-scim/provisioning';
import { ExampleHostTestApp, startExampleHost } from './support/example-host-harness';

const B = '/api/scim/v2';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** Any name holding this makes the probe refuse, after the product's rows were written in the transaction. */
const REFUSE = 'refuse-me';

/** What the hooks saw of the product's own tables, through the request's EntityManager, while the request ran. */
const seen: { event: string; name: string; inTransaction: unknown }[] = [];

async function personLogin(m: EntityManager, id: string): Promise<unknown> {
  const rows: { login: string }[] = await m.query('SELECT login FROM people WHERE id = ?', [Number(id)]);
  return rows[0]?.login;
}

/** A product that keeps more records of a person would write here; this one looks, and refuses on cue. */
class ProbeHooks implements ScimProvisioningHooks {
  async created(m: EntityManager, event: ScimCreatedEvent): Promise<void> {
    if (event.resourceType !== 'Group' || !event.group.displayName.includes(REFUSE)) return;
    const rows: unknown[] = await m.query('SELECT name FROM teams WHERE id = ?', [Number(event.group.id)]);
    seen.push({ event: 'created', name: event.group.displayName, inTransaction: rows.length });
    throw new ScimDirectoryError('refused', 'Teams cannot be named so in this product');
  }

  async renamed(m: EntityManager, event: ScimRenamedEvent): Promise<void> {
    if (event.resourceType !== 'User') return;
    seen.push({ event: 'renamed', name: event.to, inTransaction: await personLogin(m, event.user.id) });
    if (event.to.includes(REFUSE)) throw new Error('the product’s own records refused the rename');
  }

  async deactivated(m: EntityManager, event: ScimUserStateEvent): Promise<void> {
    if (!event.user.userName.includes(REFUSE)) return;
    const rows: { active: unknown }[] = await m.query('SELECT active FROM people WHERE id = ?', [
      Number(event.user.id),
    ]);
    seen.push({ event: 'deactivated', name: event.user.userName, inTransaction: Number(rows[0].active) });
    throw new Error('refused');
  }

  memberAdded(_m: EntityManager, event: ScimMemberEvent): void {
    if (event.group.displayName.includes(REFUSE)) throw new Error('refused');
  }
}

describe.each(testDialects())('apps/example-host: hooks inside the SCIM transaction (%s)', (dialect) => {
  let h: ExampleHostTestApp;
  let token: string;
  beforeAll(async () => {
    h = await startExampleHost(dialect, { scimHooks: [ProbeHooks] });
    token = (await h.setUpEntra()).token;
  });
  afterAll(() => h?.close());
  beforeEach(() => {
    seen.length = 0;
  });

  const send = (t: Test, body?: unknown): Promise<Response> => {
    const authed = t.set('Authorization', `Bearer ${token}`);
    return body === undefined ? authed : authed.set('Content-Type', 'application/scim+json').send(JSON.stringify(body));
  };
  const patch = (path: string, operations: unknown[]) =>
    send(h.http().patch(`${B}${path}`), { schemas: [PATCH_OP], Operations: operations });
  const createUser = async (userName: string) =>
    (await send(h.http().post(`${B}/Users`), { schemas: [USER], userName })).body.id as string;
  const count = async (table: string) => Number((await h.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const logins = async () =>
    (await h.dataSource.query('SELECT login FROM people ORDER BY id')).map((r: { login: string }) => r.login);

  it('renames people.login in the SCIM request’s transaction: a hook reads the new login through it', async () => {
    const id = await createUser('dana@contoso.com');
    const renamed = await patch(`/Users/${id}`, [{ op: 'Replace', path: 'userName', value: 'dana.r@contoso.com' }]);
    expect(renamed.status).toBe(200);
    expect(seen).toEqual([{ event: 'renamed', name: 'dana.r@contoso.com', inTransaction: 'dana.r@contoso.com' }]);
    expect(await logins()).toContain('dana.r@contoso.com');
  });

  it('rolls a rename back entirely when a hook throws after people.login was written', async () => {
    const id = await createUser('erin@contoso.com');
    const audit = await count('scim_audit_events');
    const refused = await patch(`/Users/${id}`, [{ op: 'Replace', path: 'userName', value: `${REFUSE}@contoso.com` }]);
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(refused.body).toMatchObject({ status: '409', detail: 'The product refused the change' });
    // The hook saw the new login in the transaction; the rollback took it back.
    expect(seen).toEqual([{ event: 'renamed', name: `${REFUSE}@contoso.com`, inTransaction: `${REFUSE}@contoso.com` }]);
    expect(await logins()).toContain('erin@contoso.com');
    expect(await logins()).not.toContain(`${REFUSE}@contoso.com`);
    expect((await send(h.http().get(`${B}/Users/${id}`))).body.userName).toBe('erin@contoso.com');
    const byNewName = await send(
      h.http().get(`${B}/Users?filter=${encodeURIComponent(`userName eq "${REFUSE}@contoso.com"`)}`),
    );
    expect(byNewName.body.totalResults).toBe(0);
    expect(await count('scim_audit_events')).toBe(audit);
  });

  it('leaves no team behind when a hook refuses its creation, and answers the refusal as SCIM', async () => {
    const teams = await count('teams');
    const refused = await send(h.http().post(`${B}/Groups`), { schemas: [GROUP], displayName: `${REFUSE} team` });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ detail: 'Teams cannot be named so in this product' });
    expect(seen).toEqual([{ event: 'created', name: `${REFUSE} team`, inTransaction: 1 }]);
    expect(await count('teams')).toBe(teams);
    const listed = await send(
      h.http().get(`${B}/Groups?filter=${encodeURIComponent(`displayName eq "${REFUSE} team"`)}`),
    );
    expect(listed.body.totalResults).toBe(0);
  });

  it('keeps a person active and every membership as it was when a hook refuses', async () => {
    const id = await createUser(`${REFUSE}.frank@contoso.com`);
    const refused = await patch(`/Users/${id}`, [{ op: 'Replace', path: 'active', value: 'False' }]);
    expect(refused.status).toBe(409);
    expect(seen).toEqual([{ event: 'deactivated', name: `${REFUSE}.frank@contoso.com`, inTransaction: 0 }]);
    const [row] = await h.dataSource.query('SELECT active FROM people WHERE login = ?', [
      `${REFUSE}.frank@contoso.com`,
    ]);
    expect(Number(row.active)).toBe(1);

    // One PATCH renames the team and adds a member; the hook refuses the addition, and the rename goes back with it.
    const other = await createUser('gail@contoso.com');
    const group = await send(h.http().post(`${B}/Groups`), { schemas: [GROUP], displayName: 'Support' });
    expect(group.status).toBe(201);
    expect(
      (await patch(`/Groups/${group.body.id}`, [{ op: 'Add', path: 'members', value: [{ value: other }] }])).status,
    ).toBe(204);
    const members = await count('team_members');
    const renamed = await patch(`/Groups/${group.body.id}`, [
      { op: 'Replace', path: 'displayName', value: `Support ${REFUSE}` },
      { op: 'Add', path: 'members', value: [{ value: id }] },
    ]);
    expect(renamed.status).toBe(409);
    expect(renamed.body.detail).toBe('The product refused the change');
    expect(await count('team_members')).toBe(members);
    expect(
      (await h.dataSource.query('SELECT name FROM teams WHERE name LIKE ?', ['Support%'])).map(
        (r: { name: string }) => r.name,
      ),
    ).toEqual(['Support']);
  });
});
