import { UserTokensService } from '@nest-scim/auth';
import { testDialects } from '@nest-scim/persistence/testing';
import { inTransaction } from '@nest-scim/persistence';
import { ScimAuditEntry, ScimAuditTrail } from '@nest-scim/provisioning/scim-audit-trail.service';
import {
  createGroup,
  createUser,
  expectScimError,
  patchOps,
  SCIM,
  SCIM_JSON,
  ScimTestServer,
  startHardenedServer,
  URN,
  userBody,
} from './hardening-support';

/*
 * The audit trail of SCIM writes: who (token id and owner, never the token), what (resource, attribute names, member
 * counts — never values), when, and the request id. The recorder writes inside the store's transaction; the admin reads
 * it through ScimAuditTrail.search (served by the admin Web API).
 */
describe.each(testDialects())('the SCIM audit trail (%s)', (dialect) => {
  let s: ScimTestServer;
  let trail: ScimAuditTrail;
  let tokenId: string;

  beforeAll(async () => {
    s = await startHardenedServer(dialect);
    trail = s.app.get(ScimAuditTrail);
    tokenId = (await s.app.get(UserTokensService).search(s.adminUserId)).find((t) => t.name === 'entra')!.id;
  });
  afterAll(() => s.close());

  const principal = () => ({ userId: s.adminUserId, login: 'admin', via: 'token', tokenId });
  const rawRows = async () => JSON.stringify(await s.dataSource.query('SELECT * FROM scim_audit_events'));

  describe('the recorder and the read API', () => {
    it('records inside the caller’s transaction: committed with the change, gone with its rollback', async () => {
      await inTransaction(s.dataSource, (m) =>
        trail.record(m, {
          context: { principal: principal(), requestId: 'req-commit' },
          action: 'create',
          resourceType: 'User',
          resourceId: 'scim-1',
          internalId: 'user-1',
          after: { core: { userName: 'x', displayName: 'Secret Name', password: 'hunter2-secret' }, extensions: {} },
        }),
      );
      await expect(
        inTransaction(s.dataSource, async (m) => {
          await trail.record(m, {
            context: { principal: principal(), requestId: 'req-rollback' },
            action: 'delete',
            resourceType: 'User',
            resourceId: 'scim-2',
          });
          throw new Error('the write failed after the record');
        }),
      ).rejects.toThrow('the write failed');
      const page = await trail.search({ resourceId: 'scim-1' });
      expect(page.entries).toHaveLength(1);
      expect(page.entries[0]).toMatchObject({
        requestId: 'req-commit',
        tokenId,
        actorUserId: s.adminUserId,
        actorLogin: 'admin',
        action: 'create',
        resourceType: 'User',
        resourceId: 'scim-1',
        internalId: 'user-1',
        attributes: ['displayName', 'password', 'userName'],
        members: null,
      });
      expect((await trail.search({ resourceId: 'scim-2' })).total).toBe(0);
      // Names only: no value and no secret is ever stored.
      const stored = await rawRows();
      expect(stored).not.toContain('hunter2-secret');
      expect(stored).not.toContain('Secret Name');
      expect(stored).not.toContain(s.token);
    });

    it('names changed attributes down to sub-attributes and extension attributes; counts members and keeps the first ids', async () => {
      const added = Array.from({ length: 150 }, (_, i) => `member-${i}`);
      await inTransaction(s.dataSource, async (m) => {
        await trail.record(m, {
          context: { principal: principal(), requestId: 'req-patch' },
          action: 'patch',
          resourceType: 'User',
          resourceId: 'scim-3',
          before: {
            core: { userName: 'a', name: { givenName: 'A', familyName: 'B' }, emails: [{ value: 'a@x' }] },
            extensions: { [URN.ENTERPRISE]: { department: 'X' } },
          },
          after: {
            core: { userName: 'a', name: { givenName: 'C', familyName: 'B' }, emails: [{ value: 'b@x' }], title: 'T' },
            extensions: { [URN.ENTERPRISE]: { department: 'Y' } },
          },
        });
        await trail.record(m, {
          context: { principal: principal(), requestId: 'req-members' },
          action: 'patch',
          resourceType: 'Group',
          resourceId: 'scim-group-1',
          before: { core: { displayName: 'G' }, extensions: {} },
          after: { core: { displayName: 'G', members: [{ value: 'ignored' }] }, extensions: {} },
          members: { added, removed: ['gone-1'] },
        });
      });
      const [user] = (await trail.search({ resourceId: 'scim-3' })).entries;
      expect(user.attributes).toEqual(['emails', 'name.givenName', 'title', `${URN.ENTERPRISE}:department`]);
      const [group] = (await trail.search({ resourceType: 'Group', resourceId: 'scim-group-1' })).entries;
      expect(group.attributes).toEqual([]);
      expect(group.members).toEqual({
        addedCount: 150,
        removedCount: 1,
        removedAll: false,
        added: added.slice(0, 100),
        removed: ['gone-1'],
      });
    });

    it('searches newest first, by resource, token and time, in pages of at most 500', async () => {
      const before = new Date(Date.now() - 1);
      for (let i = 0; i < 5; i++) {
        await inTransaction(s.dataSource, (m) =>
          trail.record(m, {
            context: { principal: { ...principal(), tokenId: 'other-token' }, requestId: `req-page-${i}` },
            action: 'replace',
            resourceType: 'Group',
            resourceId: 'paged',
          }),
        );
        await new Promise((r) => setTimeout(r, 3));
      }
      const first = await trail.search({ tokenId: 'other-token', pageSize: 2 });
      expect(first.total).toBe(5);
      expect(first.entries.map((e) => e.requestId)).toEqual(['req-page-4', 'req-page-3']);
      const third = await trail.search({ tokenId: 'other-token', pageSize: 2, page: 3 });
      expect(third.entries.map((e) => e.requestId)).toEqual(['req-page-0']);
      expect((await trail.search({ since: before, resourceId: 'paged' })).total).toBe(5);
      expect((await trail.search({ until: before, resourceId: 'paged' })).total).toBe(0);
      expect((await trail.search({ pageSize: 100000 })).pageSize).toBe(500);
      expect(await trail.purgeBefore(new Date(0))).toBe(0);
    });
  });

  describe('every change made through SCIM is recorded (the stores call the recorder)', () => {
    const send = (method: 'post' | 'put' | 'patch', path: string, body: unknown, requestId: string) =>
      s
        .http()
        [method](SCIM + path)
        .set('Authorization', `Bearer ${s.token}`)
        .set('Content-Type', SCIM_JSON)
        .set('X-Request-Id', requestId)
        .send(JSON.stringify(body));
    const entriesOf = async (resourceId: string): Promise<ScimAuditEntry[]> =>
      (await trail.search({ resourceId })).entries.reverse();

    it('user create, patch, replace and delete: one record each, with token, owner, request id and attribute names', async () => {
      const created = await send(
        'post',
        '/Users',
        userBody('audit-alice@contoso.com', { displayName: 'Alice A', password: 'Pw-1234567890!' }),
        'audit-create',
      );
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      await send(
        'patch',
        `/Users/${id}`,
        patchOps({ op: 'replace', path: 'displayName', value: 'Alice B' }),
        'audit-patch',
      ).expect(200);
      await send('put', `/Users/${id}`, userBody('audit-alice@contoso.com', { title: 'Boss' }), 'audit-put').expect(
        200,
      );
      await s
        .http()
        .delete(`${SCIM}/Users/${id}`)
        .set('Authorization', `Bearer ${s.token}`)
        .set('X-Request-Id', 'audit-delete')
        .expect(204);
      const entries = await entriesOf(id);
      expect(entries.map((e) => [e.action, e.requestId])).toEqual([
        ['create', 'audit-create'],
        ['patch', 'audit-patch'],
        ['replace', 'audit-put'],
        ['delete', 'audit-delete'],
      ]);
      for (const entry of entries) {
        expect(entry).toMatchObject({
          tokenId,
          actorUserId: s.adminUserId,
          actorLogin: 'admin',
          resourceType: 'User',
          resourceId: id,
        });
        expect(entry.internalId).toMatch(/^[0-9a-f-]{36}$/);
      }
      expect(entries[0].attributes).toEqual(expect.arrayContaining(['userName', 'displayName']));
      expect(entries[1].attributes).toEqual(['displayName']);
      expect(entries[2].attributes).toEqual(expect.arrayContaining(['displayName', 'title']));
      const stored = await rawRows();
      expect(stored).not.toContain('Pw-1234567890!');
      expect(stored).not.toContain('Alice B');
      expect(stored).not.toContain(s.token);
    });

    it('group create, rename, member changes and delete are recorded; a refused request records nothing', async () => {
      const members = [await createUser(s, 'audit-m1@contoso.com'), await createUser(s, 'audit-m2@contoso.com')];
      const group = await createGroup(s, 'audit-group', [members[0].id]);
      await send(
        'patch',
        `/Groups/${group.id}`,
        patchOps(
          { op: 'replace', path: 'displayName', value: 'audit-renamed' },
          { op: 'add', path: 'members', value: [{ value: members[1].id }] },
        ),
        'audit-group-patch',
      ).expect(204);
      const before = (await trail.search({ resourceId: group.id })).total;
      expectScimError(
        await send(
          'patch',
          `/Groups/${group.id}`,
          patchOps({ op: 'add', path: 'members', value: [{ value: 'missing' }] }),
          'audit-refused',
        ),
        400,
        'invalidValue',
      );
      expect((await trail.search({ resourceId: group.id })).total).toBe(before);
      await s.delete(`/Groups/${group.id}`).expect(204);
      const entries = await entriesOf(group.id);
      expect(entries.map((e) => e.action)).toEqual(['create', 'patch', 'delete']);
      expect(entries[0].members).toMatchObject({ addedCount: 1, added: [members[0].id] });
      expect(entries[1]).toMatchObject({ requestId: 'audit-group-patch', attributes: ['displayName'] });
      expect(entries[1].members).toMatchObject({ addedCount: 1, added: [members[1].id], removedCount: 0 });
    });
  });
});
