import { randomUUID } from 'node:crypto';
import { UserTokensService } from '@nest-scim/auth';
import { GroupsService, MembershipService, PermissionsService } from '@nest-scim/identity';
import { ScimAuditTrail } from '@nest-scim/provisioning';
import { isGroupLinked, productGroupId, productUserId } from '../support/scim-links';
import { testDialects } from '@nest-scim/persistence/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import { scimClient } from '../support/scim-server-pair';
import {
  addMembers,
  createGroup,
  createUser,
  expectScimError,
  filterQuery,
  GROUP_URN,
  memberIdsOf,
  patchBody,
  removeMemberByFilter,
  removeMembersByList,
  withoutOrigin,
} from '../support/scim-groups.fixtures';

/**
 * What SCIM may never do to groups it does not own ("groups are product groups"):
 * built-in groups are not SCIM resources and never adopted, nor is a local group that holds Administer (other local
 * groups are adopted, as just-in-time accounts are), a local account is never a SCIM member.
 */
describe.each(testDialects())('SCIM /Groups protections (%s)', (dialect) => {
  let s: ScimTestServer;
  const unique = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;
  const groups = () => s.app.get(GroupsService);
  const memberships = () => s.app.get(MembershipService);

  beforeAll(async () => {
    s = await startScimServer(dialect);
  });
  afterAll(() => s.close());

  /** The product's view of a group and its members (up to 500), to show nothing changed. */
  async function snapshot(groupId: string) {
    const group = await groups().findById(groupId);
    const members = await memberships().listMembers(groupId, { pageSize: 500 });
    return { group, members: members.items.map((u) => u.id).sort(), total: members.total };
  }

  describe('built-in groups', () => {
    it.each(['sonar-users', 'sonar-administrators', 'SONAR-Administrators'])(
      'POST /Groups named %s is 409 and creates nothing',
      async (name) => {
        const admins = await groups().administratorsGroup();
        const defaults = await groups().defaultGroup();
        const before = [await snapshot(admins.id), await snapshot(defaults.id)];
        const res = await s.post('/Groups', { schemas: [GROUP_URN], displayName: name, members: [] });
        expectScimError(res, 409, 'uniqueness');
        expect(res.body.detail).toBe('This displayName belongs to a built-in group of the product');
        expect([await snapshot(admins.id), await snapshot(defaults.id)]).toEqual(before);
        const listed = await s.get(`/Groups?${filterQuery(`displayName eq "${name}"`)}`);
        expect(listed.body).toMatchObject({ totalResults: 0, Resources: [] });
      },
    );

    it('are not SCIM resources: their ids are unknown to every verb (404) and they change in no way', async () => {
      const user = await createUser(s);
      const admins = await groups().administratorsGroup();
      const defaults = await groups().defaultGroup();
      for (const builtIn of [admins, defaults]) {
        const before = await snapshot(builtIn.id);
        expectScimError(await s.get(`/Groups/${builtIn.id}`), 404);
        expectScimError(await s.patch(`/Groups/${builtIn.id}`, patchBody(addMembers([user.id]))), 404);
        expectScimError(
          await s.patch(`/Groups/${builtIn.id}`, patchBody({ op: 'Replace', path: 'displayName', value: unique('x') })),
          404,
        );
        expectScimError(await s.patch(`/Groups/${builtIn.id}`, patchBody({ op: 'Remove', path: 'members' })), 404);
        expectScimError(
          await s.put(`/Groups/${builtIn.id}`, { schemas: [GROUP_URN], displayName: builtIn.name, members: [] }),
          404,
        );
        expectScimError(await s.delete(`/Groups/${builtIn.id}`), 404);
        expect(await snapshot(builtIn.id)).toEqual(before);
      }
      const all = await s.get('/Groups?excludedAttributes=members&count=1000').expect(200);
      const names = all.body.Resources.map((r: { displayName: string }) => r.displayName.toLowerCase());
      expect(names).not.toContain('sonar-users');
      expect(names).not.toContain('sonar-administrators');
    });

    it('a SCIM group cannot be renamed to a built-in name', async () => {
      const group = await createGroup(s, unique('rename to builtin'), { externalId: 'e' });
      const before = await s.get(`/Groups/${group.id}`).expect(200);
      for (const name of ['sonar-administrators', 'Sonar-Users']) {
        expectScimError(
          await s.patch(`/Groups/${group.id}`, patchBody({ op: 'Replace', path: 'displayName', value: name })),
          409,
          'uniqueness',
        );
        expectScimError(
          await s.put(`/Groups/${group.id}`, { schemas: [GROUP_URN], displayName: name }),
          409,
          'uniqueness',
        );
      }
      expect(withoutOrigin((await s.get(`/Groups/${group.id}`)).body)).toEqual(withoutOrigin(before.body));
    });

    it('the reserved name "Anyone" is refused', async () => {
      expectScimError(await s.post('/Groups', { schemas: [GROUP_URN], displayName: 'Anyone' }), 400, 'invalidValue');
    });
  });

  describe('local groups: adopted as users are, never the ones the product keeps', () => {
    it('POST with a local group’s name adopts it: the same product group, now managed, its members kept, recorded as an adoption', async () => {
      const local = await groups().create({ name: unique('Legacy Team') });
      const member = await createUser(s);
      const memberId = await productUserId(s.dataSource, member.id);
      await memberships().addMembers(local.id, [s.adminUserId, memberId]);
      const entraName = local.name.toUpperCase();
      const res = await s.post('/Groups', { schemas: [GROUP_URN], displayName: entraName, externalId: 'e-legacy' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ displayName: entraName, externalId: 'e-legacy' });
      // A SCIM id of its own, behind which is the product's group, renamed as Entra spells it.
      expect(res.body.id).not.toBe(local.id);
      expect(await productGroupId(s.dataSource, res.body.id)).toBe(local.id);
      expect(await groups().findById(local.id)).toMatchObject({ name: entraName, managed: true });
      // Its SCIM members are the SCIM users in it; the local admin stays a member of the product's group.
      expect(res.body.members.map((m: { value: string }) => m.value)).toEqual([member.id]);
      expect(await memberships().isMember(local.id, s.adminUserId)).toBe(true);
      const found = await s.get(`/Groups?${filterQuery(`displayName eq "${local.name}"`)}`).expect(200);
      expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([res.body.id]);
      const audit = await s.app.get(ScimAuditTrail).search({ resourceId: res.body.id });
      expect(audit.entries.map((e) => [e.action, e.resourceType, e.internalId])).toEqual([
        ['adopt', 'Group', local.id],
      ]);

      // Once adopted it is a SCIM group like another: a second create of its name is a conflict.
      expectScimError(await s.post('/Groups', { schemas: [GROUP_URN], displayName: local.name }), 409, 'uniqueness');
    });

    it('two creates of a local group’s name at once: one adopts it, the other is a 409, one link', async () => {
      const local = await groups().create({ name: unique('Raced Team') });
      const body = { schemas: [GROUP_URN], displayName: local.name };
      const answers = await Promise.all([s.post('/Groups', body), s.post('/Groups', body)]);
      expect(answers.map((res) => res.status).sort()).toEqual([201, 409]);
      const adopted = answers.find((res) => res.status === 201)!;
      expect(await productGroupId(s.dataSource, adopted.body.id)).toBe(local.id);
      const listed = await s.get(`/Groups?${filterQuery(`displayName eq "${local.name}"`)}`).expect(200);
      expect(listed.body.totalResults).toBe(1);
    });

    it('a local group through which someone is an administrator is not adopted: 409 with the reason, untouched', async () => {
      const local = await groups().create({ name: unique('Local Admins') });
      await memberships().addMembers(local.id, [s.adminUserId]);
      await s.app.get(PermissionsService).addGroupPermission(local.id, 'admin');
      const before = await snapshot(local.id);
      const res = await s.post('/Groups', { schemas: [GROUP_URN], displayName: local.name, members: [] });
      expectScimError(res, 409, 'uniqueness');
      expect(res.body.detail).toBe(
        'This displayName belongs to a group of the product that holds the Administer permission',
      );
      expect(await snapshot(local.id)).toEqual(before);
      expect(before.group?.managed).toBe(false);
      expect(await isGroupLinked(s.dataSource, local.id)).toBe(false);
      expectScimError(await s.get(`/Groups/${local.id}`), 404);
      // Without the permission, the later cases find the admin an administrator through the built-in group only.
      await s.app.get(PermissionsService).removeGroupPermission(local.id, 'admin');
    });

    it('a SCIM group cannot be renamed onto a local group', async () => {
      const local = await groups().create({ name: unique('Local Ops') });
      const group = await createGroup(s, unique('scim ops'));
      expectScimError(
        await s.patch(`/Groups/${group.id}`, patchBody({ op: 'Replace', path: 'displayName', value: local.name })),
        409,
        'uniqueness',
      );
      expect((await s.get(`/Groups/${group.id}`)).body.displayName).toBe(group.displayName);
      expect(await groups().findById(local.id)).toMatchObject({ name: local.name, managed: false });
    });
  });

  describe('members must be SCIM users', () => {
    it('a local account’s internal id as a member is 400 invalidValue, in PATCH, POST and PUT', async () => {
      const member = await createUser(s);
      const group = await createGroup(s, unique('local member'), { members: [{ value: member.id }] });
      const before = await s.get(`/Groups/${group.id}`).expect(200);
      expectScimError(
        await s.patch(`/Groups/${group.id}`, patchBody(addMembers([s.adminUserId]))),
        400,
        'invalidValue',
      );
      expectScimError(
        await s.put(`/Groups/${group.id}`, {
          schemas: [GROUP_URN],
          displayName: group.displayName,
          members: [{ value: member.id }, { value: s.adminUserId }],
        }),
        400,
        'invalidValue',
      );
      expectScimError(
        await s.post('/Groups', {
          schemas: [GROUP_URN],
          displayName: unique('x'),
          members: [{ value: s.adminUserId }],
        }),
        400,
        'invalidValue',
      );
      // A member's internal id is not its SCIM id either.
      const memberUserId = await productUserId(s.dataSource, member.id);
      expectScimError(await s.patch(`/Groups/${group.id}`, patchBody(addMembers([memberUserId]))), 400, 'invalidValue');
      expect(withoutOrigin((await s.get(`/Groups/${group.id}`)).body)).toEqual(withoutOrigin(before.body));
    });

    it('a SCIM id in another case is not the member', async () => {
      const member = await createUser(s);
      const group = await createGroup(s, unique('case of id'));
      expectScimError(
        await s.patch(`/Groups/${group.id}`, patchBody(addMembers([member.id.toUpperCase()]))),
        400,
        'invalidValue',
      );
      expect(await memberIdsOf(s, group.id)).toEqual([]);
    });

    it('removing a local account by its internal id changes nothing', async () => {
      const admins = await groups().administratorsGroup();
      const group = await createGroup(s, unique('remove admin'));
      await s
        .patch(
          `/Groups/${group.id}`,
          patchBody(removeMembersByList([s.adminUserId]), removeMemberByFilter(s.adminUserId)),
        )
        .expect(204);
      expect(await memberships().isMember(admins.id, s.adminUserId)).toBe(true);
    });
  });

  describe('a SCIM group an admin granted `admin` to', () => {
    it('keeps the last administrator, whichever shape removes the members', async () => {
      // One SCIM user, administrator only through a SCIM group; the local admin gives the role up.
      const owner = await createUser(s);
      const group = await createGroup(s, unique('Platform Admins'), { members: [{ value: owner.id }] });
      const groupId = await productGroupId(s.dataSource, group.id);
      const ownerUserId = await productUserId(s.dataSource, owner.id);
      const permissions = s.app.get(PermissionsService);
      await permissions.addGroupPermission(groupId, 'admin');
      const admins = await groups().administratorsGroup();
      await memberships().removeMembers(admins.id, [s.adminUserId]);
      for (const permission of await permissions.userPermissions(s.adminUserId)) {
        await permissions.removeUserPermission(s.adminUserId, permission);
      }
      expect(await permissions.isAdmin(s.adminUserId)).toBe(false);
      expect(await permissions.isAdmin(ownerUserId)).toBe(true);
      const { token } = await s.app.get(UserTokensService).generate({ userId: ownerUserId, name: 'entra-2' });
      const client = scimClient(() => s.http(), token);
      try {
        for (const body of [
          patchBody(removeMembersByList([owner.id])),
          patchBody(removeMemberByFilter(owner.id)),
          patchBody({ op: 'Remove', path: 'members' }),
          patchBody({ op: 'Replace', path: 'members', value: [] }),
        ]) {
          const res = await client.patch(`/Groups/${group.id}`, body);
          expectScimError(res, 409);
          expect(await memberIdsOf(client, group.id)).toEqual([owner.id]);
        }
        expectScimError(
          await client.put(`/Groups/${group.id}`, { schemas: [GROUP_URN], displayName: group.displayName }),
          409,
        );
        expectScimError(await client.delete(`/Groups/${group.id}`), 409);
        expect(await memberIdsOf(client, group.id)).toEqual([owner.id]);
      } finally {
        await memberships().addMembers(admins.id, [s.adminUserId]);
      }
      // With another administrator back, the same removal goes through.
      await s.patch(`/Groups/${group.id}`, patchBody({ op: 'Remove', path: 'members' })).expect(204);
      expect(await memberIdsOf(s, group.id)).toEqual([]);
    });
  });
});
