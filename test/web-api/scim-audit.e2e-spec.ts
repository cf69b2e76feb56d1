import { testDialects } from '@nest-scim/persistence/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';

describe.each(testDialects())('Web API: the audit trail of SCIM changes (%s)', (dialect) => {
  let s: ScimTestServer;
  beforeAll(async () => {
    s = await startScimServer(dialect);
  });
  afterAll(() => s.close());

  const audit = (query = '') =>
    s.http().get(`/api/scim_management/audit${query}`).set('Authorization', `Bearer ${s.token}`);

  it('records what Entra changed — resource, action, attribute names, token — and never a value', async () => {
    const alice = await s
      .post('/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'alice@contoso.com',
        name: { givenName: 'Alice', familyName: 'Secret-Surname' },
      })
      .expect(201);
    await s
      .patch(`/Users/${alice.body.id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      })
      .expect(200);
    const group = await s
      .post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Auditors' })
      .expect(201);
    await s.delete(`/Groups/${group.body.id}`).expect(204);

    const res = await audit().expect(200);
    const events = res.body.entries as {
      action: string;
      resourceType: string;
      resourceId: string;
      attributes: string[];
    }[];
    expect(events.map((e) => `${e.action} ${e.resourceType}`)).toEqual([
      'delete Group',
      'create Group',
      'patch User',
      'create User',
    ]);
    expect(events[2]).toMatchObject({ resourceId: alice.body.id, attributes: ['active'] });
    expect(JSON.stringify(res.body)).not.toContain('Secret-Surname');
    expect(JSON.stringify(res.body)).not.toContain(s.token);

    const onlyAlice = await audit(`?resourceType=User&resourceId=${alice.body.id}`).expect(200);
    expect(onlyAlice.body.entries).toHaveLength(2);
  });

  it('refuses a bad filter with the Web API error shape, and anyone but an admin', async () => {
    const bad = await audit('?from=yesterday').expect(400);
    expect(bad.body).toEqual({ errors: [{ msg: "'from' must be an ISO 8601 date" }] });
    await s.http().get('/api/scim_management/audit').expect(401);
  });
});
