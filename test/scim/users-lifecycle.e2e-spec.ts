import { UserTokensService } from '@nest-scim/auth';
import { ADMIN_PERMISSION, PermissionsService, UsersService } from '@nest-scim/identity';
import { testDialects } from '@nest-scim/persistence/testing';
import { SCIM, startScimServer, ScimTestServer } from '../support/scim-harness';
import {
  createGroup,
  createUser,
  databaseSnapshot,
  expectScimError,
  groupNamesOf,
  internalUserId,
  patchOps,
  query,
  URN,
  userBody,
} from '../support/scim-expectations';

describe.each(testDialects())('Entra deletes users, and what SCIM may never touch (%s)', (dialect) => {
  let s: ScimTestServer;
  beforeAll(async () => {
    s = await startScimServer(dialect);
  });
  afterAll(() => s.close());

  /** A managed user holding the admin permission (granted in the product) and a token of its own. */
  async function managedAdminWithToken(userName: string) {
    const user = await createUser(s, userName);
    const userId = (await internalUserId(s, user.id))!;
    await s.app.get(PermissionsService).addUserPermission(userId, ADMIN_PERMISSION);
    const { token } = await s.app.get(UserTokensService).generate({ userId, name: 'own' });
    const as = (method: 'get' | 'put' | 'patch' | 'delete', path: string, body?: unknown) => {
      const req = s
        .http()
        [method](SCIM + path)
        .set('Authorization', `Bearer ${token}`);
      return body === undefined ? req : req.set('Content-Type', 'application/scim+json').send(JSON.stringify(body));
    };
    return { user, userId, token, as };
  }

  it('case 24: Entra deletes a user: 204 with no body, then GET is 404 and the userName query finds nobody', async () => {
    const user = await createUser(s, 'leaver@contoso.com');
    const res = await s.delete(`/Users/${user.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectScimError(await s.get(`/Users/${user.id}`), 404);
    const found = await s.get(`/Users?${query('userName eq "leaver@contoso.com"')}`).expect(200);
    expect(found.body.totalResults).toBe(0);
    expectScimError(await s.delete(`/Users/${user.id}`), 404);
    expectScimError(await s.patch(`/Users/${user.id}`, patchOps({ op: 'add', path: 'title', value: 'x' })), 404);
  });

  it('case 25: deleting an unknown id is 404 and changes nothing', async () => {
    const before = await databaseSnapshot(s);
    expectScimError(await s.delete('/Users/00000000-0000-4000-8000-000000000000'), 404);
    expectScimError(await s.delete('/Users/not-even-a-uuid'), 404);
    expect(await databaseSnapshot(s)).toEqual(before);
  });

  it('DELETE removes group memberships and keeps the account, deactivated, for the audit', async () => {
    const user = await createUser(s, 'audited@contoso.com');
    const group = await createGroup(s, 'auditors', [user.id]);
    const userId = (await internalUserId(s, user.id))!;
    expect(await groupNamesOf(s, userId)).toContain('auditors');
    await s.delete(`/Users/${user.id}`).expect(204);
    expect(await groupNamesOf(s, userId)).toEqual([]);
    const account = await s.app.get(UsersService).findById(userId);
    expect(account).toEqual(expect.objectContaining({ login: 'audited@contoso.com', active: false, managed: false }));
    const g = await s.get(`/Groups/${group.id}`).expect(200);
    expect(g.body.members ?? []).toEqual([]);
  });

  it('a deleted user created again is the same account, active and managed again', async () => {
    const user = await createUser(s, 'returner@contoso.com');
    const userId = await internalUserId(s, user.id);
    await s.delete(`/Users/${user.id}`).expect(204);
    const again = await s.post('/Users', userBody('returner@contoso.com'));
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(user.id);
    expect(again.body.active).toBe(true);
    expect(await internalUserId(s, again.body.id)).toBe(userId);
  });

  it('deactivation ends the user’s tokens at once; memberships stay', async () => {
    const m = await managedAdminWithToken('token-holder@contoso.com');
    await createGroup(s, 'holders', [m.user.id]);
    const groups = await groupNamesOf(s, m.userId);
    await m.as('get', '/ServiceProviderConfig').expect(200);
    await s.patch(`/Users/${m.user.id}`, patchOps({ op: 'Replace', path: 'active', value: 'False' })).expect(200);
    const refused = await m.as('get', '/ServiceProviderConfig');
    expectScimError(refused, 401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(await groupNamesOf(s, m.userId)).toEqual(groups);
    expect(groups).toContain('holders');
  });

  describe('the local admin whose token Entra uses', () => {
    it('is not a SCIM user: it is not listed and its internal id is 404 for GET, PATCH, PUT and DELETE', async () => {
      const before = await databaseSnapshot(s);
      const listed = await s.get(`/Users?${query('userName eq "admin"')}`).expect(200);
      expect(listed.body.totalResults).toBe(0);
      expectScimError(await s.get(`/Users/${s.adminUserId}`), 404);
      expectScimError(
        await s.patch(`/Users/${s.adminUserId}`, patchOps({ op: 'Replace', path: 'active', value: false })),
        404,
      );
      expectScimError(await s.put(`/Users/${s.adminUserId}`, userBody('admin', { active: false })), 404);
      expectScimError(await s.delete(`/Users/${s.adminUserId}`), 404);
      expect(await databaseSnapshot(s)).toEqual(before);
      // Still usable.
      await s.get('/Users?count=0').expect(200);
    });
  });

  describe('a managed user who holds the admin permission and whose token is in use', () => {
    it('cannot deactivate itself, by PATCH (either dialect) or by PUT: 403 and nothing changed', async () => {
      const m = await managedAdminWithToken('self-admin@contoso.com');
      const before = await databaseSnapshot(s);
      const path = `/Users/${m.user.id}`;
      expectScimError(await m.as('patch', path, patchOps({ op: 'Replace', path: 'active', value: 'False' })), 403);
      expectScimError(await m.as('patch', path, patchOps({ op: 'replace', value: { active: false } })), 403);
      expectScimError(await m.as('put', path, userBody('self-admin@contoso.com', { active: false })), 403);
      expect(await databaseSnapshot(s)).toEqual(before);
      await m.as('get', '/Users?count=0').expect(200);
    });

    it('cannot delete itself: 403 and nothing changed', async () => {
      const m = await managedAdminWithToken('self-delete@contoso.com');
      const before = await databaseSnapshot(s);
      expectScimError(await m.as('delete', `/Users/${m.user.id}`), 403);
      expect(await databaseSnapshot(s)).toEqual(before);
    });

    it('may still update its other attributes', async () => {
      const m = await managedAdminWithToken('self-edit@contoso.com');
      const res = await m.as('patch', `/Users/${m.user.id}`, patchOps({ op: 'Add', path: 'title', value: 'Admin' }));
      expect(res.status).toBe(200);
      expect(res.body.title).toBe('Admin');
      expect(res.body.schemas).toEqual([URN.USER]);
    });
  });
});
