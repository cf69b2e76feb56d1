import { randomUUID } from 'node:crypto';
import { GroupMembershipEntity } from '@nest-scim/identity';
import { testDialects } from '@nest-scim/persistence/testing';
import { MEMBER_PAGE } from '@nest-scim/provisioning';
import { SCIM_GROUP_STORE, ScimResourceStore } from '@nest-scim/scim';
import { productGroupId } from '../support/scim-links';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import { recordStatements } from '../support/sql-statements';
import {
  createGroup,
  createUsers,
  filterQuery,
  insertScimUsers,
  patchBody,
  sorted,
  withoutOrigin,
} from '../support/scim-groups.fixtures';

/** Several pages of members, and an answer far longer than the part the server keeps before streaming. */
const LARGE_GROUP_SIZE = 4 * MEMBER_PAGE + 321;
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
type Member = { value: string; $ref: string; display: string; type: string };

/**
 * A group of thousands of members is answered in pages read as the answer is written (issue 18): the same answer as
 * for a small group, streamed, with no statement reading more than one page of members.
 */
describe.each(testDialects())('SCIM /Groups with thousands of members (%s)', (dialect) => {
  let s: ScimTestServer;
  let large: { id: string; displayName: string };
  let small: { id: string };
  let memberIds: string[];
  /** SCIM id → display name of the bulk users. */
  const displayOf = new Map<string, string>();

  beforeAll(async () => {
    s = await startScimServer(dialect);
    const [first] = await createUsers(s, 1, 'large');
    small = await createGroup(s, `small ${randomUUID()}`, { members: [{ value: first.id }] });
    large = await createGroup(s, `large ${randomUUID()}`, { members: [{ value: first.id }] });
    const groupId = await productGroupId(s.dataSource, large.id);
    const users = await insertScimUsers(s.dataSource, LARGE_GROUP_SIZE - 1, 'bulk');
    const now = new Date();
    for (let i = 0; i < users.length; i += 400) {
      await s.dataSource.manager.insert(
        GroupMembershipEntity,
        users.slice(i, i + 400).map((u) => ({ groupId, userId: u.userId, createdAt: now })),
      );
    }
    memberIds = [first.id, ...users.map((u) => u.scimId)];
    users.forEach((u, i) => displayOf.set(u.scimId, `bulk ${i}`));
    displayOf.set(first.id, (await s.get(`/Users/${first.id}`).expect(200)).body.displayName ?? first.userName);
  }, 120_000);
  afterAll(() => s.close());

  /** Every member once, each with its value, $ref, display and type, as for any group. */
  function expectAllMembers(group: { members: Member[]; meta: { location: string } }) {
    const members = group.members;
    expect(members).toHaveLength(LARGE_GROUP_SIZE);
    expect(sorted(members.map((m) => m.value))).toEqual(sorted(memberIds));
    const base = group.meta.location.replace(/\/Groups\/[^/]+$/, '');
    for (const member of members) {
      expect(member).toEqual({
        value: member.value,
        $ref: `${base}/Users/${member.value}`,
        display: displayOf.get(member.value),
        type: 'User',
      });
    }
  }

  /** The most rows any read of the membership table returned while `send` ran. */
  async function largestMemberRead(send: () => PromiseLike<{ status: number }>) {
    const { result, statements } = await recordStatements(s.dataSource, async () => send());
    const reads = statements.filter((st) => /group_members/.test(st.sql) && !/gp\.permission/.test(st.sql));
    return { result, reads: reads.length, largest: Math.max(0, ...reads.map((st) => st.rows ?? 0)) };
  }

  it('GET /Groups/{id} streams every member, reading at most one page per statement', async () => {
    const { result, largest } = await largestMemberRead(() => s.get(`/Groups/${large.id}`));
    const res = result as unknown as { status: number; headers: Record<string, string>; text: string; body: any };
    expect(res.status).toBe(200);
    expect(largest).toBe(MEMBER_PAGE);
    // Streamed: no Content-Length, chunked; the bytes are what JSON.stringify writes of the same object.
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(res.text).toBe(JSON.stringify(res.body));
    expect(res.headers.etag).toBe(res.body.meta.version);
    expectAllMembers(res.body);
    // The same attributes, in the same order, as a small group's answer (sent whole).
    const smallAnswer = await s.get(`/Groups/${small.id}`).expect(200);
    expect(smallAnswer.headers['content-length']).toBeDefined();
    expect(Object.keys(res.body)).toEqual(Object.keys(smallAnswer.body));
    expect(Object.keys(res.body.members[0])).toEqual(Object.keys(smallAnswer.body.members[0]));
    // One order on every read.
    const again = await s.get(`/Groups/${large.id}`).expect(200);
    expect(again.body.members.map((m: Member) => m.value)).toEqual(res.body.members.map((m: Member) => m.value));
  });

  it('honours attributes and excludedAttributes on each member', async () => {
    const values = await s.get(`/Groups/${large.id}?attributes=members.value,displayName`).expect(200);
    expect(Object.keys(values.body).sort()).toEqual(['displayName', 'id', 'members', 'schemas']);
    expect(values.body.members).toHaveLength(LARGE_GROUP_SIZE);
    expect(values.body.members.every((m: object) => Object.keys(m).join() === 'value')).toBe(true);

    const withoutRef = await s.get(`/Groups/${large.id}?excludedAttributes=members.$ref,meta`).expect(200);
    expect(withoutRef.body.meta).toBeUndefined();
    expect(withoutRef.body.members).toHaveLength(LARGE_GROUP_SIZE);
    expect(withoutRef.body.members.every((m: object) => Object.keys(m).join() === 'value,display,type')).toBe(true);
  });

  it('with excludedAttributes=members reads no member at all and answers at once', async () => {
    const { result, reads } = await largestMemberRead(() => s.get(`/Groups/${large.id}?excludedAttributes=members`));
    const res = result as unknown as { status: number; headers: Record<string, string>; body: any };
    expect(res.status).toBe(200);
    expect(reads).toBe(0);
    expect(res.body.members).toBeUndefined();
    expect(res.body.displayName).toBe(large.displayName);
    expect(res.headers['content-length']).toBeDefined();
  });

  it('answers 304 to If-None-Match with its ETag, without reading members', async () => {
    const etag = (await s.get(`/Groups/${large.id}?excludedAttributes=members`).expect(200)).headers.etag;
    const { result, reads } = await largestMemberRead(() => s.get(`/Groups/${large.id}`).set('If-None-Match', etag));
    expect(result.status).toBe(304);
    expect(reads).toBe(0);
  });

  it('a list, GET or POST .search, streams the large group among the others', async () => {
    const filter = `displayName eq "${large.displayName}" or displayName eq "${(await s.get(`/Groups/${small.id}`)).body.displayName}"`;
    const { result, largest } = await largestMemberRead(() => s.get(`/Groups?${filterQuery(filter)}`));
    const list = result as unknown as { status: number; headers: Record<string, string>; text: string; body: any };
    expect(list.status).toBe(200);
    expect(largest).toBe(MEMBER_PAGE);
    expect(list.headers['content-length']).toBeUndefined();
    expect(list.text).toBe(JSON.stringify(list.body));
    expect(list.body).toMatchObject({ totalResults: 2, itemsPerPage: 2, startIndex: 1 });
    const byId = new Map(list.body.Resources.map((r: { id: string }) => [r.id, r]));
    expectAllMembers(byId.get(large.id) as { members: Member[]; meta: { location: string } });
    expect((byId.get(small.id) as { members: Member[] }).members).toHaveLength(1);

    const searched = await s.post('/Groups/.search', { schemas: [SEARCH], filter }).expect(200);
    expect(withoutOrigin(searched.body)).toEqual(withoutOrigin(list.body));
    const root = await s
      .post('/.search', { schemas: [SEARCH], filter: `displayName eq "${large.displayName}"` })
      .expect(200);
    expect(root.body.Resources).toHaveLength(1);
    expect(withoutOrigin(root.body.Resources[0])).toEqual(withoutOrigin(byId.get(large.id)));
  });

  it('a page read after the group changed fails the answer rather than mixing two versions', async () => {
    const store = s.app.get<ScimResourceStore>(SCIM_GROUP_STORE);
    const context = {
      principal: { userId: s.adminUserId, login: 'admin' },
      baseUrl: 'https://scim.example/api/scim/v2',
      withMembers: true,
    };
    const stored = await store.get(large.id, context);
    const pages = stored!.paged!.pages()[Symbol.asyncIterator]();
    expect((await pages.next()).value).toHaveLength(MEMBER_PAGE);
    expect((await pages.next()).value).toHaveLength(MEMBER_PAGE);
    const externalId = `moved ${randomUUID()}`;
    await s
      .patch(`/Groups/${large.id}`, patchBody({ op: 'replace', path: 'externalId', value: externalId }))
      .expect(204);
    await expect(pages.next()).rejects.toMatchObject({ status: 503, headers: { 'Retry-After': '1' } });
    // A read that starts now is whole, at the new version.
    const res = await s.get(`/Groups/${large.id}`).expect(200);
    expect(res.body.externalId).toBe(externalId);
    expect(res.body.members).toHaveLength(LARGE_GROUP_SIZE);
    expect(res.headers.etag).toBe(res.body.meta.version);
  });

  it('a list that shows no members answers whole', async () => {
    const res = await s
      .get(`/Groups?${filterQuery(`displayName eq "${large.displayName}"`)}&excludedAttributes=members`)
      .expect(200);
    expect(res.headers['content-length']).toBeDefined();
    expect(res.body.Resources[0].members).toBeUndefined();
  });
});
