import { testDialects } from '@nest-scim/persistence/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';

describe.each(testDialects())('SCIM smoke (%s)', (dialect) => {
  let s: ScimTestServer;
  beforeAll(async () => {
    s = await startScimServer(dialect);
  });
  afterAll(() => s.close());

  it('creates, reads, patches, lists and deletes a user', async () => {
    const created = await s.post('/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'alice@contoso.com',
      emails: [{ value: 'alice@contoso.com', type: 'work', primary: true }],
    });
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toMatch(/application\/scim\+json/);
    const id = created.body.id;
    const got = await s.get(`/Users/${id}`).expect(200);
    expect(got.body.userName).toBe('alice@contoso.com');
    const patched = await s.patch(`/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.active).toBe(false);
    const list = await s.get('/Users?filter=' + encodeURIComponent('userName eq "ALICE@contoso.com"')).expect(200);
    expect(list.body.totalResults).toBe(1);
    const group = await s
      .post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'devs' })
      .expect(201);
    await s
      .patch(`/Groups/${group.body.id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Add', path: 'members', value: [{ value: id }] }],
      })
      .expect(204);
    const g = await s.get(`/Groups/${group.body.id}`).expect(200);
    expect(g.body.members).toEqual([expect.objectContaining({ value: id })]);
    await s.delete(`/Users/${id}`).expect(204);
    await s.get(`/Users/${id}`).expect(404);
    const spc = await s.get('/ServiceProviderConfig').expect(200);
    expect(spc.body.patch.supported).toBe(true);
  });
});
