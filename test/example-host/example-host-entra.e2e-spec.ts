import { randomUUID } from 'node:crypto';
import type { Response, Test } from 'supertest';
import { testDialects } from '@nest-scim/persistence/testing';
import { ExampleHostTestApp, startExampleHost } from './support/example-host-harness';

const B = '/api/scim/v2';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

interface PersonRow {
  id: number;
  login: string;
  display_name: string;
  email: string | null;
  active: boolean;
}

describe.each(testDialects())(
  'apps/example-host provisioned by Entra ID through the host-entity kit (%s)',
  (dialect) => {
    let h: ExampleHostTestApp;
    let token: string;
    beforeAll(async () => {
      h = await startExampleHost(dialect);
      token = (await h.setUpEntra()).token;
    });
    afterAll(() => h?.close());

    const send = (t: Test, body?: unknown): Promise<Response> => {
      const authed = t.set('Authorization', `Bearer ${token}`);
      return body === undefined
        ? authed
        : authed.set('Content-Type', 'application/scim+json').send(JSON.stringify(body));
    };
    const get = (path: string) => send(h.http().get(`${B}${path}`));
    const filter = (resource: 'Users' | 'Groups', expression: string, extra = '') =>
      get(`/${resource}?filter=${encodeURIComponent(expression)}${extra}`);
    const post = (resource: 'Users' | 'Groups', body: unknown) => send(h.http().post(`${B}/${resource}`), body);
    /** A body as text, as a client with a broken serializer sends it. */
    const postText = (text: string) =>
      h
        .http()
        .post(`${B}/Users`)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/scim+json')
        .send(text);
    const patch = (path: string, operations: unknown[]) =>
      send(h.http().patch(`${B}${path}`), { schemas: [PATCH_OP], Operations: operations });
    const del = (path: string) => send(h.http().delete(`${B}${path}`));

    /** The product's own tables, as the product reads them. */
    const people = async (): Promise<PersonRow[]> =>
      (await h.dataSource.query('SELECT id, login, display_name, email, active FROM people ORDER BY id')).map(
        (r: PersonRow) => ({ ...r, id: Number(r.id), active: Boolean(Number(r.active)) }),
      );
    const person = async (login: string) => (await people()).find((p) => p.login === login);
    const teams = async (): Promise<{ id: number; name: string }[]> =>
      (await h.dataSource.query('SELECT id, name FROM teams ORDER BY id')).map((r: { id: unknown; name: string }) => ({
        id: Number(r.id),
        name: r.name,
      }));
    const memberships = async (): Promise<[string, string][]> =>
      (
        await h.dataSource.query(
          'SELECT t.name AS team, p.login AS login FROM team_members m JOIN teams t ON t.id = m.team_id JOIN people p ON p.id = m.person_id ORDER BY t.name, p.login',
        )
      ).map((r: { team: string; login: string }) => [r.team, r.login]);

    const expectScimError = (res: Response, status: number, scimType?: string) => {
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.body).toMatchObject({ schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}) });
    };

    const ids: Record<string, string> = {};

    it('answers Test Connection with empty lists', async () => {
      const users = await filter('Users', `userName eq "${randomUUID()}"`);
      expect(users.status).toBe(200);
      expect(users.body).toEqual({ schemas: [LIST], totalResults: 0, Resources: [], startIndex: 1, itemsPerPage: 0 });
      const byExternalId = await filter('Users', `externalId eq "${randomUUID()}"`);
      expect(byExternalId.body.totalResults).toBe(0);
      const groups = await filter('Groups', `displayName eq "${randomUUID()}"`, '&excludedAttributes=members');
      expect(groups.status).toBe(200);
      expect(groups.body.totalResults).toBe(0);
      expect(await people()).toEqual([]);
    });

    it('creates users into people: login = userName, display name, email, active', async () => {
      const created = await post('Users', {
        schemas: [USER, ENTERPRISE],
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        userName: 'Test_User_00aa00aa@contoso.com',
        active: true,
        emails: [{ primary: true, type: 'work', value: 'Test_User_11bb11bb@testuser.com' }],
        meta: { resourceType: 'User' },
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
        roles: [],
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        userName: 'Test_User_00aa00aa@contoso.com',
        active: true,
      });
      ids.test = created.body.id;

      const joy = await post('Users', {
        schemas: [USER, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
        addresses: null,
        phoneNumbers: null,
        preferredLanguage: null,
        title: null,
        department: null,
        manager: null,
        displayName: 'Joy Young',
        externalId: 'jyoung',
        userName: 'jyoung@testuser.com',
      });
      expect(joy.status).toBe(201);
      ids.joy = joy.body.id;

      expect(await people()).toEqual([
        {
          id: expect.any(Number),
          login: 'Test_User_00aa00aa@contoso.com',
          display_name: 'givenName familyName',
          email: 'Test_User_11bb11bb@testuser.com',
          active: true,
        },
        { id: expect.any(Number), login: 'jyoung@testuser.com', display_name: 'Joy Young', email: null, active: true },
      ]);
      // The SCIM id is the feature's own, never the product's key.
      expect(ids.test).not.toBe(String((await people())[0].id));
    });

    it('finds users by userName in any case, by externalId and by id', async () => {
      const byName = await filter('Users', 'userName eq "TEST_USER_00AA00AA@CONTOSO.COM"');
      expect(byName.body).toMatchObject({ totalResults: 1, Resources: [{ id: ids.test }] });
      expect((await filter('Users', 'externalId eq "jyoung"')).body).toMatchObject({
        totalResults: 1,
        Resources: [{ id: ids.joy, userName: 'jyoung@testuser.com' }],
      });
      const read = await get(`/Users/${ids.test}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        id: ids.test,
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        name: { givenName: 'givenName', familyName: 'familyName' },
      });
      expectScimError(await get(`/Users/${randomUUID()}`), 404);
      expect((await filter('Users', 'userName eq "non-existent user"')).body.totalResults).toBe(0);
    });

    it('applies Entra’s PATCH shapes to the product’s columns', async () => {
      const emails = await patch(`/Users/${ids.test}`, [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ]);
      expect(emails.status).toBe(200);
      expect((await person('Test_User_00aa00aa@contoso.com'))!.email).toBe('updatedEmail@microsoft.com');

      const several = await patch(`/Users/${ids.joy}`, [
        { op: 'Replace', path: 'displayName', value: 'Pvlo' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
        { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
        { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
        { op: 'Replace', path: 'externalId', value: 'Eqpj' },
        { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'Eqpj' },
      ]);
      expect(several.status).toBe(200);
      expect(await person('jyoung@testuser.com')).toMatchObject({
        display_name: 'Pvlo',
        email: 'TestBcwqnm@test.microsoft.com',
        active: true,
      });

      // The aadOptscim062020 shape: one pathless replace with dotted keys.
      const pathless = await patch(`/Users/${ids.joy}`, [
        {
          op: 'replace',
          value: { displayName: 'Joy Y.', 'name.givenName': 'Joy', [`${ENTERPRISE}:employeeNumber`]: '7' },
        },
      ]);
      expect(pathless.status).toBe(200);
      expect((await person('jyoung@testuser.com'))!.display_name).toBe('Joy Y.');
      expect((await filter('Users', 'externalId eq "Eqpj"')).body.Resources[0].id).toBe(ids.joy);
    });

    it('disables with "False" as a string and with false, keeps the user readable, and enables again (21–23, C)', async () => {
      const disabled = await patch(`/Users/${ids.joy}`, [{ op: 'Replace', path: 'active', value: 'False' }]);
      expect(disabled.status).toBe(200);
      expect(disabled.body.active).toBe(false);
      expect((await person('jyoung@testuser.com'))!.active).toBe(false);
      expect((await filter('Users', 'userName eq "jyoung@testuser.com"')).body.Resources[0].active).toBe(false);
      expect((await get(`/Users/${ids.joy}`)).body.active).toBe(false);

      expect((await patch(`/Users/${ids.joy}`, [{ op: 'replace', path: 'active', value: true }])).status).toBe(200);
      expect((await person('jyoung@testuser.com'))!.active).toBe(true);
      expect((await patch(`/Users/${ids.joy}`, [{ op: 'replace', path: 'active', value: false }])).status).toBe(200);
      expect((await person('jyoung@testuser.com'))!.active).toBe(false);
      expect((await patch(`/Users/${ids.joy}`, [{ op: 'Replace', path: 'active', value: 'True' }])).status).toBe(200);
      expect((await person('jyoung@testuser.com'))!.active).toBe(true);

      const refused = await patch(`/Users/${ids.joy}`, [{ op: 'Replace', path: 'active', value: 'maybe' }]);
      expectScimError(refused, 400);
      expect((await person('jyoung@testuser.com'))!.active).toBe(true);
    });

    it('renames: people.login follows userName, the person keeps its row', async () => {
      const before = await person('Test_User_00aa00aa@contoso.com');
      const renamed = await patch(`/Users/${ids.test}`, [
        { op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' },
      ]);
      expect(renamed.status).toBe(200);
      expect(renamed.body.userName).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
      expect(await person('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com')).toEqual({
        ...before,
        login: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com',
      });
      expect(await person('Test_User_00aa00aa@contoso.com')).toBeUndefined();
      expect((await filter('Users', 'userName eq "Test_User_00aa00aa@contoso.com"')).body.totalResults).toBe(0);

      // A login another person holds, in any case, is refused and changes nothing.
      const taken = await patch(`/Users/${ids.test}`, [
        { op: 'Replace', path: 'userName', value: 'JYOUNG@testuser.com' },
      ]);
      expectScimError(taken, 409, 'uniqueness');
      expect(await person('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com')).toBeDefined();
    });

    it('creates a team, adds and removes members in both of Entra’s shapes, renames it', async () => {
      const group = await post('Groups', {
        schemas: [GROUP],
        displayName: 'Group1DisplayName',
        externalId: 'g1',
        members: [],
      });
      expect(group.status).toBe(201);
      ids.group = group.body.id;
      expect((await teams()).map((t) => t.name)).toEqual(['Group1DisplayName']);
      expect(
        (await filter('Groups', 'displayName eq "Group1DisplayName"', '&excludedAttributes=members')).body,
      ).toMatchObject({ totalResults: 1, Resources: [{ id: ids.group }] });
      expectScimError(await post('Groups', { schemas: [GROUP], displayName: 'group1displayname' }), 409, 'uniqueness');

      const carol = await post('Users', { schemas: [USER], userName: 'carol@contoso.com', displayName: 'Carol' });
      ids.carol = carol.body.id;
      const added = await patch(`/Groups/${ids.group}`, [
        { op: 'Add', path: 'members', value: [{ value: ids.test }, { value: ids.joy }, { value: ids.carol }] },
      ]);
      expect(added.status).toBe(204);
      const TEST = '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com';
      expect(await memberships()).toEqual([
        ['Group1DisplayName', TEST],
        ['Group1DisplayName', 'carol@contoso.com'],
        ['Group1DisplayName', 'jyoung@testuser.com'],
      ]);
      const read = await get(`/Groups/${ids.group}`);
      expect(read.body.members.map((m: { value: string }) => m.value).sort()).toEqual(
        [ids.test, ids.joy, ids.carol].sort(),
      );
      const check = await filter('Groups', `id eq "${ids.group}" and members eq "${ids.joy}"`, '&attributes=id');
      expect(check.body.totalResults).toBe(1);

      expect(
        (
          await patch(`/Groups/${ids.group}`, [
            { op: 'Remove', path: 'members', value: [{ $ref: null, value: ids.joy }] },
          ])
        ).status,
      ).toBe(204);
      expect(
        (await patch(`/Groups/${ids.group}`, [{ op: 'remove', path: `members[value eq "${ids.carol}"]` }])).status,
      ).toBe(204);
      expect(await memberships()).toEqual([['Group1DisplayName', TEST]]);

      const unknown = await patch(`/Groups/${ids.group}`, [
        { op: 'Add', path: 'members', value: [{ value: ids.carol }, { value: 'does-not-exist' }] },
      ]);
      expect([400, 404]).toContain(unknown.status);
      expectScimError(unknown, unknown.status);
      expect(await memberships()).toEqual([['Group1DisplayName', TEST]]);

      const renamed = await patch(`/Groups/${ids.group}`, [{ op: 'Replace', path: 'displayName', value: 'Platform' }]);
      expect(renamed.status).toBe(204);
      expect((await teams()).map((t) => t.name)).toEqual(['Platform']);
      expect(await memberships()).toEqual([['Platform', TEST]]);
    });

    it('deletes: a deleted user leaves every team and can no longer be read; a deleted group leaves no rows (24, 25, 62, 63)', async () => {
      await patch(`/Groups/${ids.group}`, [{ op: 'Add', path: 'members', value: [{ value: ids.carol }] }]);
      expect((await del(`/Users/${ids.carol}`)).status).toBe(204);
      expectScimError(await get(`/Users/${ids.carol}`), 404);
      expectScimError(await del(`/Users/${ids.carol}`), 404);
      expect((await get(`/Groups/${ids.group}`)).body.members.map((m: { value: string }) => m.value)).toEqual([
        ids.test,
      ]);
      expect(await memberships()).toEqual([['Platform', '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com']]);
      // The product keeps the person, inactive: SCIM DELETE is not the product's to erase a record.
      expect(await person('carol@contoso.com')).toMatchObject({ active: false });

      expect((await del(`/Groups/${ids.group}`)).status).toBe(204);
      expectScimError(await get(`/Groups/${ids.group}`), 404);
      expect(await teams()).toEqual([]);
      expect(await memberships()).toEqual([]);
    });

    it('refuses bad users without writing a row, creates "True" as true, replaces with PUT (36, 40–44)', async () => {
      const before = await people();
      expectScimError(await post('Users', { schemas: [USER], userName: 'JYOUNG@TESTUSER.COM' }), 409, 'uniqueness');
      expectScimError(await post('Users', { schemas: [USER], displayName: 'No userName' }), 400);
      const junk = await postText('{"userName": ');
      expectScimError(junk, 400, 'invalidSyntax');
      expectScimError(await post('Users', { schemas: [USER], userName: 'x'.repeat(256) }), 400);
      expectScimError(await post('Users', { schemas: [USER], userName: ' padded@contoso.com' }), 400);
      expect(await people()).toEqual(before);

      const hank = await post('Users', {
        schemas: [USER],
        userName: 'hank@contoso.com',
        active: 'True',
        Adresses: [{ street: 'x' }],
      });
      expect(hank.status).toBe(201);
      expect(hank.body.active).toBe(true);
      const replaced = await send(h.http().put(`${B}/Users/${hank.body.id}`), {
        schemas: [USER],
        userName: 'hank@contoso.com',
        displayName: 'Hank Hill',
        emails: [{ value: 'hank@hill.example', type: 'work' }],
        active: false,
      });
      expect(replaced.status).toBe(200);
      expect(await person('hank@contoso.com')).toMatchObject({
        display_name: 'Hank Hill',
        email: 'hank@hill.example',
        active: false,
      });
    });

    it('answers discovery and refuses a wrong credential as SCIM', async () => {
      const schemas = await get('/Schemas');
      expect(schemas.status).toBe(200);
      expect(schemas.body.Resources.map((r: { id: string }) => r.id)).toEqual(
        expect.arrayContaining([USER, GROUP, ENTERPRISE]),
      );
      expect((await get('/ServiceProviderConfig')).body.patch).toEqual({ supported: true });
      expect((await get('/ResourceTypes/User')).body.endpoint).toBe('/Users');
      expectScimError(await h.http().get(`${B}/Users`).set('Authorization', 'non-token'), 401);
      expectScimError(await send(h.http().post(`${B}/Bulk`), { schemas: [], Operations: [] }), 501);
    });

    it('takes an existing team member list in every Entra shape: $ref null, several ops, remove all (48, 53–58)', async () => {
      const group = await post('Groups', {
        schemas: [GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
        externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
        displayName: 'displayName',
        meta: { resourceType: 'Group' },
      });
      expect(group.status).toBe(201);
      const gid = group.body.id as string;
      const ops = await patch(`/Groups/${gid}`, [
        { op: 'Add', path: 'members', value: [{ $ref: null, value: ids.joy }] },
        { op: 'add', path: 'members', value: [{ value: ids.test }, { value: ids.joy }] },
        { op: 'Replace', path: 'displayName', value: 'updatedDisplayName' },
      ]);
      expect(ops.status).toBe(204);
      expect((await memberships()).filter(([t]) => t === 'updatedDisplayName')).toHaveLength(2);
      expect((await get(`/Groups/${gid}?excludedAttributes=members`)).body).not.toHaveProperty('members');
      expect((await patch(`/Groups/${gid}`, [{ op: 'Remove', path: 'members' }])).status).toBe(204);
      expect((await memberships()).filter(([t]) => t === 'updatedDisplayName')).toEqual([]);
      expect((await teams()).map((t) => t.name)).toContain('updatedDisplayName');
      expect((await del(`/Groups/${gid}`)).status).toBe(204);
    });

    it('takes a deleted person back when Entra creates them again: the same row, active (adoption)', async () => {
      const carolRow = await person('carol@contoso.com');
      expect(carolRow).toMatchObject({ active: false });
      const again = await post('Users', { schemas: [USER], userName: 'Carol@contoso.com', displayName: 'Carol A.' });
      expect(again.status).toBe(201);
      expect(again.body.id).not.toBe(ids.carol);
      expect(await person('Carol@contoso.com')).toEqual({
        ...carolRow,
        login: 'Carol@contoso.com',
        display_name: 'Carol A.',
        active: true,
      });
    });

    it('lands 40 concurrent member additions to one team exactly', async () => {
      const team = await post('Groups', { schemas: [GROUP], displayName: 'Crowd' });
      const users: string[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await post('Users', { schemas: [USER], userName: `crowd-${i}@contoso.com` });
        users.push(res.body.id);
      }
      const answers = await Promise.all(
        users.map((id) => patch(`/Groups/${team.body.id}`, [{ op: 'Add', path: 'members', value: [{ value: id }] }])),
      );
      expect(answers.map((a) => a.status)).toEqual(users.map(() => 204));
      const crowd = (await memberships()).filter(([t]) => t === 'Crowd').map(([, login]) => login);
      expect(crowd).toEqual(users.map((_, i) => `crowd-${i}@contoso.com`).sort());
      expect((await get(`/Groups/${team.body.id}`)).body.members).toHaveLength(40);
    });

    it('keeps the product’s strategy, pipe and filter and SCIM’s apart', async () => {
      const accessToken = await h.signIn('jyoung@testuser.com');
      // The product's access token is no SCIM token, and the SCIM token no access token of the product.
      expectScimError(await h.http().get(`${B}/Users`).set('Authorization', `Bearer ${accessToken}`), 401);
      const hostRefusal = await h.http().get('/api/people').set('Authorization', `Bearer ${token}`);
      expect(hostRefusal.status).toBe(401);
      expect(hostRefusal.body).toEqual({ error: { status: 401, message: expect.any(String) } });
      // A property the product's pipe would refuse is SCIM's to judge; a malformed body is a SCIM error.
      const extra = await post('Users', { schemas: [USER], userName: 'extra@contoso.com', unexpectedProperty: 'x' });
      expect(extra.status).toBe(201);
      const malformed = await postText('{"schemas": [');
      expectScimError(malformed, 400);
      expectScimError(await get('/Devices'), 404);
      expect(await person('extra@contoso.com')).toMatchObject({ login: 'extra@contoso.com', active: true });
    });

    it('signs provisioned people in through the product’s own sign-in, until Entra disables them', async () => {
      const accessToken = await h.signIn('JYOUNG@testuser.com');
      const me = await h.http().get('/api/people/me').set('Authorization', `Bearer ${accessToken}`);
      expect(me.body).toMatchObject({ login: 'jyoung@testuser.com', active: true });
      await patch(`/Users/${ids.joy}`, [{ op: 'Replace', path: 'active', value: 'False' }]);
      expect((await h.http().get('/api/people/me').set('Authorization', `Bearer ${accessToken}`)).status).toBe(401);
    });
  },
);
