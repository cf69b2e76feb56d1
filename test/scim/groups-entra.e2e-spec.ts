import { randomUUID } from 'node:crypto';
import { GroupsService, MembershipService } from '@nest-scim/identity';
import { productGroupId, productUserId } from '../support/scim-links';
import { testDialects } from '@nest-scim/persistence/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import {
  addMembers,
  createGroup,
  createUser,
  createUsers,
  expectScimError,
  filterQuery,
  GROUP_URN,
  LIST_URN,
  memberIdsOf,
  MS_GROUP_URN,
  patchBody,
  removeMemberByFilter,
  removeMembersByList,
  sorted,
  USER_URN,
  withoutOrigin,
} from '../support/scim-groups.fixtures';

/** /Groups as Microsoft Entra ID drives it, on both databases. */
describe.each(testDialects())('SCIM /Groups, Entra conformance (%s)', (dialect) => {
  let s: ScimTestServer;
  const unique = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    s = await startScimServer(dialect);
  });
  afterAll(() => s.close());

  // A group without members answers without `members`: an empty list and an absent attribute are the same state
  // (RFC 7643 §2.5), and Entra reads either.
  it('48: create with Microsoft’s extra schema URN answers 201, without members', async () => {
    const externalId = randomUUID();
    const displayName = unique('displayName');
    const res = await s.post('/Groups', {
      schemas: [GROUP_URN, MS_GROUP_URN],
      externalId,
      displayName,
      meta: { resourceType: 'Group' },
    });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.body).toEqual({
      schemas: [GROUP_URN],
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      externalId,
      displayName,
      meta: {
        resourceType: 'Group',
        created: expect.any(String),
        lastModified: expect.any(String),
        location: expect.stringMatching(new RegExp(`/api/scim/v2/Groups/${res.body.id}$`)),
        version: expect.any(String),
      },
    });
    expect(res.headers.location).toBe(res.body.meta.location);
    expect(res.headers.etag).toBe(res.body.meta.version);
  });

  it('48: create with an initial members list', async () => {
    const [a, b] = await createUsers(s, 2, 'initial');
    const res = await s.post('/Groups', {
      schemas: [GROUP_URN],
      displayName: unique('with members'),
      members: [{ value: a.id }, { value: b.id, $ref: null }],
    });
    expect(res.status).toBe(201);
    expect(sorted(res.body.members.map((m: { value: string }) => m.value))).toEqual(sorted([a.id, b.id]));
  });

  it('49: get with excludedAttributes=members has no members key', async () => {
    const user = await createUser(s);
    const externalId = randomUUID();
    const group = await createGroup(s, unique('get-excluded'), { externalId, members: [{ value: user.id }] });
    const res = await s.get(`/Groups/${group.id}?excludedAttributes=members`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      schemas: [GROUP_URN],
      id: group.id,
      externalId,
      displayName: group.displayName,
      meta: expect.objectContaining({ resourceType: 'Group', created: expect.any(String) }),
    });
    expect(res.body).not.toHaveProperty('members');
  });

  it('50: filter by displayName eq (Entra’s query shape), case-insensitively', async () => {
    const user = await createUser(s);
    const group = await createGroup(s, unique('Filter Me'), { members: [{ value: user.id }] });
    for (const name of [group.displayName, group.displayName.toUpperCase()]) {
      const res = await s.get(`/Groups?excludedAttributes=members&${filterQuery(`displayName eq "${name}"`)}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        schemas: [LIST_URN],
        totalResults: 1,
        startIndex: 1,
        itemsPerPage: 1,
        Resources: [
          {
            schemas: [GROUP_URN],
            id: group.id,
            displayName: group.displayName,
            meta: expect.objectContaining({ resourceType: 'Group' }),
          },
        ],
      });
    }
  });

  it('51 and Test Connection: an unknown displayName (a random GUID) is an empty ListResponse', async () => {
    for (const name of ['no such group', randomUUID()]) {
      const res = await s.get(`/Groups?excludedAttributes=members&${filterQuery(`displayName eq "${name}"`)}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        schemas: [LIST_URN],
        totalResults: 0,
        startIndex: 1,
        itemsPerPage: 0,
        Resources: [],
      });
    }
  });

  it('52: a duplicate displayName is 409 uniqueness, and so is one differing only in case', async () => {
    const name = unique('Devs');
    await createGroup(s, name);
    expectScimError(await s.post('/Groups', { schemas: [GROUP_URN], displayName: name }), 409, 'uniqueness');
    // The rule on both databases: names compare by their case-folded (NFKC, lower-case) key, so `Devs` is `devs`.
    expectScimError(
      await s.post('/Groups', { schemas: [GROUP_URN], displayName: name.toLowerCase() }),
      409,
      'uniqueness',
    );
    expectScimError(
      await s.post('/Groups', { schemas: [GROUP_URN], displayName: name.toUpperCase() }),
      409,
      'uniqueness',
    );
    const list = await s.get(`/Groups?excludedAttributes=members&${filterQuery(`displayName eq "${name}"`)}`);
    expect(list.body.totalResults).toBe(1);
  });

  it('53: rename answers 204 with no body; the new name is found and the old one is not', async () => {
    const user = await createUser(s);
    const externalId = randomUUID();
    const group = await createGroup(s, unique('before'), { externalId, members: [{ value: user.id }] });
    const renamed = `${randomUUID()}updatedDisplayName`;
    const res = await s.patch(`/Groups/${group.id}`, patchBody({ op: 'Replace', path: 'displayName', value: renamed }));
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const got = await s.get(`/Groups/${group.id}`).expect(200);
    expect(got.body).toMatchObject({
      displayName: renamed,
      externalId,
      members: [expect.objectContaining({ value: user.id })],
    });
    const byNew = await s.get(`/Groups?excludedAttributes=members&${filterQuery(`displayName eq "${renamed}"`)}`);
    expect(byNew.body.totalResults).toBe(1);
    const byOld = await s.get(
      `/Groups?excludedAttributes=members&${filterQuery(`displayName eq "${group.displayName}"`)}`,
    );
    expect(byOld.body.totalResults).toBe(0);
    // The product group is renamed too: it is the same group.
    const product = await s.app.get(GroupsService).findByName(renamed);
    expect(product).toMatchObject({ name: renamed });
  });

  it('53: replacing externalId, and renaming to a case variant of the own name', async () => {
    const group = await createGroup(s, unique('casing'), { externalId: 'old-object-id' });
    await s
      .patch(
        `/Groups/${group.id}`,
        patchBody(
          { op: 'Replace', path: 'externalId', value: 'new-object-id' },
          { op: 'Replace', path: 'displayName', value: group.displayName.toUpperCase() },
        ),
      )
      .expect(204);
    const got = await s.get(`/Groups/${group.id}?excludedAttributes=members`).expect(200);
    expect(got.body).toMatchObject({ externalId: 'new-object-id', displayName: group.displayName.toUpperCase() });
  });

  it('54: add a member with "$ref": null answers 204; adding it again is a no-op', async () => {
    const user = await createUser(s);
    const group = await createGroup(s, unique('add one'));
    const body = patchBody({ op: 'Add', path: 'members', value: [{ $ref: null, value: user.id }] });
    const res = await s.patch(`/Groups/${group.id}`, body);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await memberIdsOf(s, group.id)).toEqual([user.id]);
    await s.patch(`/Groups/${group.id}`, body).expect(204);
    expect(await memberIdsOf(s, group.id)).toEqual([user.id]);
  });

  it('55: several members per operation and several operations per request', async () => {
    const users = await createUsers(s, 6, 'several');
    const ids = users.map((u) => u.id);
    const group = await createGroup(s, unique('several'));
    await s
      .patch(
        `/Groups/${group.id}`,
        patchBody(addMembers(ids.slice(0, 3)), addMembers(ids.slice(3, 5)), {
          op: 'add',
          path: 'members',
          value: [{ value: ids[5] }, { value: ids[0] }],
        }),
      )
      .expect(204);
    expect(await memberIdsOf(s, group.id)).toEqual(sorted(ids));
  });

  it('56: remove with path "members" and a value list removes only the listed members', async () => {
    const users = await createUsers(s, 4, 'remove-list');
    const ids = users.map((u) => u.id);
    const group = await createGroup(s, unique('remove list'), { members: ids.map((value) => ({ value })) });
    const res = await s.patch(`/Groups/${group.id}`, patchBody(removeMembersByList([ids[1], ids[2]])));
    expect(res.status).toBe(204);
    expect(await memberIdsOf(s, group.id)).toEqual(sorted([ids[0], ids[3]]));
  });

  it('57: remove with a members[value eq "…"] path removes that member', async () => {
    const users = await createUsers(s, 3, 'remove-filter');
    const ids = users.map((u) => u.id);
    const group = await createGroup(s, unique('remove filter'), { members: ids.map((value) => ({ value })) });
    const res = await s.patch(`/Groups/${group.id}`, patchBody(removeMemberByFilter(ids[0])));
    expect(res.status).toBe(204);
    expect(await memberIdsOf(s, group.id)).toEqual(sorted([ids[1], ids[2]]));
  });

  it('56/57: removing a member that is not in the group, or no longer exists, is a no-op', async () => {
    const [member, outsider] = await createUsers(s, 2, 'remove-absent');
    const group = await createGroup(s, unique('remove absent'), { members: [{ value: member.id }] });
    await s
      .patch(
        `/Groups/${group.id}`,
        patchBody(removeMembersByList([outsider.id, randomUUID()]), removeMemberByFilter(randomUUID())),
      )
      .expect(204);
    expect(await memberIdsOf(s, group.id)).toEqual([member.id]);
  });

  it('54/56: a PATCH that changes nothing keeps meta.version; one that changes a member moves it', async () => {
    const [member, outsider] = await createUsers(s, 2, 'no-op');
    const group = await createGroup(s, unique('no-op'), { members: [{ value: member.id }] });
    const version = async () => (await s.get(`/Groups/${group.id}`).expect(200)).body.meta.version;
    const before = await version();
    await s.patch(`/Groups/${group.id}`, patchBody(addMembers([member.id]))).expect(204);
    await s.patch(`/Groups/${group.id}`, patchBody(removeMembersByList([outsider.id]))).expect(204);
    await s
      .patch(`/Groups/${group.id}`, patchBody({ op: 'replace', path: 'members', value: [{ value: member.id }] }))
      .expect(204);
    expect(await version()).toBe(before);
    await s.patch(`/Groups/${group.id}`, patchBody(addMembers([outsider.id]))).expect(204);
    expect(await version()).not.toBe(before);
  });

  it('59: a member’s display is its displayName, else its userName', async () => {
    const named = await createUser(s);
    const userName = `${randomUUID().slice(0, 8)}@contoso.example`;
    const unnamed = await s.post('/Users', { schemas: [USER_URN], userName, active: true }).expect(201);
    const group = await createGroup(s, unique('display'), {
      members: [{ value: named.id }, { value: unnamed.body.id }],
    });
    const got = await s.get(`/Groups/${group.id}`).expect(200);
    const displays = Object.fromEntries(
      got.body.members.map((m: { value: string; display: string }) => [m.value, m.display]),
    );
    expect(displays).toEqual({ [named.id]: named.displayName, [unnamed.body.id]: userName });
  });

  it('58: remove with path "members" and no value removes every member', async () => {
    const users = await createUsers(s, 3, 'remove-all');
    const group = await createGroup(s, unique('remove all'), { members: users.map((u) => ({ value: u.id })) });
    const res = await s.patch(`/Groups/${group.id}`, patchBody({ op: 'Remove', path: 'members' }));
    expect(res.status).toBe(204);
    const got = await s.get(`/Groups/${group.id}`).expect(200);
    expect(got.body).not.toHaveProperty('members');
    // The users themselves stay.
    for (const user of users) await s.get(`/Users/${user.id}`).expect(200);
  });

  it('replace members sets exactly the given members', async () => {
    const users = await createUsers(s, 4, 'replace');
    const ids = users.map((u) => u.id);
    const group = await createGroup(s, unique('replace'), { members: [{ value: ids[0] }, { value: ids[1] }] });
    await s
      .patch(
        `/Groups/${group.id}`,
        patchBody({ op: 'Replace', path: 'members', value: [{ value: ids[1] }, { value: ids[2] }, { value: ids[3] }] }),
      )
      .expect(204);
    expect(await memberIdsOf(s, group.id)).toEqual(sorted([ids[1], ids[2], ids[3]]));
  });

  it('59: members are returned with value, $ref to the user and display', async () => {
    const [a, b] = await createUsers(s, 2, 'verify');
    const group = await createGroup(s, unique('verify'));
    await s.patch(`/Groups/${group.id}`, patchBody(addMembers([a.id, b.id]))).expect(204);
    const got = await s.get(`/Groups/${group.id}`).expect(200);
    const expected = [a, b]
      .sort((x, y) => (x.id < y.id ? -1 : 1))
      .map((u) => ({
        value: u.id,
        $ref: expect.stringMatching(new RegExp(`^https?://[^/]+/api/scim/v2/Users/${u.id}$`)),
        display: u.displayName,
        type: 'User',
      }));
    expect([...got.body.members].sort((x, y) => (x.value < y.value ? -1 : 1))).toEqual(expected);
    // The $ref leads to the member.
    const ref = new URL(got.body.members[0].$ref);
    const user = await s.get(ref.pathname.replace('/api/scim/v2', '')).expect(200);
    expect(user.body.id).toBe(got.body.members[0].value);
  });

  describe('60: an unknown member is 400 invalidValue and nothing changes', () => {
    it('a non-existent id, alone or among valid ones', async () => {
      const [member, newcomer] = await createUsers(s, 2, 'unknown-member');
      const group = await createGroup(s, unique('unknown member'), { members: [{ value: member.id }] });
      const before = await s.get(`/Groups/${group.id}`).expect(200);
      expectScimError(
        await s.patch(`/Groups/${group.id}`, patchBody(addMembers(['does-not-exist']))),
        400,
        'invalidValue',
      );
      expectScimError(
        await s.patch(`/Groups/${group.id}`, patchBody(addMembers([newcomer.id, randomUUID()]))),
        400,
        'invalidValue',
      );
      // A valid op before the bad one is rolled back with it.
      expectScimError(
        await s.patch(
          `/Groups/${group.id}`,
          patchBody(removeMembersByList([member.id]), addMembers([newcomer.id]), addMembers(['does-not-exist'])),
        ),
        400,
        'invalidValue',
      );
      const after = await s.get(`/Groups/${group.id}`).expect(200);
      expect(withoutOrigin(after.body)).toEqual(withoutOrigin(before.body));
    });

    it('the error counts the unknown members, whatever else the PATCH adds; members named again change nothing', async () => {
      const [member, newcomer, other] = await createUsers(s, 3, 'counted-unknown');
      const group = await createGroup(s, unique('counted unknown'), { members: [{ value: member.id }] });
      const before = await s.get(`/Groups/${group.id}`).expect(200);
      const refused = async (ids: string[], detail: string) => {
        const res = await s.patch(`/Groups/${group.id}`, patchBody(addMembers(ids)));
        expectScimError(res, 400, 'invalidValue');
        expect(res.body.detail).toBe(detail);
      };
      // Beside a member already in the group, a new one, or the same unknown id twice.
      await refused([member.id, 'does-not-exist'], 'A member does not exist');
      await refused([newcomer.id, 'does-not-exist', 'does-not-exist'], 'A member does not exist');
      await refused([newcomer.id, randomUUID(), member.id, randomUUID()], '2 members do not exist');
      // A product account without a SCIM resource is unknown to SCIM.
      await refused([s.adminUserId, newcomer.id], 'A member does not exist');
      const after = await s.get(`/Groups/${group.id}`).expect(200);
      expect(withoutOrigin(after.body)).toEqual(withoutOrigin(before.body));
      const memberships = s.app.get(MembershipService);
      const groupId = await productGroupId(s.dataSource, group.id);
      expect((await memberships.listMembers(groupId)).total).toBe(1);

      // Adding members already in the group (and naming one twice) is a no-op: same version, same members.
      await s.patch(`/Groups/${group.id}`, patchBody(addMembers([member.id, member.id]))).expect(204);
      expect(withoutOrigin((await s.get(`/Groups/${group.id}`).expect(200)).body)).toEqual(withoutOrigin(after.body));
      // One new beside one already there, one named twice: both added once, the version moves once.
      await s.patch(`/Groups/${group.id}`, patchBody(addMembers([member.id, newcomer.id, newcomer.id]))).expect(204);
      await s.patch(`/Groups/${group.id}`, patchBody(addMembers([other.id]))).expect(204);
      const last = await s.get(`/Groups/${group.id}`).expect(200);
      expect(last.body.meta.version).toBe(`W/"${Number(/\d+/.exec(before.body.meta.version)![0]) + 2}"`);
      expect(await memberIdsOf(s, group.id)).toEqual(sorted([member.id, newcomer.id, other.id]));
    });

    it('a rename in the same PATCH is not applied', async () => {
      const member = await createUser(s);
      const group = await createGroup(s, unique('atomic'), { externalId: 'ext-1', members: [{ value: member.id }] });
      const before = await s.get(`/Groups/${group.id}`).expect(200);
      const newName = unique('renamed');
      expectScimError(
        await s.patch(
          `/Groups/${group.id}`,
          patchBody(
            { op: 'Replace', path: 'displayName', value: newName },
            { op: 'Replace', path: 'externalId', value: 'ext-2' },
            addMembers([randomUUID()]),
          ),
        ),
        400,
        'invalidValue',
      );
      const after = await s.get(`/Groups/${group.id}`).expect(200);
      expect(withoutOrigin(after.body)).toEqual(withoutOrigin(before.body));
      const byNew = await s.get(`/Groups?${filterQuery(`displayName eq "${newName}"`)}`);
      expect(byNew.body.totalResults).toBe(0);
      expect(await s.app.get(GroupsService).findByName(newName)).toBeNull();
    });

    it('on create: no group is left behind', async () => {
      const name = unique('create bad member');
      expectScimError(
        await s.post('/Groups', { schemas: [GROUP_URN], displayName: name, members: [{ value: randomUUID() }] }),
        400,
        'invalidValue',
      );
      const list = await s.get(`/Groups?${filterQuery(`displayName eq "${name}"`)}`);
      expect(list.body.totalResults).toBe(0);
      expect(await s.app.get(GroupsService).findByName(name)).toBeNull();
    });

    it('a member record without a value', async () => {
      const group = await createGroup(s, unique('no value'));
      expectScimError(
        await s.patch(`/Groups/${group.id}`, patchBody({ op: 'Add', path: 'members', value: [{ type: 'User' }] })),
        400,
        'invalidValue',
      );
    });
  });

  // One malformed record (no `value`) must never read as "remove every member" (nothing changes).
  it('remove members with [{"$ref": null}] is 400 invalidValue and removes no one', async () => {
    const users = await createUsers(s, 2, 'no-value-remove');
    const group = await createGroup(s, unique('no value remove'), { members: users.map((u) => ({ value: u.id })) });
    const res = await s.patch(
      `/Groups/${group.id}`,
      patchBody({ op: 'Remove', path: 'members', value: [{ $ref: null }] }),
    );
    expect(res.status).toBe(400);
    expect(await memberIdsOf(s, group.id)).toEqual(sorted(users.map((u) => u.id)));
  });

  it('replace members with [{"display": "x"}] is 400 invalidValue and leaves the members as they were', async () => {
    const user = await createUser(s);
    const group = await createGroup(s, unique('no value replace'), { members: [{ value: user.id }] });
    const res = await s.patch(
      `/Groups/${group.id}`,
      patchBody({ op: 'Replace', path: 'members', value: [{ display: 'x' }] }),
    );
    expect(res.status).toBe(400);
    expect(await memberIdsOf(s, group.id)).toEqual([user.id]);
  });

  it('61: membership check `id eq … and members eq …` with attributes=id returns 0 or 1 resource', async () => {
    const [member, outsider] = await createUsers(s, 2, 'check');
    const group = await createGroup(s, unique('check'), { members: [{ value: member.id }] });
    await createGroup(s, unique('other'), { members: [{ value: member.id }, { value: outsider.id }] });
    for (const filter of [
      `id eq "${group.id}" and members eq "${member.id}"`,
      `members eq "${member.id}" and id eq "${group.id}"`,
    ]) {
      const res = await s.get(`/Groups?${filterQuery(filter)}&attributes=id`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        schemas: [LIST_URN],
        totalResults: 1,
        startIndex: 1,
        itemsPerPage: 1,
        Resources: [{ schemas: [GROUP_URN], id: group.id }],
      });
    }
    const none = await s.get(
      `/Groups?${filterQuery(`id eq "${group.id}" and members eq "${outsider.id}"`)}&attributes=id`,
    );
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });
    const unknown = await s.get(
      `/Groups?${filterQuery(`id eq "${group.id}" and members eq "${randomUUID()}"`)}&attributes=id`,
    );
    expect(unknown.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('62: delete answers 204, then the group is 404; its member users stay', async () => {
    const member = await createUser(s);
    const group = await createGroup(s, unique('delete'), { members: [{ value: member.id }] });
    const groupId = await productGroupId(s.dataSource, group.id);
    const res = await s.delete(`/Groups/${group.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectScimError(await s.get(`/Groups/${group.id}`), 404);
    expectScimError(await s.delete(`/Groups/${group.id}`), 404);
    expectScimError(await s.patch(`/Groups/${group.id}`, patchBody(addMembers([member.id]))), 404);
    expect(await s.app.get(GroupsService).findById(groupId)).toBeNull();
    await s.get(`/Users/${member.id}`).expect(200);
    // The name is free again.
    await createGroup(s, group.displayName);
  });

  it('63: deleting a member user removes it from the group; deactivating one does not', async () => {
    const [deleted, deactivated, kept] = await createUsers(s, 3, 'lifecycle');
    const group = await createGroup(s, unique('lifecycle'), {
      members: [deleted, deactivated, kept].map((u) => ({ value: u.id })),
    });
    await s.delete(`/Users/${deleted.id}`).expect(204);
    await s
      .patch(`/Users/${deactivated.id}`, patchBody({ op: 'Replace', path: 'active', value: 'False' }))
      .expect((res) => expect([200, 204]).toContain(res.status));
    expect(await memberIdsOf(s, group.id)).toEqual(sorted([deactivated.id, kept.id]));
    const check = await s.get(
      `/Groups?${filterQuery(`id eq "${group.id}" and members eq "${deleted.id}"`)}&attributes=id`,
    );
    expect(check.body.totalResults).toBe(0);
    // The deleted user can no longer be added.
    expectScimError(await s.patch(`/Groups/${group.id}`, patchBody(addMembers([deleted.id]))), 400, 'invalidValue');
  });

  it('filter by externalId eq (case-exact)', async () => {
    const externalId = randomUUID();
    const group = await createGroup(s, unique('by external id'), { externalId });
    const res = await s.get(`/Groups?excludedAttributes=members&${filterQuery(`externalId eq "${externalId}"`)}`);
    expect(res.body).toMatchObject({ totalResults: 1, Resources: [{ id: group.id, externalId }] });
    const upper = await s.get(`/Groups?${filterQuery(`externalId eq "${externalId.toUpperCase()}"`)}`);
    expect(upper.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('externalId is kept exactly, up to 255 characters; a longer one is refused, not cut', async () => {
    const longest = `${randomUUID()}-`.padEnd(255, 'x');
    const group = await createGroup(s, unique('long external id'), { externalId: longest });
    const found = await s.get(`/Groups?excludedAttributes=members&${filterQuery(`externalId eq "${longest}"`)}`);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: group.id, externalId: longest }] });
    const tooLong = `${longest}y`;
    expectScimError(
      await s.post('/Groups', { schemas: [GROUP_URN], displayName: unique('too long'), externalId: tooLong }),
      400,
      'invalidValue',
    );
    expectScimError(
      await s.patch(`/Groups/${group.id}`, patchBody({ op: 'Replace', path: 'externalId', value: tooLong })),
      400,
      'invalidValue',
    );
    expect((await s.get(`/Groups/${group.id}`)).body.externalId).toBe(longest);
    await s.patch(`/Groups/${group.id}`, patchBody({ op: 'Remove', path: 'externalId' })).expect(204);
    expect((await s.get(`/Groups/${group.id}`)).body).not.toHaveProperty('externalId');
  });

  it('PUT replaces name, externalId and members', async () => {
    const users = await createUsers(s, 3, 'put');
    const ids = users.map((u) => u.id);
    const group = await createGroup(s, unique('put'), {
      externalId: 'e1',
      members: [{ value: ids[0] }, { value: ids[1] }],
    });
    const name = unique('put renamed');
    const res = await s.put(`/Groups/${group.id}`, {
      schemas: [GROUP_URN, MS_GROUP_URN],
      displayName: name,
      members: [{ value: ids[1] }, { value: ids[2], $ref: null }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: group.id, displayName: name });
    expect(res.body).not.toHaveProperty('externalId');
    expect(sorted(res.body.members.map((m: { value: string }) => m.value))).toEqual(sorted([ids[1], ids[2]]));
    expect(await memberIdsOf(s, group.id)).toEqual(sorted([ids[1], ids[2]]));
    // A PUT naming an unknown member changes nothing.
    expectScimError(
      await s.put(`/Groups/${group.id}`, {
        schemas: [GROUP_URN],
        displayName: unique('x'),
        members: [{ value: 'nope' }],
      }),
      400,
      'invalidValue',
    );
    const after = await s.get(`/Groups/${group.id}`).expect(200);
    expect(after.body.displayName).toBe(name);
    expect(sorted(after.body.members.map((m: { value: string }) => m.value))).toEqual(sorted([ids[1], ids[2]]));
  });

  it('a SCIM group is a product group: its members are the product memberships', async () => {
    const user = await createUser(s);
    const group = await createGroup(s, unique('product'), { members: [{ value: user.id }] });
    const groupId = await productGroupId(s.dataSource, group.id);
    expect(await s.app.get(GroupsService).findById(groupId)).toMatchObject({ name: group.displayName, managed: true });
    const userId = await productUserId(s.dataSource, user.id);
    expect(await s.app.get(MembershipService).isMember(groupId, userId)).toBe(true);
  });
});
