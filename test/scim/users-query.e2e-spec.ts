import { randomUUID } from 'node:crypto';
import { testDialects } from '@nest-scim/persistence/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import { createUser, expectEmptyList, expectScimError, expectScimJson, query, URN } from '../support/scim-expectations';

type ScimUser = Record<string, any>;

describe.each(testDialects())('Entra queries users (%s)', (dialect) => {
  let s: ScimTestServer;
  /** Created in this order; the list order is creation order. */
  let alice: ScimUser;
  let bob: ScimUser;
  let joy: ScimUser;
  let runscope: ScimUser;
  let manager: ScimUser;
  let reportee: ScimUser;

  const list = (params: string) => s.get(`/Users?${params}`);
  const ids = (res: { body: { Resources: ScimUser[] } }) => res.body.Resources.map((r) => r.id);

  beforeAll(async () => {
    s = await startScimServer(dialect, { env: { PUBLIC_URL: 'https://scim.contoso.test' } });
    alice = await createUser(s, 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee', {
      externalId: 'alice-ext',
      displayName: 'Alice Smith',
      name: { givenName: 'Alice', familyName: 'Smith' },
      emails: [
        { type: 'work', value: 'alice@contoso.com', primary: true },
        { type: 'home', value: 'alice@home.example' },
      ],
      [URN.ENTERPRISE]: { employeeNumber: 'E-100', department: 'R&D' },
    });
    bob = await createUser(s, 'bob@contoso.com', {
      externalId: 'bob-ext',
      displayName: 'Bob Jones',
      name: { givenName: 'Bob', familyName: 'Jones' },
      emails: [{ type: 'work', value: 'bob@contoso.com' }],
      active: false,
    });
    joy = await createUser(s, 'jyoung@testuser.com', { externalId: 'jyoung', displayName: 'Joy Young' });
    runscope = await createUser(s, 'Runscope123Abc@atko.com', {
      emails: [{ type: 'home', value: 'user@contoso.com' }],
    });
    manager = await createUser(s, 'boss@contoso.com', { externalId: 'boss' });
    reportee = await createUser(s, 'reportee@contoso.com', {
      [URN.ENTERPRISE]: { manager: { value: manager.id } },
    });
  });
  afterAll(() => s.close());

  describe('Test Connection and zero results', () => {
    it('case 1: Test Connection on a random GUID as userName answers 200 with an empty ListResponse', async () => {
      expectEmptyList(await list(query(`userName eq "${randomUUID()}"`)));
    });

    it('case 1: Test Connection on a random GUID as externalId answers the same', async () => {
      expectEmptyList(await list(query(`externalId eq "${randomUUID()}"`)));
    });

    it('case 2: Test Connection for groups (displayName, excludedAttributes=members) answers an empty ListResponse', async () => {
      expectEmptyList(await s.get(`/Groups?excludedAttributes=members&${query(`displayName eq "${randomUUID()}"`)}`));
    });

    it('the aadOptscim062020 flag Entra appends to the tenant URL is ignored', async () => {
      const res = await list(`aadOptscim062020&${query('userName eq "jyoung@testuser.com"')}`);
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual([joy.id]);
      expectEmptyList(await list(`aadOptscim062020&${query(`userName eq "${randomUUID()}"`)}`));
    });

    it('case 13: a userName nobody has is 200 with zero results, never 404', async () => {
      expectEmptyList(await list(query('userName eq "non-existent user"')));
    });
  });

  describe('matching attributes', () => {
    it('case 12: Entra finds Alice by userName: one full user in a ListResponse', async () => {
      const res = await list(query('userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"'));
      expect(res.status).toBe(200);
      expectScimJson(res);
      expect(res.body).toEqual({
        schemas: [URN.LIST],
        totalResults: 1,
        startIndex: 1,
        itemsPerPage: 1,
        Resources: [alice],
      });
    });

    it('case 14: externalId matches quoted, and unquoted as the tutorial prints it', async () => {
      for (const filter of ['externalId eq "jyoung"', 'externalId eq jyoung']) {
        const res = await list(query(filter));
        expect(res.status).toBe(200);
        expect(res.body.totalResults).toBe(1);
        expect(res.body.Resources[0]).toEqual(joy);
      }
    });

    it('case 14: externalId is case-exact', async () => {
      expectEmptyList(await list(query('externalId eq "JYOUNG"')));
    });

    it('case 15: userName matches case-insensitively', async () => {
      const res = await list(query('userName eq "RUNSCOPE123ABC@ATKO.COM"'));
      expect(res.status).toBe(200);
      expect(res.body.totalResults).toBe(1);
      expect(res.body.Resources[0].userName).toBe('Runscope123Abc@atko.com');
    });

    it('case 16: attribute names and operators are case-insensitive', async () => {
      for (const filter of [
        'UserName eq "jyoung@testuser.com"',
        'userName EQ "jyoung@testuser.com"',
        'USERNAME Eq "JYoung@TestUser.com"',
        `${URN.USER}:userName eq "jyoung@testuser.com"`,
      ]) {
        const res = await list(query(filter));
        expect({ filter, status: res.status, ids: ids(res) }).toEqual({ filter, status: 200, ids: [joy.id] });
      }
    });

    it('case 17: emails[type eq "work"].value finds the user whose work email it is, case-insensitively', async () => {
      const work = await list(query('emails[type eq "work"].value eq "ALICE@contoso.com"'));
      expect(work.status).toBe(200);
      expect(ids(work)).toEqual([alice.id]);
      // A home address is not a work address.
      expectEmptyList(await list(query('emails[type eq "work"].value eq "alice@home.example"')));
      expectEmptyList(await list(query('emails[type eq "work"].value eq "user@contoso.com"')));
      // Without the type, any email matches.
      expect(ids(await list(query('emails.value eq "user@contoso.com"')))).toEqual([runscope.id]);
      expect(ids(await list(query('emails eq "alice@home.example"')))).toEqual([alice.id]);
    });

    it('case 17: sub-attribute names in a value filter are case-insensitive, as in the mapping table', async () => {
      const res = await list(query('Emails[Type eq "work"].Value eq "alice@contoso.com"'));
      expect(ids(res)).toEqual([alice.id]);
    });

    it('a filter whose spaces are sent as "+" is read like one with %20', async () => {
      const res = await list('filter=userName+eq+%22jyoung%40testuser.com%22');
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual([joy.id]);
    });

    it('case 18: the manager check "id eq … and manager eq …" with attributes=id answers only ids, in either order', async () => {
      const expected = {
        schemas: [URN.LIST],
        totalResults: 1,
        startIndex: 1,
        itemsPerPage: 1,
        Resources: [{ id: reportee.id }],
      };
      for (const filter of [
        `id eq "${reportee.id}" and manager eq "${manager.id}"`,
        `manager eq "${manager.id}" and id eq "${reportee.id}"`,
      ]) {
        const res = await list(query(filter, 'attributes=id'));
        expect(res.status).toBe(200);
        expectScimJson(res);
        // `schemas` comes with every resource; nothing but `id` besides.
        expect({ ...res.body, Resources: res.body.Resources.map(({ schemas: _, ...r }: ScimUser) => r) }).toEqual(
          expected,
        );
      }
      const other = await list(query(`id eq "${reportee.id}" and manager eq "${alice.id}"`, 'attributes=id'));
      expectEmptyList(other);
    });

    it('filters on the enterprise extension by full URN path and on the manager value', async () => {
      expect(ids(await list(query(`${URN.ENTERPRISE}:employeeNumber eq "E-100"`)))).toEqual([alice.id]);
      expect(ids(await list(query(`${URN.ENTERPRISE}:manager.value eq "${manager.id}"`)))).toEqual([reportee.id]);
      expect(ids(await list(query(`employeeNumber eq "E-100"`)))).toEqual([alice.id]);
    });

    it('case 23: a disabled user still comes back from a userName query, with active false', async () => {
      const res = await list(query('userName eq "bob@contoso.com"'));
      expect(res.body.totalResults).toBe(1);
      expect(res.body.Resources[0]).toEqual(expect.objectContaining({ id: bob.id, active: false }));
    });
  });

  describe('the filter grammar (RFC 7644 §3.4.2.2) through HTTP', () => {
    const cases: [string, () => string[]][] = [
      ['displayName co "mit"', () => [alice.id]],
      ['displayName sw "bob"', () => [bob.id]],
      ['displayName ew "young"', () => [joy.id]],
      ['userName sw "TEST_USER"', () => [alice.id]],
      ['name.givenName eq "alice"', () => [alice.id]],
      ['name.familyName eq "Jones"', () => [bob.id]],
      ['active eq false', () => [bob.id]],
      ['externalId pr and active eq false', () => [bob.id]],
      ['not (active eq true)', () => [bob.id]],
      ['displayName ne "Alice Smith" and displayName pr', () => [bob.id, joy.id]],
      ['externalId eq "bob-ext" or externalId eq "jyoung"', () => [bob.id, joy.id]],
      ['(externalId eq "bob-ext" or externalId eq "jyoung") and active eq true', () => [joy.id]],
      ['emails[type eq "work" and value co "bob"]', () => [bob.id]],
      ['emails[type eq "home"]', () => [alice.id, runscope.id]],
      [
        'meta.created gt "2000-01-01T00:00:00Z"',
        () => [alice.id, bob.id, joy.id, runscope.id, manager.id, reportee.id],
      ],
      ['meta.lastModified lt "2000-01-01T00:00:00Z"', () => []],
    ];
    it.each(cases)('%s', async (filter, expected) => {
      const res = await list(query(filter));
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual(expected());
      expect(res.body.totalResults).toBe(expected().length);
    });

    it('injection attempts are plain values: no rows, never an error', async () => {
      for (const filter of [
        'userName eq "x\\" or 1 eq 1"',
        `userName eq "a' OR '1'='1"`,
        'displayName eq "x\\"); DROP TABLE users;--"',
        'userName sw "%"',
        'userName ew "\\\\"',
      ]) {
        const res = await list(query(filter));
        expect({ filter, status: res.status, total: res.body.totalResults }).toEqual({ filter, status: 200, total: 0 });
      }
    });

    it('LIKE wildcards match only themselves: "_" finds the one userName holding an underscore', async () => {
      expect(ids(await list(query('userName co "_"')))).toEqual([alice.id]);
      expect(ids(await list(query('userName co "%"')))).toEqual([]);
    });
  });

  describe('case 47: invalid filters are 400 invalidFilter', () => {
    it.each([
      'userName zz "x"',
      'userName eq',
      'userName eq "unterminated',
      '(userName eq "x"',
      'userName eq "x" and',
      'nickName eq "x"',
      'unknownAttribute eq "x"',
      'urn:example:unknown:2.0:User:foo eq "x"',
      'emails[type eq "work"',
      'active eq "yes"',
      'meta.created gt "not-a-date"',
      '('.repeat(200) + 'userName eq "x"' + ')'.repeat(200),
    ])('%s', async (filter) => {
      expectScimError(await list(query(filter)), 400, 'invalidFilter');
    });

    it('a filter longer than the limit is 400 invalidFilter', async () => {
      // Above the 4096-character cap, below what Node accepts as a request line.
      const long = Array.from({ length: 150 }, (_, i) => `userName eq "user-${i}@contoso.com"`).join(' or ');
      expect(long.length).toBeGreaterThan(4096);
      expectScimError(await list(query(long)), 400, 'invalidFilter');
    });

    it('a filter on password is refused without echoing the value', async () => {
      const res = await list(query('password eq "hunter2"'));
      expect([400, 403]).toContain(res.status);
      expect(JSON.stringify(res.body)).not.toContain('hunter2');
      expect(res.body.scimType).toMatch(/^(sensitive|invalidFilter)$/);
    });
  });

  describe('paging (case 45, 70)', () => {
    it('without paging parameters every user comes back in creation order', async () => {
      const res = await list('');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        expect.objectContaining({ schemas: [URN.LIST], totalResults: 6, startIndex: 1, itemsPerPage: 6 }),
      );
      expect(ids(res)).toEqual([alice.id, bob.id, joy.id, runscope.id, manager.id, reportee.id]);
    });

    it('startIndex=1&count=2 answers the first two, with the full total', async () => {
      const res = await list('startIndex=1&count=2');
      expect(res.body).toEqual({
        schemas: [URN.LIST],
        totalResults: 6,
        startIndex: 1,
        itemsPerPage: 2,
        Resources: [alice, bob],
      });
    });

    it('pages follow each other without overlap or gap', async () => {
      const seen: string[] = [];
      for (let start = 1; start <= 6; start += 4) {
        const res = await list(`startIndex=${start}&count=4`);
        expect(res.body.startIndex).toBe(start);
        expect(res.body.itemsPerPage).toBe(res.body.Resources.length);
        seen.push(...ids(res));
      }
      expect(seen).toEqual([alice.id, bob.id, joy.id, runscope.id, manager.id, reportee.id]);
    });

    it('count=0 answers only the total', async () => {
      const res = await list('count=0');
      expect(res.body).toEqual({ schemas: [URN.LIST], totalResults: 6, startIndex: 1, itemsPerPage: 0, Resources: [] });
    });

    it('startIndex below 1 is read as 1', async () => {
      for (const startIndex of ['0', '-5']) {
        const res = await list(`startIndex=${startIndex}&count=1`);
        expect(res.body).toEqual(expect.objectContaining({ startIndex: 1, itemsPerPage: 1, totalResults: 6 }));
        expect(ids(res)).toEqual([alice.id]);
      }
    });

    it('a startIndex past the end answers an empty page with the total', async () => {
      const res = await list('startIndex=99999999&count=5');
      expect(res.body).toEqual({
        schemas: [URN.LIST],
        totalResults: 6,
        startIndex: 99999999,
        itemsPerPage: 0,
        Resources: [],
      });
    });

    it('a negative count is read as 0; a count above the maximum is clamped to filter.maxResults', async () => {
      const negative = await list('count=-1');
      expect(negative.body).toEqual(expect.objectContaining({ totalResults: 6, itemsPerPage: 0, Resources: [] }));
      const spc = await s.get('/ServiceProviderConfig').expect(200);
      const huge = await list('count=1000000');
      expect(huge.status).toBe(200);
      expect(huge.body.itemsPerPage).toBe(6);
      expect(spc.body.filter.maxResults).toBeGreaterThanOrEqual(6);
    });

    it('paging composes with a filter: totalResults counts matches, not the page', async () => {
      const res = await list(query('displayName pr', 'startIndex=2&count=1'));
      expect(res.body).toEqual({
        schemas: [URN.LIST],
        totalResults: 3,
        startIndex: 2,
        itemsPerPage: 1,
        Resources: [bob],
      });
    });

    it('a count that is not a number is 400 invalidValue, not a silent default', async () => {
      expectScimError(await list('count=ten'), 400, 'invalidValue');
    });

    it('case 71: sortBy is honoured (sort.supported is true): userName descending, case-insensitively', async () => {
      const res = await list('sortBy=userName&sortOrder=descending');
      expect(res.status).toBe(200);
      // test_user…, runscope…, reportee…, jyoung…, boss…, bob…
      expect(ids(res)).toEqual([alice.id, runscope.id, reportee.id, joy.id, manager.id, bob.id]);
    });

    it('case 71: without sortBy, the usual creation order', async () => {
      expect(ids(await list(''))).toEqual([alice.id, bob.id, joy.id, runscope.id, manager.id, reportee.id]);
    });
  });

  describe('projection (case 46)', () => {
    it('attributes=userName,emails returns id, schemas, userName and emails only', async () => {
      const res = await list(query(`id eq "${alice.id}"`, 'attributes=userName,emails'));
      expect(res.body.Resources).toEqual([
        {
          schemas: [URN.USER, URN.ENTERPRISE],
          id: alice.id,
          userName: alice.userName,
          emails: alice.emails,
        },
      ]);
    });

    it('attributes works on a read by id too, with sub-attributes and URN-qualified names', async () => {
      const res = await s.get(`/Users/${alice.id}?attributes=name.givenName,${URN.ENTERPRISE}:employeeNumber`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        schemas: [URN.USER, URN.ENTERPRISE],
        id: alice.id,
        name: { givenName: 'Alice' },
        [URN.ENTERPRISE]: { employeeNumber: 'E-100' },
      });
    });

    it('excludedAttributes removes what it names but never id', async () => {
      const res = await s.get(`/Users/${alice.id}?excludedAttributes=emails,name,meta,id,${URN.ENTERPRISE}`);
      expect(res.status).toBe(200);
      const { emails: _e, name: _n, meta: _m, [URN.ENTERPRISE]: _x, ...rest } = alice;
      expect(res.body).toEqual(rest);
      expect(res.body.id).toBe(alice.id);
    });

    it('unknown attribute names select nothing and are no error', async () => {
      const res = await s.get(`/Users/${alice.id}?attributes=doesNotExist`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ schemas: [URN.USER, URN.ENTERPRISE], id: alice.id });
    });
  });
});
