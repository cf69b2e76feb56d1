import { UserTokensService } from '@nest-scim/auth';
import { UsersService } from '@nest-scim/identity';
import { LicenseService } from '@nest-scim/license';
import { testDialects } from '@nest-scim/persistence/testing';
import { SCIM, SCIM_JSON, startScimServer, ScimTestServer } from '../support/scim-harness';
import {
  createUser,
  databaseSnapshot,
  expectScimError,
  expectScimJson,
  getWith,
  patchOps,
  rawRequest,
  URN,
  userBody,
} from '../support/scim-expectations';

describe.each(testDialects())('Errors, ETags, content types and /Bulk as Entra sees them (%s)', (dialect) => {
  let s: ScimTestServer;
  beforeAll(async () => {
    s = await startScimServer(dialect);
  });
  afterAll(() => s.close());

  describe('case 7: authentication failures', () => {
    it.each([
      ['no Authorization header', undefined],
      ['a non-token', 'non-token'],
      ['an unknown bearer token', 'Bearer squ_0000000000000000000000000000000000000000'],
      ['Bearer without a value', 'Bearer '],
    ])('%s is 401 with WWW-Authenticate: Bearer and a SCIM error body', async (_label, authorization) => {
      let req = s.http().get(`${SCIM}/Users`);
      if (authorization !== undefined) req = req.set('Authorization', authorization);
      const res = await req;
      expectScimError(res, 401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('a refused create writes nothing', async () => {
      const before = await databaseSnapshot(s);
      const res = await s
        .http()
        .post(`${SCIM}/Users`)
        .set('Authorization', 'Bearer squ_0000000000000000000000000000000000000000')
        .set('Content-Type', SCIM_JSON)
        .send(JSON.stringify(userBody('intruder@contoso.com')));
      expectScimError(res, 401);
      expect(await databaseSnapshot(s)).toEqual(before);
    });

    it('a token in the query string is no credential', async () => {
      const res = await s.http().get(`${SCIM}/Users?access_token=${s.token}`);
      expectScimError(res, 401);
    });
  });

  describe('the checks before any read or write, in order: token, admin, license', () => {
    it('a bad token with a junk body is 401, not 400: nothing is read before authentication', async () => {
      const res = await s
        .http()
        .post(`${SCIM}/Users`)
        .set('Authorization', 'Bearer squ_0000000000000000000000000000000000000000')
        .set('Content-Type', SCIM_JSON)
        .send('{"junk":');
      expectScimError(res, 401);
    });

    it('a valid token of a user who is not an admin is 403, for reads, discovery and writes, and writes nothing', async () => {
      const plain = await s.app.get(UsersService).create({ login: 'not-an-admin', local: true });
      const { token } = await s.app.get(UserTokensService).generate({ userId: plain.id, name: 'entra' });
      const before = await databaseSnapshot(s);
      const as = (req: ReturnType<ReturnType<ScimTestServer['http']>['get']>) =>
        req.set('Authorization', `Bearer ${token}`);
      expectScimError(await as(s.http().get(`${SCIM}/Users`)), 403);
      expectScimError(await as(s.http().get(`${SCIM}/Schemas`)), 403);
      const created = await as(s.http().post(`${SCIM}/Users`))
        .set('Content-Type', SCIM_JSON)
        .send(JSON.stringify(userBody('sneaky@contoso.com')));
      expectScimError(created, 403);
      expect(await databaseSnapshot(s)).toEqual(before);
    });

    it('without the license, the admin’s requests are 403 saying so, and nothing is written', async () => {
      const licenses = s.app.get(LicenseService);
      await licenses.remove();
      try {
        const before = await databaseSnapshot(s);
        const listed = await s.get('/Users');
        expectScimError(listed, 403);
        expect(listed.body.detail).toMatch(/licen[cs]e/i);
        expectScimError(await s.post('/Users', userBody('unlicensed@contoso.com')), 403);
        expectScimError(await s.get('/ServiceProviderConfig'), 403);
        expect(await databaseSnapshot(s)).toEqual(before);
      } finally {
        await licenses.install(s.enterpriseLicense());
      }
      await s.get('/Users?count=0').expect(200);
    });
  });

  describe('case 64: the error body', () => {
    it('status is a string, scimType only where the RFC has one, detail never echoes input', async () => {
      const notFound = await s.get('/Users/<script>alert(1)</script>');
      expectScimError(notFound, 404);
      expect(JSON.stringify(notFound.body)).not.toContain('script');
      const filter = await s.get(`/Users?filter=${encodeURIComponent('userName zz "secret-canary"')}`);
      expectScimError(filter, 400, 'invalidFilter');
      expect(JSON.stringify(filter.body)).not.toContain('secret-canary');
    });
  });

  describe('case 69: ETags', () => {
    let user: Record<string, any>;
    beforeAll(async () => {
      user = await createUser(s, 'etag@contoso.com', { title: 'v1' });
    });

    it('meta.version equals the ETag header on create, read, PATCH and PUT', async () => {
      expect(user.meta.version).toBe('W/"1"');
      const got = await s.get(`/Users/${user.id}`).expect(200);
      expect(got.headers.etag).toBe(got.body.meta.version);
      const patched = await s.patch(`/Users/${user.id}`, patchOps({ op: 'replace', path: 'title', value: 'v2' }));
      expect(patched.status).toBe(200);
      expect(patched.headers.etag).toBe(patched.body.meta.version);
      expect(patched.body.meta.version).toBe('W/"2"');
      const put = await s.put(`/Users/${user.id}`, userBody('etag@contoso.com', { title: 'v3' }));
      expect(put.status).toBe(200);
      expect(put.headers.etag).toBe('W/"3"');
      expect(put.body.meta.version).toBe('W/"3"');
      const listed = await s.get(`/Users?filter=${encodeURIComponent(`id eq "${user.id}"`)}`).expect(200);
      expect(listed.body.Resources[0].meta.version).toBe('W/"3"');
    });

    it('If-None-Match with the current version is 304 without a body; a stale one is 200', async () => {
      const current = (await s.get(`/Users/${user.id}`).expect(200)).headers.etag;
      const same = await getWith(s, `/Users/${user.id}`, { 'If-None-Match': current });
      expect(same.status).toBe(304);
      expect(same.text ?? '').toBe('');
      expect(same.headers.etag).toBe(current);
      const stale = await getWith(s, `/Users/${user.id}`, { 'If-None-Match': 'W/"1"' });
      expect(stale.status).toBe(200);
      expect(stale.body.id).toBe(user.id);
    });

    it('If-Match with a stale version is 412 for PATCH, PUT and DELETE, and nothing changes', async () => {
      const before = await databaseSnapshot(s);
      const stale = { 'If-Match': 'W/"1"' };
      const patched = await s
        .patch(`/Users/${user.id}`, patchOps({ op: 'replace', path: 'title', value: 'lost update' }))
        .set(stale);
      expectScimError(patched, 412);
      const put = await s.put(`/Users/${user.id}`, userBody('etag@contoso.com', { title: 'lost' })).set(stale);
      expectScimError(put, 412);
      const deleted = await s.delete(`/Users/${user.id}`).set(stale);
      expectScimError(deleted, 412);
      expect(await databaseSnapshot(s)).toEqual(before);
    });

    it('If-Match with the current version (weak or strong) or * lets the write through', async () => {
      const current = (await s.get(`/Users/${user.id}`).expect(200)).body.meta.version as string;
      const weak = await s
        .patch(`/Users/${user.id}`, patchOps({ op: 'replace', path: 'title', value: 'weak' }))
        .set('If-Match', current);
      expect(weak.status).toBe(200);
      const strong = await s
        .patch(`/Users/${user.id}`, patchOps({ op: 'replace', path: 'title', value: 'strong' }))
        .set('If-Match', weak.body.meta.version.replace(/^W\//, ''));
      expect(strong.status).toBe(200);
      const any = await s
        .patch(`/Users/${user.id}`, patchOps({ op: 'replace', path: 'title', value: 'any' }))
        .set('If-Match', '*');
      expect(any.status).toBe(200);
      expect(any.body.title).toBe('any');
    });

    it('a malformed If-Match is 400, not a silent pass', async () => {
      const res = await s
        .patch(`/Users/${user.id}`, patchOps({ op: 'replace', path: 'title', value: 'x' }))
        .set('If-Match', 'garbage');
      expectScimError(res, 400, 'invalidSyntax');
    });
  });

  describe('case 73: /Bulk', () => {
    it('POST /Bulk is 501 with a SCIM error and creates nothing', async () => {
      const before = await databaseSnapshot(s);
      const res = await s.post('/Bulk', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [{ method: 'POST', path: '/Users', bulkId: 'q1', data: userBody('bulk@contoso.com') }],
      });
      expectScimError(res, 501);
      expect(await databaseSnapshot(s)).toEqual(before);
    });
  });

  describe('case 74: content types', () => {
    it('every answer is application/scim+json: list, read, create, patch, errors, discovery', async () => {
      const created = await s.post('/Users', userBody('ctype@contoso.com'));
      expectScimJson(created);
      expectScimJson(await s.get('/Users'));
      expectScimJson(await s.get(`/Users/${created.body.id}`));
      expectScimJson(await s.patch(`/Users/${created.body.id}`, patchOps({ op: 'add', path: 'title', value: 't' })));
      expectScimJson(await s.get('/Users/unknown'));
      expectScimJson(await s.get('/ServiceProviderConfig'));
    });

    it('a PATCH sent as application/json is accepted', async () => {
      const user = await createUser(s, 'json-patch@contoso.com');
      const res = await rawRequest(
        s,
        'patch',
        `/Users/${user.id}`,
        JSON.stringify(patchOps({ op: 'Replace', path: 'active', value: 'False' })),
        'application/json',
      );
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
    });

    it('a body that is not JSON at all (text/plain) is refused with a SCIM error and creates nothing', async () => {
      const before = await databaseSnapshot(s);
      const res = await rawRequest(s, 'post', '/Users', JSON.stringify(userBody('plain@contoso.com')), 'text/plain');
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectScimJson(res);
      expect(res.body.schemas).toEqual([URN.ERROR]);
      expect(await databaseSnapshot(s)).toEqual(before);
    });

    it('a body above the size limit is 413 with a SCIM error', async () => {
      const huge = JSON.stringify(userBody('huge@contoso.com', { title: 'x'.repeat(2 * 1024 * 1024) }));
      const res = await rawRequest(s, 'post', '/Users', huge);
      expectScimError(res, 413);
    });
  });

  describe('routes that do not exist under the SCIM root', () => {
    it('an unknown resource type, the bare root, or an id holding a slash answers a SCIM 404', async () => {
      for (const path of ['/Foo', '', '/', '/Users/a/b', '/serviceConfiguration']) {
        expectScimError(await s.get(path), 404);
      }
    });

    it('an unsupported method on /Users answers a SCIM error, not a 500', async () => {
      const res = await s.delete('/Users');
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectScimJson(res);
      expect(res.body.schemas).toEqual([URN.ERROR]);
    });

    it('without a token, an unknown route is 401 like every other SCIM route', async () => {
      expectScimError(await s.http().get(`${SCIM}/Foo`), 401);
    });
  });
});
