import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { SessionsService, UserTokensService } from '@nest-scim/auth';
import { GroupsService, UsersService } from '@nest-scim/identity';
import { testDialects } from '@nest-scim/persistence/testing';
import {
  count,
  createGroup,
  createUser,
  expectNothingChanged,
  expectScimError,
  failInserts,
  filterQuery,
  internalUserId,
  memberScimIds,
  patchOps,
  SCIM,
  SCIM_JSON,
  ScimTestServer,
  startHardenedServer,
  URN,
  userBody,
} from './hardening-support';

/*
 * Security cases, parts E (concurrency, atomicity, data loss) and F (conformance failures that
 * quarantine the tenant). E.36 (a crash in the middle of a request) is faults.e2e-spec.ts, with a real process killed.
 */
describe.each(testDialects())('security cases E and F (%s)', (dialect) => {
  let s: ScimTestServer;

  beforeAll(async () => {
    s = await startHardenedServer(dialect);
  });
  afterAll(() => s.close());

  const users = async (prefix: string, n: number) => {
    const created: { id: string }[] = [];
    for (let i = 0; i < n; i++) created.push(await createUser(s, `${prefix}-${i}@contoso.com`));
    return created;
  };

  describe('E. concurrency, atomicity and data loss', () => {
    it('E.31: a multi-operation PATCH is all or nothing, for groups and for users', async () => {
      const [u1, u2] = await users('e31', 2);
      const group = await createGroup(s, 'e31-group', [u1.id]);
      await expectNothingChanged(s.dataSource, async () => {
        const res = await s.patch(
          `/Groups/${group.id}`,
          patchOps(
            { op: 'replace', path: 'displayName', value: 'e31-renamed' },
            { op: 'add', path: 'members', value: [{ value: u2.id }] },
            { op: 'add', path: 'members', value: [{ value: 'nonexistent' }] },
          ),
        );
        expectScimError(res, 400, 'invalidValue');
        const mutability = await s.patch(
          `/Users/${u1.id}`,
          patchOps({ op: 'replace', path: 'displayName', value: 'Changed' }, { op: 'replace', path: 'id', value: 'x' }),
        );
        expectScimError(mutability, 400, 'mutability');
        const uniqueness = await s.patch(
          `/Users/${u1.id}`,
          patchOps(
            { op: 'replace', path: 'displayName', value: 'Changed' },
            { op: 'replace', path: 'userName', value: 'e31-1@contoso.com' },
          ),
        );
        expectScimError(uniqueness, 409, 'uniqueness');
      });
      expect((await s.get(`/Groups/${group.id}`)).body.displayName).toBe('e31-group');
    });

    it('E.32: 20 concurrent member adds to one group all land, with no 500 and no deadlock error', async () => {
      const members = await users('e32', 20);
      const group = await createGroup(s, 'e32-group');
      const answers = await Promise.all(
        members.map((m) =>
          s.patch(`/Groups/${group.id}`, patchOps({ op: 'Add', path: 'members', value: [{ value: m.id }] })),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(members.map(() => 204));
      expect(await memberScimIds(s.dataSource, group.id)).toEqual(members.map((m) => m.id).sort());
    });

    it('E.33: add(A) and remove(B) in parallel on {B, C} end as {A, C}; an add never removes anyone', async () => {
      for (let round = 0; round < 5; round++) {
        const [a, b, c] = await users(`e33-${round}`, 3);
        const group = await createGroup(s, `e33-group-${round}`, [b.id, c.id]);
        const [add, remove] = await Promise.all([
          s.patch(`/Groups/${group.id}`, patchOps({ op: 'add', path: 'members', value: [{ value: a.id }] })),
          s.patch(`/Groups/${group.id}`, patchOps({ op: 'remove', path: `members[value eq "${b.id}"]` })),
        ]);
        expect([add.status, remove.status]).toEqual([204, 204]);
        expect(await memberScimIds(s.dataSource, group.id)).toEqual([a.id, c.id].sort());
      }
    });

    it('E.34: two simultaneous creates of one userName or displayName: exactly one 201, one 409, one row', async () => {
      for (const [first, second] of [
        ['e34-same@contoso.com', 'e34-same@contoso.com'],
        ['e34-Case@contoso.com', 'E34-CASE@contoso.com'],
      ]) {
        const answers = await Promise.all([s.post('/Users', userBody(first)), s.post('/Users', userBody(second))]);
        expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
        expectScimError(
          answers.find((a) => a.status === 409)!,
          409,
          'uniqueness',
        );
        expect(await count(s.dataSource, 'users WHERE login_normalized = ?', [first.toLowerCase()])).toBe(1);
      }
      const groups = await Promise.all(
        ['e34-team', 'E34-TEAM'].map((displayName) => s.post('/Groups', { schemas: [URN.GROUP], displayName })),
      );
      expect(groups.map((g) => g.status).sort()).toEqual([201, 409]);
      expect(await count(s.dataSource, "user_groups WHERE name_normalized = 'e34-team'")).toBe(1);
    });

    it('E.35: a create whose answer was lost is found by the retry’s filter: no duplicate, no 409 loop', async () => {
      const userName = `e35-${randomUUID()}@contoso.com`;
      const server = s.app.getHttpServer() as import('node:http').Server;
      if (!server.listening) await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
      const port = (server.address() as import('node:net').AddressInfo).port;
      // The client sends the whole create and hangs up before the answer, as on a timeout.
      await new Promise<void>((done) => {
        const body = JSON.stringify(userBody(userName, { externalId: 'e35-ext' }));
        const req = httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `${SCIM}/Users`,
          headers: {
            Authorization: `Bearer ${s.token}`,
            'Content-Type': SCIM_JSON,
            'Content-Length': Buffer.byteLength(body),
          },
        });
        req.on('error', () => done());
        req.end(body, () => setTimeout(() => (req.destroy(), done()), 5));
      });
      let found = 0;
      for (let i = 0; i < 60 && found === 0; i++) {
        found = (await s.get(`/Users?${filterQuery(`userName eq "${userName}"`)}`)).body.totalResults;
        if (found === 0) await new Promise((r) => setTimeout(r, 50));
      }
      // Entra's retry: query by the matching attribute first, create only when nothing matches.
      expect(found).toBe(1);
      expect((await s.get(`/Users?${filterQuery('externalId eq "e35-ext"')}`)).body.totalResults).toBe(1);
      expectScimError(await s.post('/Users', userBody(userName)), 409, 'uniqueness');
      expect(await count(s.dataSource, 'users WHERE login = ?', [userName])).toBe(1);
    });

    it('E.37: a stale If-Match is 412 and changes nothing; If-None-Match gives 304; If-Match * does not lose members', async () => {
      const [u1, u2] = await users('e37', 2);
      const group = await createGroup(s, 'e37-group', [u1.id]);
      const current = await s.get(`/Users/${u1.id}`).expect(200);
      const etag = current.headers.etag as string;
      expect(etag).toBe(current.body.meta.version);
      await s.patch(`/Users/${u1.id}`, patchOps({ op: 'replace', path: 'title', value: 'moved' })).expect(200);
      await expectNothingChanged(s.dataSource, async () => {
        const stale = { 'If-Match': etag };
        expectScimError(
          await s.patch(`/Users/${u1.id}`, patchOps({ op: 'replace', path: 'title', value: 'x' })).set(stale),
          412,
        );
        expectScimError(await s.put(`/Users/${u1.id}`, userBody('e37-0@contoso.com')).set(stale), 412);
        expectScimError(await s.delete(`/Users/${u1.id}`).set(stale), 412);
      });
      const fresh = await s.get(`/Users/${u1.id}`);
      const notModified = await s.get(`/Users/${u1.id}`).set('If-None-Match', fresh.headers.etag as string);
      expect(notModified.status).toBe(304);
      const more = await users('e37-more', 8);
      const answers = await Promise.all(
        [u2, ...more].map((m) =>
          s
            .patch(`/Groups/${group.id}`, patchOps({ op: 'add', path: 'members', value: [{ value: m.id }] }))
            .set('If-Match', '*'),
        ),
      );
      expect(answers.every((a) => a.status === 204)).toBe(true);
      expect(await memberScimIds(s.dataSource, group.id)).toEqual([u1, u2, ...more].map((m) => m.id).sort());
    });

    it('E.38: DELETE is 204, revokes tokens and sessions, drops memberships; then 404; the userName can be created again', async () => {
      const [gone, stays] = await users('e38', 2);
      const group = await createGroup(s, 'e38-group', [gone.id, stays.id]);
      const userId = await internalUserId(s.dataSource, gone.id);
      const token = (await s.app.get(UserTokensService).generate({ userId, name: 't' })).token;
      const session = await s.app.get(SessionsService).createSession(userId);
      const res = await s.delete(`/Users/${gone.id}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      await expect(s.app.get(UserTokensService).authenticateToken(token)).rejects.toBeDefined();
      expect(await s.app.get(SessionsService).resolveSession(session.token)).toBeUndefined();
      expect(await memberScimIds(s.dataSource, group.id)).toEqual([stays.id]);
      expectScimError(await s.delete(`/Users/${gone.id}`), 404);
      expectScimError(await s.get(`/Users/${gone.id}`), 404);
      expect((await s.get(`/Users?${filterQuery('userName eq "e38-0@contoso.com"')}`)).body.totalResults).toBe(0);
      const again = await s.post('/Users', userBody('e38-0@contoso.com'));
      expect(again.status).toBe(201);
      expect(again.body.id).not.toBe(gone.id);
      // Deleting a group leaves its member users.
      await s.delete(`/Groups/${group.id}`).expect(204);
      await s.get(`/Users/${stays.id}`).expect(200);
    });

    it('E.39: deactivation ends sessions and tokens at once, the user is still returned with active false, reactivation restores', async () => {
      for (const [label, operations] of [
        ['path active, boolean', [{ op: 'replace', path: 'active', value: false }]],
        ['Entra string "False"', [{ op: 'Replace', path: 'active', value: 'False' }]],
        ['no path, value object', [{ op: 'replace', value: { active: false } }]],
      ] as const) {
        const user = await createUser(s, `e39-${label.replace(/\W+/g, '-')}@contoso.com`);
        const userId = await internalUserId(s.dataSource, user.id);
        const token = (await s.app.get(UserTokensService).generate({ userId, name: 't' })).token;
        const session = await s.app.get(SessionsService).createSession(userId);
        const off = await s.patch(`/Users/${user.id}`, patchOps(...operations));
        expect({ label, status: off.status, active: off.body.active }).toEqual({ label, status: 200, active: false });
        await expect(s.app.get(UserTokensService).authenticateToken(token)).rejects.toBeDefined();
        expect(await s.app.get(SessionsService).resolveSession(session.token)).toBeUndefined();
        expect((await s.get(`/Users/${user.id}`)).body.active).toBe(false);
        const listed = await s.get(`/Users?${filterQuery(`userName eq "${off.body.userName}"`)}`);
        expect(listed.body.Resources[0]).toMatchObject({ id: user.id, active: false });
        const on = await s.patch(`/Users/${user.id}`, patchOps({ op: 'replace', path: 'active', value: true }));
        expect(on.body.active).toBe(true);
        expect((await s.app.get(UsersService).findById(userId))?.active).toBe(true);
        const fresh = await s.app.get(UserTokensService).generate({ userId, name: 'after' });
        await expect(s.app.get(UserTokensService).authenticateToken(fresh.token)).resolves.toMatchObject({ userId });
      }
    });

    it('E.40: renaming a group onto another SCIM group, a local group or a built-in group is 409, nothing changed', async () => {
      const a = await createGroup(s, 'e40-a');
      await createGroup(s, 'e40-b');
      await s.app.get(GroupsService).create({ name: 'e40-local' });
      await expectNothingChanged(s.dataSource, async () => {
        for (const value of ['e40-b', 'E40-B', 'e40-local', 'sonar-administrators', 'sonar-users']) {
          const res = await s.patch(`/Groups/${a.id}`, patchOps({ op: 'replace', path: 'displayName', value }));
          expect({ value, status: res.status }).toEqual({ value, status: 409 });
          expectScimError(res, 409);
        }
      });
    });
  });

  describe('F. conformance failures that quarantine the tenant', () => {
    it('F.41: Test Connection: a random-GUID userName or displayName is 200 with an empty ListResponse; a random id is a SCIM 404', async () => {
      for (const path of [
        `/Users?${filterQuery(`userName eq "${randomUUID()}"`)}`,
        `/Groups?${filterQuery(`displayName eq "${randomUUID()}"`)}&excludedAttributes=members`,
      ]) {
        const res = await s.get(path);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          schemas: [URN.LIST],
          totalResults: 0,
          startIndex: 1,
          itemsPerPage: 0,
          Resources: [],
        });
      }
      expectScimError(await s.get(`/Users/${randomUUID()}`), 404);
      expectScimError(await s.get(`/Groups/${randomUUID()}`), 404);
    });

    it('F.42: the operators and attributes Entra uses work; anything unsupported is 400 invalidFilter', async () => {
      const user = await createUser(s, 'f42@contoso.com', {
        externalId: 'f42-ext',
        emails: [{ type: 'work', value: 'f42.work@contoso.com', primary: true }],
      });
      await createGroup(s, 'f42-group');
      const ids = async (path: string) =>
        (await s.get(path).expect(200)).body.Resources.map((r: { id: string }) => r.id);
      expect(await ids(`/Users?${filterQuery('userName eq "F42@CONTOSO.COM"')}`)).toEqual([user.id]);
      expect(await ids(`/Users?${filterQuery('externalId eq "f42-ext"')}`)).toEqual([user.id]);
      expect(await ids(`/Users?${filterQuery('userName eq "f42@contoso.com" and externalId eq "f42-ext"')}`)).toEqual([
        user.id,
      ]);
      expect(await ids(`/Users?${filterQuery('emails[type eq "work"].value eq "f42.work@contoso.com"')}`)).toEqual([
        user.id,
      ]);
      expect(await ids(`/Groups?${filterQuery('displayName eq "f42-group"')}&excludedAttributes=members`)).toHaveLength(
        1,
      );
      for (const filter of ['userName regex "f42"', 'nickName eq "x"', 'userName eq', 'and eq "x"', 'userName ew']) {
        expectScimError(await s.get(`/Users?${filterQuery(filter)}`), 400, 'invalidFilter');
      }
    });

    it('F.43: every 4xx and 5xx answer is a SCIM error in application/scim+json, a database fault included', async () => {
      const user = await createUser(s, 'f43@contoso.com');
      const answers: [number, import('supertest').Response][] = [
        [401, await s.http().get(`${SCIM}/Users`)],
        [404, await s.get(`/Users/${randomUUID()}`)],
        [404, await s.get('/NoSuchResource')],
        [400, await s.get(`/Users?${filterQuery('(')}`)],
        [400, await s.post('/Users', { schemas: [URN.USER] })],
        [409, await s.post('/Users', userBody('f43@contoso.com'))],
        [
          412,
          await s
            .patch(`/Users/${user.id}`, patchOps({ op: 'replace', path: 'title', value: 'x' }))
            .set('If-Match', 'W/"999"'),
        ],
        [
          501,
          await s.post('/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] }),
        ],
      ];
      const removeFault = await failInserts(s.dataSource, 'scim_user_profiles', 'hardening fault');
      try {
        await expectNothingChanged(s.dataSource, async () => {
          answers.push([500, await s.post('/Users', userBody('f43-fault@contoso.com'))]);
        });
      } finally {
        await removeFault();
      }
      for (const [status, res] of answers) {
        expectScimError(res, status);
        expect(JSON.stringify(res.body)).not.toMatch(/hardening fault|SQL|sqlite|mysql|stack/i);
      }
      await s.post('/Users', userBody('f43-fault@contoso.com')).expect(201);
    });
  });
});
