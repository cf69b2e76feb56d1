import { ADMIN_PERMISSION, PermissionsService, UsersService } from '@nest-scim/identity';
import { testDialects } from '@nest-scim/persistence/testing';
import { ScimAuditTrail } from '@nest-scim/provisioning';
import { SCIM_JSON, startScimServer, ScimTestServer } from '../support/scim-harness';
import {
  createUser,
  databaseSnapshot,
  expectNoNulls,
  expectScimError,
  expectScimJson,
  internalUserId,
  query,
  rawRequest,
  URN,
  userBody,
} from '../support/scim-expectations';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
// A fixed public address, so meta.location does not depend on the port supertest happens to bind.
const PUBLIC_URL = 'https://scim.contoso.test';

describe.each(testDialects())('Entra creates, reads and replaces users (%s)', (dialect) => {
  let s: ScimTestServer;
  beforeAll(async () => {
    s = await startScimServer(dialect, { env: { PUBLIC_URL } });
  });
  afterAll(() => s.close());

  it('case 8: Entra creates a user with its own meta and empty roles; the answer is the stored user with a location', async () => {
    const body = {
      schemas: [URN.USER, URN.ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    };
    const res = await s.post('/Users', body);
    expect(res.status).toBe(201);
    expectScimJson(res);
    expect(res.body).toEqual({
      schemas: [URN.USER],
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' }],
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      meta: {
        resourceType: 'User',
        created: expect.stringMatching(ISO_DATE),
        lastModified: expect.stringMatching(ISO_DATE),
        location: `${PUBLIC_URL}/api/scim/v2/Users/${res.body.id}`,
        version: 'W/"1"',
      },
    });
    expect(res.headers.location).toBe(res.body.meta.location);
    expect(res.headers.etag).toBe(res.body.meta.version);
  });

  it('case 9: the older SDK shape with nulls and the misspelled extension URN is created; nulls are unassigned', async () => {
    const res = await s.post('/Users', {
      schemas: [URN.USER, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
      externalId: 'jyoung',
      userName: 'jyoung@testuser.com',
      active: true,
      addresses: null,
      displayName: 'Joy Young',
      emails: [{ type: 'work', value: 'jyoung@Contoso.com', primary: true }],
      meta: { resourceType: 'User' },
      name: { familyName: 'Young', givenName: 'Joy' },
      phoneNumbers: null,
      preferredLanguage: null,
      title: null,
      department: null,
      manager: null,
    });
    expect(res.status).toBe(201);
    expectScimJson(res);
    expectNoNulls(res.body);
    expect(res.body).toEqual({
      schemas: [URN.USER],
      id: expect.any(String),
      externalId: 'jyoung',
      userName: 'jyoung@testuser.com',
      active: true,
      displayName: 'Joy Young',
      emails: [{ type: 'work', value: 'jyoung@Contoso.com', primary: true }],
      name: { familyName: 'Young', givenName: 'Joy' },
      meta: expect.objectContaining({ resourceType: 'User' }),
    });
  });

  it('case 36: REF posts active as the string "True"; the user comes back with the boolean true', async () => {
    const res = await s.post('/Users', userBody('emp1@contoso.com', { active: 'True' }));
    expect(res.status).toBe(201);
    expect(res.body.active).toBe(true);
    const got = await s.get(`/Users/${res.body.id}`).expect(200);
    expect(got.body.active).toBe(true);
  });

  it('case 10: Entra reads a user by id and gets the full user with an ETag', async () => {
    const created = await createUser(s, 'reader@contoso.com', {
      externalId: 'reader',
      name: { givenName: 'Rea', familyName: 'Der' },
      emails: [{ type: 'work', value: 'reader@contoso.com', primary: true }],
    });
    const res = await s.get(`/Users/${created.id}`);
    expect(res.status).toBe(200);
    expectScimJson(res);
    expect(res.body).toEqual(created);
    expect(res.headers.etag).toBe(created.meta.version);
  });

  it('case 11: Entra reads an unknown id and gets 404 with a detail and status "404"', async () => {
    const res = await s.get('/Users/5171a35d82074e068ce2');
    expectScimError(res, 404);
    const uuid = await s.get('/Users/00000000-0000-4000-8000-000000000000');
    expectScimError(uuid, 404);
  });

  it('case 40: a second create of a userName, also in other case, is 409 uniqueness and changes nothing', async () => {
    await createUser(s, 'Runscope-dup@atko.com');
    const before = await databaseSnapshot(s);
    for (const userName of ['Runscope-dup@atko.com', 'RUNSCOPE-DUP@ATKO.COM']) {
      const res = await s.post('/Users', userBody(userName));
      expectScimError(res, 409, 'uniqueness');
    }
    expect(await databaseSnapshot(s)).toEqual(before);
  });

  it('case 41: a create without userName (or with a blank one) is 400 invalidValue and creates nothing', async () => {
    const before = await databaseSnapshot(s);
    expectScimError(await s.post('/Users', { schemas: [URN.USER], displayName: 'No Name' }), 400, 'invalidValue');
    expectScimError(await s.post('/Users', { schemas: [URN.USER], userName: '' }), 400, 'invalidValue');
    expectScimError(await s.post('/Users', { schemas: [URN.USER], userName: null }), 400, 'invalidValue');
    expect(await databaseSnapshot(s)).toEqual(before);
  });

  it('case 42: junk bodies are 400 invalidSyntax and create nothing', async () => {
    const before = await databaseSnapshot(s);
    expectScimError(await rawRequest(s, 'post', '/Users', '{"userName": "junk@x.com",'), 400, 'invalidSyntax');
    expectScimError(await rawRequest(s, 'post', '/Users', 'not json at all'), 400, 'invalidSyntax');
    expectScimError(await rawRequest(s, 'post', '/Users', '[1, 2, 3]'), 400, 'invalidSyntax');
    // JSON, but not a SCIM user: no schemas.
    expectScimError(await s.post('/Users', { userName: 'noschemas@x.com' }), 400, 'invalidSyntax');
    expect(await databaseSnapshot(s)).toEqual(before);
  });

  it('case 43: an unknown (misspelled) attribute is ignored on create and on PUT, and never echoed', async () => {
    const res = await s.post('/Users', userBody('typo@contoso.com', { Adresses: [{ type: 'work' }], foo: 'bar' }));
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('Adresses');
    expect(res.body).not.toHaveProperty('foo');
    const put = await s.put(`/Users/${res.body.id}`, userBody('typo@contoso.com', { Adresses: 'x', nickName: 'T' }));
    expect(put.status).toBe(200);
    expect(put.body).not.toHaveProperty('Adresses');
    expect(put.body.nickName).toBe('T');
    const got = await s.get(`/Users/${res.body.id}`).expect(200);
    expect(got.body).not.toHaveProperty('Adresses');
    expect(got.body).not.toHaveProperty('foo');
  });

  it('a password sent on create, PUT or PATCH is accepted, never echoed and never stored', async () => {
    const created = await s.post('/Users', userBody('pw@contoso.com', { password: 'canary-create-1' }));
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain('canary');
    const put = await s.put(`/Users/${created.body.id}`, userBody('pw@contoso.com', { password: 'canary-put-2' }));
    expect(put.status).toBe(200);
    const patched = await s.patch(`/Users/${created.body.id}`, {
      schemas: [URN.PATCH_OP],
      Operations: [
        { op: 'replace', path: 'password', value: 'canary-patch-3' },
        { op: 'replace', value: { password: 'canary-patch-4' } },
      ],
    });
    expect(patched.status).toBe(200);
    // Nothing Entra can see changed, so the version did not move.
    expect(patched.body.meta.version).toBe(put.body.meta.version);
    expect(JSON.stringify(patched.body)).not.toContain('canary');
    expect(JSON.stringify(await databaseSnapshot(s))).not.toContain('canary');
  });

  it('case 44: PUT replaces the whole user: same id, new values, attributes left out are gone, version moves', async () => {
    const created = await createUser(s, 'put-me@contoso.com', {
      nickName: 'Old',
      title: 'Engineer',
      emails: [{ type: 'work', value: 'put-me@contoso.com' }],
      [URN.ENTERPRISE]: { department: 'R&D' },
    });
    const res = await s.put(`/Users/${created.id}`, {
      schemas: [URN.USER, URN.ENTERPRISE],
      userName: 'put-me@contoso.com',
      displayName: 'Put Me',
      name: { givenName: 'Put', familyName: 'Me' },
      active: true,
      [URN.ENTERPRISE]: { employeeNumber: '42' },
    });
    expect(res.status).toBe(200);
    expectScimJson(res);
    expect(res.body).toEqual({
      schemas: [URN.USER, URN.ENTERPRISE],
      id: created.id,
      userName: 'put-me@contoso.com',
      displayName: 'Put Me',
      name: { givenName: 'Put', familyName: 'Me' },
      active: true,
      [URN.ENTERPRISE]: { employeeNumber: '42' },
      meta: { ...created.meta, lastModified: expect.stringMatching(ISO_DATE), version: 'W/"2"' },
    });
    expect(res.headers.etag).toBe('W/"2"');
    const got = await s.get(`/Users/${created.id}`).expect(200);
    expect(got.body).toEqual(res.body);
  });

  it('case 44: PUT of an unknown id is 404 and creates nothing', async () => {
    const before = await databaseSnapshot(s);
    expectScimError(await s.put('/Users/00000000-0000-4000-8000-000000000000', userBody('ghost@contoso.com')), 404);
    expect(await databaseSnapshot(s)).toEqual(before);
  });

  it('case 74: a create sent as application/json is accepted like application/scim+json', async () => {
    const res = await rawRequest(
      s,
      'post',
      '/Users',
      JSON.stringify(userBody('plain-json@contoso.com')),
      'application/json',
    );
    expect(res.status).toBe(201);
    expectScimJson(res);
    expect(res.body.userName).toBe('plain-json@contoso.com');
    const scim = await rawRequest(
      s,
      'post',
      '/Users',
      JSON.stringify(userBody('scim-json@contoso.com')),
      `${SCIM_JSON}; charset=utf-8`,
    );
    expect(scim.status).toBe(201);
  });

  it('two concurrent creates of one userName (differing in case): exactly one 201, the other 409, one row', async () => {
    for (let round = 0; round < 3; round++) {
      const name = `race-${round}@contoso.com`;
      const answers = await Promise.all([
        s.post('/Users', userBody(name)),
        s.post('/Users', userBody(name.toUpperCase())),
      ]);
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409]);
      const conflict = answers.find((r) => r.status === 409)!;
      expectScimError(conflict, 409, 'uniqueness');
      const list = await s.get(`/Users?${query(`userName eq "${name}"`)}`).expect(200);
      expect(list.body.totalResults).toBe(1);
    }
  });

  it('SCIM cannot adopt the local admin: POST {"userName":"admin"} is 409 and the admin is untouched', async () => {
    const before = await databaseSnapshot(s);
    for (const userName of ['admin', 'ADMIN']) {
      const res = await s.post('/Users', userBody(userName, { displayName: 'Mallory', active: false }));
      expectScimError(res, 409, 'uniqueness');
    }
    expect(await databaseSnapshot(s)).toEqual(before);
    // The admin's token still works: the credential Entra uses was not touched.
    await s.get('/Users?count=0').expect(200);
  });

  it('SCIM cannot adopt another local account either', async () => {
    const users = s.app.get(UsersService);
    await users.create({ login: 'local-bob', local: true });
    const before = await databaseSnapshot(s);
    expectScimError(await s.post('/Users', userBody('Local-Bob')), 409, 'uniqueness');
    expect(await databaseSnapshot(s)).toEqual(before);
  });

  it('a JIT SAML account whose SAML login (not its product login) is the userName is adopted too', async () => {
    const users = s.app.get(UsersService);
    const jit = await users.create({ login: 'jdoe', local: false, externalLogin: 'jdoe@contoso.com' });
    const res = await s.post('/Users', userBody('jdoe@contoso.com'));
    expect(res.status).toBe(201);
    expect(await internalUserId(s, res.body.id)).toBe(jit.id);
    expect(await users.findById(jit.id)).toEqual(
      expect.objectContaining({ login: 'jdoe@contoso.com', externalLogin: 'jdoe@contoso.com', managed: true }),
    );
  });

  it('an account holding the admin permission is never adopted, even without a password', async () => {
    const users = s.app.get(UsersService);
    const jitAdmin = await users.create({ login: 'jit-admin@contoso.com', local: false });
    await s.app.get(PermissionsService).addUserPermission(jitAdmin.id, ADMIN_PERMISSION);
    const before = await databaseSnapshot(s);
    expectScimError(await s.post('/Users', userBody('jit-admin@contoso.com')), 409, 'uniqueness');
    expect(await databaseSnapshot(s)).toEqual(before);
  });

  it('an externalId equal to the admin’s internal id is an opaque string: a new, distinct user (CVE-2025-41115)', async () => {
    const before = await s.app.get(UsersService).findById(s.adminUserId);
    const res = await s.post('/Users', userBody('mallory@contoso.com', { externalId: s.adminUserId }));
    expect(res.status).toBe(201);
    expect(res.body.externalId).toBe(s.adminUserId);
    expect(await internalUserId(s, res.body.id)).not.toBe(s.adminUserId);
    expect(await s.app.get(UsersService).findById(s.adminUserId)).toEqual(before);
    const found = await s.get(`/Users?${query(`externalId eq "${s.adminUserId}"`)}`).expect(200);
    expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([res.body.id]);
    expectScimError(await s.get(`/Users/${s.adminUserId}`), 404);
  });

  it('a JIT SAML account is adopted by a create with its userName: 201, same internal user, now managed', async () => {
    const users = s.app.get(UsersService);
    const jit = await users.create({ login: 'jit.user@contoso.com', local: false });
    expect(jit.managed).toBe(false);
    const res = await s.post(
      '/Users',
      userBody('JIT.User@contoso.com', { displayName: 'Jit User', externalId: 'jit-ext' }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({ userName: 'JIT.User@contoso.com', displayName: 'Jit User', active: true }),
    );
    expect(res.body.id).not.toBe(jit.id);
    expect(await internalUserId(s, res.body.id)).toBe(jit.id);
    const after = await users.findById(jit.id);
    expect(after).toEqual(
      expect.objectContaining({ id: jit.id, login: 'JIT.User@contoso.com', name: 'Jit User', managed: true }),
    );
    // The audit trail tells an adoption from a creation.
    const audit = await s.app.get(ScimAuditTrail).search({ resourceId: res.body.id });
    expect(audit.entries.map((e) => [e.action, e.internalId])).toEqual([['adopt', jit.id]]);
    // Once managed, a second create is a duplicate.
    expectScimError(await s.post('/Users', userBody('jit.user@contoso.com')), 409, 'uniqueness');
  });
});
