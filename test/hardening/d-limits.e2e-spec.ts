import { MembershipService } from '@nest-scim/identity';
import { productGroupId, productUserIds } from '../support/scim-links';
import { limitOf } from '../support/sql-statements';
import { testDialects } from '@nest-scim/persistence/testing';
import {
  createGroup,
  createUser,
  expectNothingChanged,
  expectScimError,
  filterQuery,
  patchOps,
  rawRequest,
  SCIM,
  ScimTestServer,
  sendRaw,
  startHardenedServer,
  statementsDuring,
  URN,
  userBody,
} from './hardening-support';

/** Limits as an operator sets them; each is the lowest the configuration accepts, so the tests stay small. */
const LIMITS = {
  SCIM_MAX_BODY_BYTES: '65536',
  SCIM_MAX_FILTER_LENGTH: '1024',
  SCIM_MAX_FILTER_DEPTH: '4',
  SCIM_MAX_PATCH_OPERATIONS: '50',
  SCIM_MAX_MEMBERS_PER_OPERATION: '100',
  SCIM_MAX_RESULTS: '10',
};

/*
 * Security cases, part D (resource exhaustion), and the limits read from the environment: each is
 * enforced at the configured value, before any write, and shown in /ServiceProviderConfig where SCIM has a field
 * (filter.maxResults; bulk stays 0 while /Bulk is unsupported). That the defaults sit above what Entra sends is in
 * c-input.e2e-spec.ts ("Entra-sized requests pass under the default limits").
 */
describe.each(testDialects())('limits from the environment, and security cases D (%s)', (dialect) => {
  let s: ScimTestServer;
  let users: { id: string }[];
  let group: { id: string };

  beforeAll(async () => {
    s = await startHardenedServer(dialect, { env: LIMITS });
    users = [];
    for (let i = 0; i < 12; i++) users.push(await createUser(s, `d-user-${String(i).padStart(2, '0')}@contoso.com`));
    group = await createGroup(s, 'd-group');
  });
  afterAll(() => s.close());

  it('/ServiceProviderConfig shows the configured filter.maxResults; bulk is unsupported with zero limits', async () => {
    const res = await s.get('/ServiceProviderConfig').expect(200);
    expect(res.body.filter).toEqual({ supported: true, maxResults: 10 });
    expect(res.body.bulk).toEqual({ supported: false, maxOperations: 0, maxPayloadSize: 0 });
  });

  it('body size: one byte over the configured limit is 413, under it is served', async () => {
    const padding = (n: number) => JSON.stringify({ ...userBody('d-body@contoso.com'), ignored: 'x'.repeat(n) });
    const base = padding(0).length;
    await expectNothingChanged(s.dataSource, async () => {
      const over = await sendRaw(s, 'POST', '/Users', padding(65536 - base + 1));
      expect(over.status).toBe(413);
      expect(over.body).toMatchObject({ schemas: [URN.ERROR], status: '413' });
    });
    const under = await sendRaw(s, 'POST', '/Users', padding(65536 - base));
    expect(under.status).toBe(201);
  });

  it('filter length and depth: at the limit served, one over is 400 invalidFilter, decided while parsing', async () => {
    const prefix = 'userName eq "';
    const atLength = `${prefix}${'a'.repeat(1024 - prefix.length - 1)}"`;
    expect(atLength.length).toBe(1024);
    expect((await s.get(`/Users?${filterQuery(atLength)}`)).status).toBe(200);
    expectScimError(await s.get(`/Users?${filterQuery(`${atLength} `)}`), 400, 'invalidFilter');
    const nested = (depth: number) => `${'('.repeat(depth)}userName eq "d-user-00@contoso.com"${')'.repeat(depth)}`;
    const ok = await s.get(`/Users?${filterQuery(nested(4))}`);
    expect(ok.status).toBe(200);
    expect(ok.body.totalResults).toBe(1);
    expectScimError(await s.get(`/Users?${filterQuery(nested(5))}`), 400, 'invalidFilter');
    // The PATCH path's value filter shares the parser and its own, smaller depth cap.
    expectScimError(
      await s.patch(
        `/Groups/${group.id}`,
        patchOps({ op: 'remove', path: `members[${nested(20).replace('userName', 'value')}]` }),
      ),
      400,
      ['invalidPath', 'invalidFilter'],
    );
  });

  it('D.27: PATCH operations: the configured number is served, one more is 400 tooMany before any write', async () => {
    const ops = (n: number) => Array.from({ length: n }, (_, i) => ({ op: 'replace', path: 'title', value: `t${i}` }));
    expect((await s.patch(`/Users/${users[0].id}`, patchOps(...ops(50)))).status).toBe(200);
    await expectNothingChanged(s.dataSource, async () => {
      expectScimError(await s.patch(`/Users/${users[0].id}`, patchOps(...ops(51))), 400, 'tooMany');
      // 50,000 operations do not even get parsed: the body is over the size limit.
      const huge = JSON.stringify(patchOps(...ops(50_000)));
      expect((await sendRaw(s, 'PATCH', `/Users/${users[0].id}`, huge)).status).toBe(413);
    });
  });

  it('D.27: members per operation or body: 100 are read, 101 are 400 tooMany in PATCH, POST and PUT, before any write', async () => {
    const fake = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ value: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }));
    await expectNothingChanged(s.dataSource, async () => {
      // At the limit the request gets as far as the member lookup (these ids do not exist).
      expectScimError(
        await s.patch(`/Groups/${group.id}`, patchOps({ op: 'add', path: 'members', value: fake(100) })),
        400,
        'invalidValue',
      );
      expectScimError(
        await s.patch(`/Groups/${group.id}`, patchOps({ op: 'add', path: 'members', value: fake(101) })),
        400,
        'tooMany',
      );
      expectScimError(
        await s.patch(`/Groups/${group.id}`, patchOps({ op: 'remove', path: 'members', value: fake(101) })),
        400,
        'tooMany',
      );
      expectScimError(
        await s.post('/Groups', { schemas: [URN.GROUP], displayName: 'd-big', members: fake(101) }),
        400,
        'tooMany',
      );
      expectScimError(
        await s.put(`/Groups/${group.id}`, { schemas: [URN.GROUP], displayName: 'd-group', members: fake(101) }),
        400,
        'tooMany',
      );
      expectScimError(await s.post('/Users', userBody('d-many@contoso.com', { emails: fake(101) })), 400, 'tooMany');
    });
    const real = await s.patch(
      `/Groups/${group.id}`,
      patchOps({ op: 'add', path: 'members', value: users.map((u) => ({ value: u.id })) }),
    );
    expect(real.status).toBe(204);
  });

  it('D.28: count is clamped to filter.maxResults, negatives and zeros are corrected, and every page is LIMITed', async () => {
    const page = async (query: string) => {
      const res = await s.get(`/Users?${query}`);
      expect(res.status).toBe(200);
      expect(res.body.schemas).toEqual([URN.LIST]);
      return res.body as { totalResults: number; startIndex: number; itemsPerPage: number; Resources: unknown[] };
    };
    const total = (await page('count=0')).totalResults;
    expect(total).toBeGreaterThanOrEqual(12);
    expect((await page('count=1000000')).Resources).toHaveLength(10);
    expect((await page('count=99999999999999999999999')).Resources).toHaveLength(10);
    expect((await page('')).Resources).toHaveLength(10);
    const negative = await page('count=-1');
    expect(negative).toMatchObject({ totalResults: total, itemsPerPage: 0, Resources: [] });
    expect((await page('startIndex=0&count=2')).startIndex).toBe(1);
    expect((await page('startIndex=-5&count=2')).startIndex).toBe(1);
    const far = await page('startIndex=99999999');
    expect(far).toMatchObject({ totalResults: total, Resources: [] });
    expect((await page(filterQuery('userName pr', 'count=1000000'))).Resources).toHaveLength(10);
    expect((await s.get('/Groups?count=1000000')).body.Resources.length).toBeLessThanOrEqual(10);

    const { statements } = await statementsDuring(s.dataSource, () =>
      s.get(`/Users?${filterQuery('userName pr')}&count=1000000`),
    );
    const reads = statements.filter((q) => /FROM\s+[`"]?scim_users/i.test(q.sql) && !/COUNT\(/i.test(q.sql));
    expect(reads.length).toBeGreaterThan(0);
    for (const q of reads) expect(limitOf(q)).toBe(10);
  });

  it('D.29: excludedAttributes=members (what Entra sends) never runs the members query', async () => {
    // The token's statement reads the caller's own memberships (its admin check); the others read a group's.
    const groupMembersReads = (sql: string[]) =>
      sql.filter((q) => !/FROM\s+[`"]user_tokens[`"]/i.test(q) && /FROM\s+[`"]group_members[`"]/i.test(q));
    const big = await createGroup(s, 'd-big-group');
    const groupId = await productGroupId(s.dataSource, big.id);
    const userIds = await productUserIds(
      s.dataSource,
      users.map((u) => u.id),
    );
    await s.app.get(MembershipService).addMembers(groupId, userIds);
    for (const path of [
      `/Groups/${big.id}?excludedAttributes=members`,
      `/Groups?${filterQuery('displayName eq "d-big-group"')}&excludedAttributes=members`,
    ]) {
      const { result, sql } = await statementsDuring(s.dataSource, () => s.get(path));
      expect(result.status).toBe(200);
      expect(JSON.stringify(result.body)).not.toContain('"members"');
      expect(groupMembersReads(sql)).toEqual([]);
    }
    const { result: full, sql } = await statementsDuring(s.dataSource, () => s.get(`/Groups/${big.id}`));
    expect(full.body.members).toHaveLength(12);
    expect(groupMembersReads(sql)).toHaveLength(1);
  });

  it('D.30: /Bulk is 501 with a SCIM error for every method, runs nothing, and is advertised as unsupported', async () => {
    await expectNothingChanged(s.dataSource, async () => {
      const body = {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [{ method: 'POST', path: '/Users', bulkId: 'a', data: userBody('d-bulk@contoso.com') }],
      };
      expectScimError(await s.post('/Bulk', body), 501);
      expectScimError(await s.get('/Bulk'), 501);
      expectScimError(await rawRequest(s, 'put', '/Bulk', JSON.stringify(body)), 501);
    });
    expect((await s.get('/ServiceProviderConfig')).body.bulk.supported).toBe(false);
    expect(SCIM).toBe('/api/scim/v2');
  });
});
