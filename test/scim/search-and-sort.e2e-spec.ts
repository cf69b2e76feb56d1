import { testDialects } from '@nest-scim/persistence/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import { createGroup, createUser, expectScimError, query, URN } from '../support/scim-expectations';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
type Resource = Record<string, any>;

/** Issue 18: `POST …/.search` (RFC 7644 §3.4.3) answers as GET does; `sortBy`/`sortOrder` (§3.4.2.3). */
describe.each(testDialects())('SCIM search requests and sorting (%s)', (dialect) => {
  let s: ScimTestServer;
  /** userName → SCIM id, created in this order. */
  const ids: Record<string, string> = {};
  const groupIds: Record<string, string> = {};
  const search = (path: string, body: Record<string, unknown>) => s.post(path, { schemas: [SEARCH], ...body });
  const names = (res: { body: { Resources: Resource[] } }) => res.body.Resources.map((r) => r.userName);

  beforeAll(async () => {
    s = await startScimServer(dialect);
    // Created out of alphabetical order; displayName and externalId are left unassigned on some.
    for (const [userName, extra] of [
      ['carol@contoso.com', { displayName: 'carol', externalId: 'E3' }],
      ['Alice@contoso.com', { displayName: 'Émile', externalId: 'e1' }],
      ['bob@contoso.com', { externalId: 'E2' }],
      ['dave@contoso.com', { displayName: 'Bob' }],
    ] as const) {
      ids[userName] = (await createUser(s, userName, extra)).id;
      // Distinct millisecond timestamps on every database.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    groupIds.Ops = (await createGroup(s, 'Ops', [ids['carol@contoso.com']])).id;
    groupIds.admins = (await createGroup(s, 'admins')).id;
  });
  afterAll(() => s.close());

  describe('POST /Users/.search and /Groups/.search', () => {
    it('answers 200 with the ListResponse GET gives for the same filter, paging and attributes', async () => {
      const body = {
        filter: 'userName sw "b" or userName sw "c"',
        startIndex: 1,
        count: 1,
        attributes: ['userName', 'externalId'],
      };
      const res = await search('/Users/.search', body).expect(200);
      const get = await s
        .get(`/Users?${query(body.filter)}&startIndex=1&count=1&attributes=userName,externalId`)
        .expect(200);
      expect(res.body).toEqual(get.body);
      expect(res.body).toMatchObject({ totalResults: 2, itemsPerPage: 1, startIndex: 1 });
      expect(Object.keys(res.body.Resources[0]).sort()).toEqual(['externalId', 'id', 'schemas', 'userName']);
      expect(res.headers['content-type']).toMatch(/application\/scim\+json/);
    });

    it('takes excludedAttributes, and a comma-separated list as well as an array', async () => {
      const res = await search('/Groups/.search', {
        filter: 'displayName eq "ops"',
        excludedAttributes: 'members,meta',
      }).expect(200);
      expect(res.body.Resources).toEqual([{ schemas: [URN.GROUP], id: groupIds.Ops, displayName: 'Ops' }]);
      const withMembers = await search('/Groups/.search', { filter: 'displayName eq "Ops"' }).expect(200);
      expect(withMembers.body.Resources[0].members.map((m: Resource) => m.value)).toEqual([ids['carol@contoso.com']]);
    });

    it('refuses a body without the SearchRequest schema, or with members of the wrong type, changing nothing', async () => {
      expectScimError(await s.post('/Users/.search', { filter: 'userName pr' }), 400, 'invalidSyntax');
      expectScimError(await search('/Users/.search', { count: 'ten' }), 400, 'invalidValue');
      expectScimError(await search('/Users/.search', { filter: 42 }), 400, 'invalidValue');
      expectScimError(await search('/Users/.search', { attributes: [1] }), 400, 'invalidValue');
      expectScimError(await search('/Users/.search', { filter: 'userName eq' }), 400, 'invalidFilter');
      expectScimError(await search('/Users/.search', { sortOrder: 'up', sortBy: 'userName' }), 400, 'invalidValue');
    });

    it('POST /.search lists users, then groups, and pages through both', async () => {
      const all = await search('/.search', { filter: 'meta.created pr' }).expect(200);
      expect(all.body.totalResults).toBe(6);
      expect(all.body.Resources.map((r: Resource) => r.id)).toEqual([
        ...Object.values(ids),
        groupIds.Ops,
        groupIds.admins,
      ]);
      const window = await search('/.search', { filter: 'meta.created pr', startIndex: 4, count: 2 }).expect(200);
      expect(window.body).toMatchObject({ totalResults: 6, startIndex: 4, itemsPerPage: 2 });
      expect(window.body.Resources.map((r: Resource) => r.id)).toEqual([ids['dave@contoso.com'], groupIds.Ops]);
      const groupsOnly = await search('/.search', { filter: 'meta.created pr', startIndex: 6 }).expect(200);
      expect(groupsOnly.body.Resources.map((r: Resource) => r.id)).toEqual([groupIds.admins]);
      const counted = await search('/.search', { count: 0 }).expect(200);
      expect(counted.body).toMatchObject({ totalResults: 6, Resources: [] });
    });

    it('POST /.search with an attribute only one type has matches that type alone', async () => {
      const res = await search('/.search', { filter: 'userName eq "bob@contoso.com"' }).expect(200);
      expect(res.body.Resources.map((r: Resource) => r.id)).toEqual([ids['bob@contoso.com']]);
      const groups = await search('/.search', { filter: 'members eq "nobody"' }).expect(200);
      expect(groups.body.totalResults).toBe(0);
      expectScimError(await search('/.search', { filter: 'nickName eq "x"' }), 400, 'invalidFilter');
      expectScimError(await search('/.search', { sortBy: 'meta.created' }), 400, 'invalidValue');
    });
  });

  describe('sortBy and sortOrder', () => {
    const sorted = async (params: string) => names(await s.get(`/Users?${params}`).expect(200));

    it('sorts by userName case-insensitively, ascending by default', async () => {
      expect(await sorted('sortBy=userName')).toEqual([
        'Alice@contoso.com',
        'bob@contoso.com',
        'carol@contoso.com',
        'dave@contoso.com',
      ]);
      expect(await sorted('sortBy=userName&sortOrder=descending')).toEqual([
        'dave@contoso.com',
        'carol@contoso.com',
        'bob@contoso.com',
        'Alice@contoso.com',
      ]);
    });

    it('puts unassigned values last when ascending and first when descending', async () => {
      // displayName: "Bob" (dave), "carol" (carol), "Émile" (Alice; é sorts after the ASCII letters), none (bob).
      expect(await sorted('sortBy=displayName')).toEqual([
        'dave@contoso.com',
        'carol@contoso.com',
        'Alice@contoso.com',
        'bob@contoso.com',
      ]);
      expect(await sorted('sortBy=displayName&sortOrder=descending')).toEqual([
        'bob@contoso.com',
        'Alice@contoso.com',
        'carol@contoso.com',
        'dave@contoso.com',
      ]);
      // externalId is case-exact: "E2" < "E3" < "e1", and dave has none.
      expect(await sorted('sortBy=externalId')).toEqual([
        'bob@contoso.com',
        'carol@contoso.com',
        'Alice@contoso.com',
        'dave@contoso.com',
      ]);
    });

    it('sorts by meta.created and meta.lastModified, and pages through the sorted list', async () => {
      const creation = ['carol@contoso.com', 'Alice@contoso.com', 'bob@contoso.com', 'dave@contoso.com'];
      expect(await sorted('sortBy=meta.created&sortOrder=descending')).toEqual([...creation].reverse());
      await s
        .patch(`/Users/${ids['carol@contoso.com']}`, {
          schemas: [URN.PATCH_OP],
          Operations: [{ op: 'replace', path: 'title', value: 'Lead' }],
        })
        .expect(200);
      expect(await sorted('sortBy=meta.lastModified')).toEqual([...creation.slice(1), creation[0]]);
      expect(await sorted('sortBy=urn:ietf:params:scim:schemas:core:2.0:User:userName&startIndex=2&count=2')).toEqual([
        'bob@contoso.com',
        'carol@contoso.com',
      ]);
      const searched = await search('/Users/.search', { sortBy: 'userName', sortOrder: 'descending', count: 1 });
      expect(names(searched)).toEqual(['dave@contoso.com']);
    });

    it('sorts groups by displayName case-insensitively', async () => {
      const res = await s.get('/Groups?sortBy=displayName&excludedAttributes=members').expect(200);
      expect(res.body.Resources.map((r: Resource) => r.displayName)).toEqual(['admins', 'Ops']);
    });

    it('refuses an attribute it cannot sort by with 400 invalidValue', async () => {
      for (const sortBy of ['emails', 'name.givenName', 'password', 'userName pr', 'emails[type eq "work"]', '']) {
        const res = await s.get(`/Users?sortBy=${encodeURIComponent(sortBy)}`);
        if (sortBy === '') expect(res.status).toBe(200);
        else expectScimError(res, 400, 'invalidValue');
      }
      expectScimError(await s.get('/Groups?sortBy=members'), 400, 'invalidValue');
    });

    it('ServiceProviderConfig says sorting is supported', async () => {
      const res = await s.get('/ServiceProviderConfig').expect(200);
      expect(res.body.sort).toEqual({ supported: true });
    });
  });
});
