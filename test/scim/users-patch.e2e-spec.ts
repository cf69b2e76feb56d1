import { UserTokensService } from '@nest-scim/auth';
import { UsersService } from '@nest-scim/identity';
import { testDialects } from '@nest-scim/persistence/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import {
  createGroup,
  createUser,
  databaseSnapshot,
  expectScimError,
  expectScimJson,
  groupNamesOf,
  internalUserId,
  patchOps,
  query,
  URN,
} from '../support/scim-expectations';

type ScimUser = Record<string, any>;

const MANAGER_ID = '00aa00aa-bb11-cc22-dd33-44ee44ee44ee';

describe.each(testDialects())('Entra updates users with PATCH (%s)', (dialect) => {
  let s: ScimTestServer;
  let counter = 0;

  beforeAll(async () => {
    s = await startScimServer(dialect, { env: { PUBLIC_URL: 'https://scim.contoso.test' } });
  });
  afterAll(() => s.close());

  /** A fresh user for each story, shaped as Entra creates them. */
  const newUser = (extra: Record<string, unknown> = {}) => {
    counter++;
    return createUser(s, `patch-user-${counter}@contoso.com`, {
      externalId: `ext-${counter}`,
      displayName: `User ${counter}`,
      name: { givenName: 'Given', familyName: 'Family' },
      emails: [{ type: 'work', value: `patch-user-${counter}@contoso.com`, primary: true }],
      ...extra,
    });
  };
  const patch = (id: string, ...operations: Record<string, unknown>[]) =>
    s.patch(`/Users/${id}`, patchOps(...operations));
  const read = async (id: string): Promise<ScimUser> => (await s.get(`/Users/${id}`).expect(200)).body;
  const findByUserName = async (userName: string) =>
    (await s.get(`/Users?${query(`userName eq "${userName}"`)}`).expect(200)).body;

  describe('Entra’s documented PATCH requests', () => {
    it('case 19: replace of the work email and the family name answers 200 with the updated user', async () => {
      const user = await newUser();
      const res = await patch(
        user.id,
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      );
      expect(res.status).toBe(200);
      expectScimJson(res);
      expect(res.body).toEqual({
        ...user,
        emails: [{ type: 'work', value: 'updatedEmail@microsoft.com', primary: true }],
        name: { givenName: 'Given', familyName: 'updatedFamilyName' },
        meta: { ...user.meta, lastModified: expect.any(String), version: 'W/"2"' },
      });
      expect(res.headers.etag).toBe('W/"2"');
      expect(await read(user.id)).toEqual(res.body);
      // The new work email is what Entra's matching filter now finds.
      const found = await s.get(`/Users?${query('emails[type eq "work"].value eq "updatedemail@microsoft.com"')}`);
      expect(found.body.Resources.map((r: ScimUser) => r.id)).toEqual([user.id]);
    });

    it('case 20: Entra renames Alice; she keeps her id and memberships, the old userName finds nobody', async () => {
      const user = await newUser();
      const group = await createGroup(s, 'renamers', [user.id]);
      const internal = await internalUserId(s, user.id);
      const res = await patch(user.id, {
        op: 'Replace',
        path: 'userName',
        value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        expect.objectContaining({ id: user.id, userName: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' }),
      );
      expect(await internalUserId(s, user.id)).toBe(internal);
      expect(await groupNamesOf(s, internal!)).toContain('renamers');
      const g = await s.get(`/Groups/${group.id}`).expect(200);
      expect(g.body.members.map((m: { value: string }) => m.value)).toEqual([user.id]);
      expect((await findByUserName(user.userName)).totalResults).toBe(0);
      expect((await findByUserName('5B50642D-79FC-4410-9E90-4C077CDD1A59@testuser.com')).Resources[0].id).toBe(user.id);
      // The product login follows.
      const [row] = await s.dataSource.query('SELECT login FROM users WHERE id = ?', [internal]);
      expect(row.login).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
    });

    it('case 20: a rename keeps the user’s own token working, and a change of case only is a rename too', async () => {
      const user = await newUser();
      const userId = (await internalUserId(s, user.id))!;
      const tokens = s.app.get(UserTokensService);
      const { token } = await tokens.generate({ userId, name: 'personal' });
      await patch(user.id, { op: 'Replace', path: 'userName', value: 'Renamed.Person@contoso.com' }).expect(200);
      const recased = await patch(user.id, { op: 'Replace', path: 'userName', value: 'renamed.person@CONTOSO.com' });
      expect(recased.status).toBe(200);
      expect(recased.body.userName).toBe('renamed.person@CONTOSO.com');
      expect((await tokens.authenticateToken(token)).userId).toBe(userId);
      const account = await s.app.get(UsersService).findById(userId);
      expect(account).toEqual(
        expect.objectContaining({ login: 'renamed.person@CONTOSO.com', externalLogin: 'renamed.person@CONTOSO.com' }),
      );
    });

    it('case 20: a rename onto another user’s userName (in any case) is 409 uniqueness and changes nothing', async () => {
      const taken = await newUser();
      const user = await newUser();
      const before = await databaseSnapshot(s);
      const res = await patch(user.id, { op: 'Replace', path: 'userName', value: taken.userName.toUpperCase() });
      expectScimError(res, 409, 'uniqueness');
      expect(await databaseSnapshot(s)).toEqual(before);
    });

    it('case 21, 23: Entra disables a user (Operations before schemas); GET and a userName query still return her, active false', async () => {
      const user = await newUser();
      const res = await s.patch(`/Users/${user.id}`, {
        Operations: [{ op: 'Replace', path: 'active', value: false }],
        schemas: [URN.PATCH_OP],
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ id: user.id, active: false }));
      expect((await read(user.id)).active).toBe(false);
      const found = await findByUserName(user.userName);
      expect(found.totalResults).toBe(1);
      expect(found.Resources[0]).toEqual(expect.objectContaining({ id: user.id, active: false }));
    });

    it('case 22: re-enabling restores active true', async () => {
      const user = await newUser();
      await patch(user.id, { op: 'Replace', path: 'active', value: false }).expect(200);
      const res = await patch(user.id, { op: 'Replace', path: 'active', value: true });
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(true);
      const [row] = await s.dataSource.query('SELECT active FROM users WHERE id = ?', [
        await internalUserId(s, user.id),
      ]);
      expect(Boolean(row.active)).toBe(true);
    });

    it('case 26: Add manager in the reference-array form stores the manager value', async () => {
      const user = await newUser();
      const res = await patch(user.id, {
        op: 'Add',
        path: 'manager',
        value: [{ $ref: `http://example.test/scim/Users/${MANAGER_ID}`, value: MANAGER_ID }],
      });
      expect(res.status).toBe(200);
      expect(res.body[URN.ENTERPRISE]).toEqual({
        manager: { $ref: `http://example.test/scim/Users/${MANAGER_ID}`, value: MANAGER_ID },
      });
      expect(res.body.schemas).toEqual([URN.USER, URN.ENTERPRISE]);
      const found = await s.get(
        `/Users?${query(`id eq "${user.id}" and manager eq "${MANAGER_ID}"`, 'attributes=id')}`,
      );
      expect(found.body.totalResults).toBe(1);
    });

    it('case 27: enterprise attributes by URN path land inside the extension object; manager as a plain id string', async () => {
      const user = await newUser();
      const res = await patch(
        user.id,
        { op: 'Add', path: `${URN.ENTERPRISE}:employeeNumber`, value: '701984' },
        { op: 'Add', path: `${URN.ENTERPRISE}:department`, value: 'Tour Operations' },
        { op: 'Replace', path: `${URN.ENTERPRISE}:manager`, value: MANAGER_ID },
      );
      expect(res.status).toBe(200);
      expect(res.body[URN.ENTERPRISE]).toEqual({
        employeeNumber: '701984',
        department: 'Tour Operations',
        manager: { value: MANAGER_ID },
      });
      expect(res.body).not.toHaveProperty('employeeNumber');
      expect(res.body).not.toHaveProperty(`${URN.ENTERPRISE}:employeeNumber`);
      const found = await s.get(`/Users?${query(`${URN.ENTERPRISE}:employeeNumber eq "701984"`)}`);
      expect(found.body.Resources.map((r: ScimUser) => r.id)).toEqual([user.id]);
    });

    it('case 28: Remove of the manager clears it (and the manager filter no longer matches)', async () => {
      const user = await newUser({ [URN.ENTERPRISE]: { department: 'Sales', manager: { value: MANAGER_ID } } });
      const res = await patch(user.id, { op: 'Remove', path: `${URN.ENTERPRISE}:manager` });
      expect(res.status).toBe(200);
      expect(res.body[URN.ENTERPRISE]).toEqual({ department: 'Sales' });
      const found = await s.get(`/Users?${query(`manager eq "${MANAGER_ID}" and id eq "${user.id}"`)}`);
      expect(found.body.totalResults).toBe(0);
    });

    it('case 28: removing the last enterprise attribute drops the extension from schemas', async () => {
      const user = await newUser({ [URN.ENTERPRISE]: { manager: { value: MANAGER_ID } } });
      const res = await patch(user.id, { op: 'remove', path: `${URN.ENTERPRISE}:manager` });
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty(URN.ENTERPRISE);
      expect(res.body.schemas).toEqual([URN.USER]);
    });

    it('case 29: the old dialect replaces six attributes, one op per path; all are applied', async () => {
      const user = await newUser();
      const res = await patch(
        user.id,
        { op: 'Replace', path: 'displayName', value: 'Pvlo' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
        { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
        { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
        { op: 'Replace', path: 'externalId', value: 'Eqpj' },
        { op: 'Replace', path: `${URN.ENTERPRISE}:employeeNumber`, value: 'Eqpj' },
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        schemas: [URN.USER, URN.ENTERPRISE],
        id: user.id,
        userName: user.userName,
        active: true,
        displayName: 'Pvlo',
        externalId: 'Eqpj',
        name: { givenName: 'Gtfd', familyName: 'Pkqf' },
        emails: [{ type: 'work', value: 'TestBcwqnm@test.microsoft.com', primary: true }],
        [URN.ENTERPRISE]: { employeeNumber: 'Eqpj' },
        meta: { ...user.meta, lastModified: expect.any(String), version: 'W/"2"' },
      });
      expect((await s.get(`/Users?${query('externalId eq "Eqpj"')}`)).body.Resources[0].id).toBe(user.id);
    });

    it('case 30: the aadOptscim062020 dialect: a path-less value with dotted and URN keys sets the sub-attributes, never a literal "name.givenName"', async () => {
      const user = await newUser();
      const res = await patch(
        user.id,
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
        {
          op: 'replace',
          value: {
            displayName: 'Bjfe',
            'name.givenName': 'Kkom',
            'name.familyName': 'Unua',
            [`${URN.ENTERPRISE}:employeeNumber`]: 'Aklq',
          },
        },
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        schemas: [URN.USER, URN.ENTERPRISE],
        id: user.id,
        userName: user.userName,
        externalId: user.externalId,
        active: true,
        displayName: 'Bjfe',
        name: { givenName: 'Kkom', familyName: 'Unua' },
        emails: [{ type: 'work', value: 'TestMhvaes@test.microsoft.com', primary: true }],
        [URN.ENTERPRISE]: { employeeNumber: 'Aklq' },
        meta: { ...user.meta, lastModified: expect.any(String), version: 'W/"2"' },
      });
      const stored = await read(user.id);
      expect(stored).not.toHaveProperty(['name.givenName']);
      expect(stored).not.toHaveProperty([`${URN.ENTERPRISE}:employeeNumber`]);
      const [row] = await s.dataSource.query('SELECT document, given_name FROM scim_user_profiles WHERE user_id = ?', [
        await internalUserId(s, user.id),
      ]);
      expect(row.given_name).toBe('Kkom');
      expect(row.document).not.toContain('"name.givenName"');
      expect((await s.get(`/Users?${query('name.givenName eq "kkom"')}`)).body.Resources[0].id).toBe(user.id);
    });

    it('case 30: a path-less value may also hold the extension as an object under its URN', async () => {
      const user = await newUser();
      const res = await patch(user.id, {
        op: 'Add',
        value: { nickName: 'Nick', [URN.ENTERPRISE]: { department: 'Ops', manager: MANAGER_ID } },
      });
      expect(res.status).toBe(200);
      expect(res.body.nickName).toBe('Nick');
      expect(res.body[URN.ENTERPRISE]).toEqual({ department: 'Ops', manager: { value: MANAGER_ID } });
    });

    it('case 31: replacing the work email of a user without emails adds a work email', async () => {
      const user = await newUser({ emails: undefined });
      expect(user).not.toHaveProperty('emails');
      const res = await patch(user.id, { op: 'Replace', path: 'emails[type eq "work"].value', value: 'x@y.com' });
      expect(res.status).toBe(200);
      expect(res.body.emails).toEqual([{ type: 'work', value: 'x@y.com' }]);
      const found = await s.get(`/Users?${query('emails[type eq "work"].value eq "x@y.com"')}`);
      expect(found.body.Resources.map((r: ScimUser) => r.id)).toEqual([user.id]);
    });

    it('case 32, 33: Add of nickName, as "Add" (old dialect) and as "add" (flag dialect)', async () => {
      const user = await newUser();
      const first = await patch(user.id, { op: 'Add', path: 'nickName', value: 'Babs' });
      expect(first.status).toBe(200);
      expect(first.body.nickName).toBe('Babs');
      const second = await patch(user.id, { op: 'add', path: 'nickName', value: 'Barbara' });
      expect(second.status).toBe(200);
      expect(second.body.nickName).toBe('Barbara');
      expect((await read(user.id)).nickName).toBe('Barbara');
    });

    it('case 34: Entra disables Alice with the string "False"; she still comes back from a userName query with active false', async () => {
      const user = await newUser();
      const res = await patch(user.id, { op: 'Replace', path: 'active', value: 'False' });
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
      const found = await findByUserName(user.userName);
      expect(found.Resources).toEqual([expect.objectContaining({ id: user.id, active: false })]);
      for (const [value, expected] of [
        ['True', true],
        ['false', false],
        ['true', true],
      ] as const) {
        const next = await patch(user.id, { op: 'Replace', path: 'active', value });
        expect({ value, status: next.status, active: next.body.active }).toEqual({
          value,
          status: 200,
          active: expected,
        });
      }
    });

    it('case 34, 30: a path-less value disables with "False" and re-enables with "True"', async () => {
      const user = await newUser();
      const off = await patch(user.id, { op: 'Replace', value: { active: 'False' } });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      const on = await patch(user.id, { op: 'replace', value: { active: 'True', displayName: 'Back' } });
      expect(on.body).toEqual(expect.objectContaining({ active: true, displayName: 'Back' }));
    });

    it('case 35: the flag dialect disables with a real boolean and a lower-case op', async () => {
      const user = await newUser();
      const res = await patch(user.id, { op: 'replace', path: 'active', value: false });
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
    });

    it('case 37: op names are case-insensitive: ADD, Replace, REMOVE', async () => {
      const user = await newUser();
      const res = await patch(
        user.id,
        { op: 'ADD', path: 'title', value: 'Boss' },
        { op: 'rEpLaCe', path: 'nickName', value: 'B' },
        { op: 'REMOVE', path: 'displayName' },
      );
      expect(res.status).toBe(200);
      expect(res.body.title).toBe('Boss');
      expect(res.body.nickName).toBe('B');
      expect(res.body).not.toHaveProperty('displayName');
    });

    it('case 38: Add with a filtered path creates the typed phone and address entries, then updates them', async () => {
      const user = await newUser();
      const res = await patch(
        user.id,
        { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '312-320-1707' },
        { op: 'Add', path: 'addresses[type eq "work"].postalCode', value: '98052' },
        { op: 'Add', path: 'addresses[type eq "work"].streetAddress', value: '1 Microsoft Way' },
        { op: 'Add', path: 'phoneNumbers[type eq "fax"].value', value: '312-320-0000' },
      );
      expect(res.status).toBe(200);
      expect(res.body.phoneNumbers).toEqual([
        { type: 'mobile', value: '312-320-1707' },
        { type: 'fax', value: '312-320-0000' },
      ]);
      expect(res.body.addresses).toEqual([{ type: 'work', postalCode: '98052', streetAddress: '1 Microsoft Way' }]);
      const again = await patch(user.id, { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 312' });
      expect(again.body.phoneNumbers).toEqual([
        { type: 'mobile', value: '+1 312' },
        { type: 'fax', value: '312-320-0000' },
      ]);
    });

    it('case 38: sub-attribute names in paths are case-insensitive (the mapping table writes .Formatted, .Value)', async () => {
      const user = await newUser();
      const res = await patch(
        user.id,
        { op: 'Add', path: 'addresses[type eq "other"].Formatted', value: 'Building 4' },
        { op: 'Add', path: 'emails[type eq "other"].Value', value: 'proxy@contoso.com' },
      );
      expect(res.status).toBe(200);
      expect(res.body.addresses).toEqual([{ type: 'other', formatted: 'Building 4' }]);
      expect(res.body.emails).toEqual([
        { type: 'work', value: user.emails[0].value, primary: true },
        { type: 'other', value: 'proxy@contoso.com' },
      ]);
    });

    it('case 39: Remove with a filter path removes the entry, or only the sub-value', async () => {
      const user = await newUser({
        phoneNumbers: [
          { type: 'fax', value: '1' },
          { type: 'mobile', value: '2' },
          { type: 'work', value: '3' },
        ],
      });
      const res = await patch(user.id, { op: 'Remove', path: 'phoneNumbers[type eq "fax"]' });
      expect(res.status).toBe(200);
      expect(res.body.phoneNumbers).toEqual([
        { type: 'mobile', value: '2' },
        { type: 'work', value: '3' },
      ]);
      const sub = await patch(user.id, { op: 'Remove', path: 'phoneNumbers[type eq "mobile"].value' });
      expect(sub.status).toBe(200);
      expect(sub.body.phoneNumbers).toEqual([{ type: 'mobile' }, { type: 'work', value: '3' }]);
    });

    it('removing the work email through its filter path empties the email filter match', async () => {
      const user = await newUser();
      const res = await patch(user.id, { op: 'Remove', path: 'emails[type eq "work"]' });
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('emails');
      const found = await s.get(`/Users?${query(`emails.value eq "${user.emails[0].value}"`)}`);
      expect(found.body.totalResults).toBe(0);
    });

    it('a PATCH that changes nothing answers the user as it was, same version', async () => {
      const user = await newUser();
      const res = await patch(user.id, { op: 'Replace', path: 'displayName', value: user.displayName });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(user);
    });

    it('PATCH of an unknown id is 404', async () => {
      expectScimError(
        await patch('00000000-0000-4000-8000-000000000000', { op: 'Add', path: 'title', value: 'x' }),
        404,
      );
    });
  });

  describe('active and memberships', () => {
    it('active false keeps group memberships and ends nothing Entra still counts; active true restores access', async () => {
      const user = await newUser();
      const group = await createGroup(s, 'keepers', [user.id]);
      const internal = (await internalUserId(s, user.id))!;
      const groupsBefore = await groupNamesOf(s, internal);
      expect(groupsBefore).toContain('keepers');
      await patch(user.id, { op: 'Replace', path: 'active', value: 'False' }).expect(200);
      expect(await groupNamesOf(s, internal)).toEqual(groupsBefore);
      const g = await s.get(`/Groups/${group.id}`).expect(200);
      expect(g.body.members.map((m: { value: string }) => m.value)).toEqual([user.id]);
      await patch(user.id, { op: 'Replace', path: 'active', value: 'True' }).expect(200);
      expect(await groupNamesOf(s, internal)).toEqual(groupsBefore);
    });
  });

  describe('atomicity (RFC 7644 §3.5.2: all operations or none)', () => {
    it('a PATCH whose second operation is invalid leaves the first unapplied', async () => {
      const user = await newUser();
      const before = await databaseSnapshot(s);
      const res = await patch(
        user.id,
        { op: 'Replace', path: 'displayName', value: 'Changed' },
        { op: 'Replace', path: 'id', value: 'x' },
      );
      expectScimError(res, 400, 'mutability');
      expect(await databaseSnapshot(s)).toEqual(before);
      expect(await read(user.id)).toEqual(user);
    });

    it('a PATCH whose second operation finds no target leaves the first unapplied', async () => {
      const user = await newUser();
      const before = await databaseSnapshot(s);
      const res = await patch(
        user.id,
        { op: 'Replace', path: 'displayName', value: 'Changed' },
        { op: 'Replace', path: 'emails[value co "nobody"].type', value: 'home' },
      );
      expectScimError(res, 400, 'noTarget');
      expect(await databaseSnapshot(s)).toEqual(before);
    });

    it('a PATCH whose second operation collides with another userName leaves the first unapplied', async () => {
      const taken = await newUser();
      const user = await newUser();
      const before = await databaseSnapshot(s);
      const res = await patch(
        user.id,
        { op: 'Replace', path: 'displayName', value: 'Changed' },
        { op: 'Replace', path: 'active', value: false },
        { op: 'Replace', path: 'userName', value: taken.userName },
      );
      expectScimError(res, 409, 'uniqueness');
      expect(await databaseSnapshot(s)).toEqual(before);
      expect(await read(user.id)).toEqual(user);
    });

    it('a PATCH that would leave userName empty is 400 and changes nothing', async () => {
      const user = await newUser();
      const before = await databaseSnapshot(s);
      const res = await patch(
        user.id,
        { op: 'Replace', path: 'displayName', value: 'Changed' },
        { op: 'Remove', path: 'userName' },
      );
      expect(res.status).toBe(400);
      expect(res.body.scimType).toMatch(/^(invalidValue|mutability)$/);
      expect(await databaseSnapshot(s)).toEqual(before);
    });
  });

  describe('concurrent PATCH requests to one user', () => {
    it('ten parallel PATCHes each adding its own phone number: none is lost, the version counts them all', async () => {
      const user = await newUser();
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          patch(user.id, { op: 'Add', path: `phoneNumbers[type eq "line-${i}"].value`, value: `555-000${i}` }),
        ),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
      const stored = await read(user.id);
      expect(stored.phoneNumbers).toHaveLength(10);
      expect(new Set(stored.phoneNumbers.map((p: { type: string }) => p.type)).size).toBe(10);
      expect(stored.meta.version).toBe('W/"11"');
    });
  });

  describe('refused PATCH requests (cases 65–68)', () => {
    let user: ScimUser;
    let before: Record<string, unknown[]>;
    beforeAll(async () => {
      user = await newUser();
    });
    beforeEach(async () => {
      before = await databaseSnapshot(s);
    });
    afterEach(async () => {
      expect(await databaseSnapshot(s)).toEqual(before);
    });

    it('case 65: a path with a broken filter is 400 invalidPath', async () => {
      expectScimError(
        await patch(user.id, { op: 'replace', path: 'emails[type eq ]', value: 'x' }),
        400,
        'invalidPath',
      );
    });

    it('case 65: a malformed or hostile path is 400 invalidPath', async () => {
      for (const path of ['name.givenName.foo', '__proto__', 'constructor.prototype.isAdmin', 'userName.x', 'urn:']) {
        expectScimError(await patch(user.id, { op: 'replace', path, value: 'x' }), 400, 'invalidPath');
      }
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });

    it('case 65: a well-formed path the schema does not declare is ignored, as POST and PUT ignore it', async () => {
      const before = await s.get(`/Users/${user.id}`);
      for (const path of ['doesNotExist', 'urn:x:y:z', 'name.nickname']) {
        const res = await patch(user.id, { op: 'replace', path, value: 'x' });
        expect(res.status).toBe(200);
        expect(res.body).toEqual(before.body);
      }
    });

    it('case 66: remove without a path is 400 noTarget', async () => {
      expectScimError(await patch(user.id, { op: 'remove' }), 400, 'noTarget');
    });

    it('case 67: replacing id or meta.created is 400 mutability', async () => {
      expectScimError(await patch(user.id, { op: 'replace', path: 'id', value: 'x' }), 400, 'mutability');
      expectScimError(
        await patch(user.id, { op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' }),
        400,
        'mutability',
      );
      expectScimError(await patch(user.id, { op: 'add', path: 'groups', value: [{ value: 'g' }] }), 400, 'mutability');
    });

    it('case 68: an unknown op is 400 invalidSyntax', async () => {
      expectScimError(await patch(user.id, { op: 'frobnicate', path: 'title', value: 'x' }), 400, 'invalidSyntax');
    });

    it('case 68: a value of the wrong type is 400 invalidValue', async () => {
      expectScimError(await patch(user.id, { op: 'replace', path: 'active', value: 'maybe' }), 400, 'invalidValue');
      expectScimError(await patch(user.id, { op: 'replace', path: 'nickName', value: 42 }), 400, 'invalidValue');
      expectScimError(await patch(user.id, { op: 'replace', path: 'name', value: 'a string' }), 400, 'invalidValue');
    });

    it('a PatchOp body without its schema or without operations is 400 invalidSyntax', async () => {
      expectScimError(
        await s.patch(`/Users/${user.id}`, { Operations: [{ op: 'add', path: 'title', value: 'x' }] }),
        400,
        'invalidSyntax',
      );
      expectScimError(
        await s.patch(`/Users/${user.id}`, { schemas: [URN.PATCH_OP], Operations: [] }),
        400,
        'invalidSyntax',
      );
    });
  });
});
