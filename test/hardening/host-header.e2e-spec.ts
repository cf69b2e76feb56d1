import { testDialects } from '@nest-scim/persistence/testing';
import { SCIM, SCIM_JSON, ScimTestServer, startScimServer } from '../support/scim-harness';
import { expectScimError, userBody } from './hardening-support';

/*
 * The Host header is the client's to choose. Without PUBLIC_URL, SCIM answers (Location, meta.location) are built
 * from it: ALLOWED_HOSTS limits it to the hosts the admin named; PUBLIC_URL makes it irrelevant.
 */
describe.each(testDialects())('addresses in answers and the Host header (%s)', (dialect) => {
  describe('PUBLIC_URL unset, ALLOWED_HOSTS set', () => {
    let s: ScimTestServer;
    beforeAll(async () => {
      s = await startScimServer(dialect, {
        env: { ALLOWED_HOSTS: 'scim.contoso.example, admin.contoso.example:9000' },
      });
    });
    afterAll(() => s.close());

    const create = (host: string, userName: string) =>
      s
        .http()
        .post(`${SCIM}/Users`)
        .set('Host', host)
        .set('Authorization', `Bearer ${s.token}`)
        .set('Content-Type', SCIM_JSON)
        .send(JSON.stringify(userBody(userName)));

    it('a request naming another host is refused with 400 before anything happens: SCIM error on SCIM, the Web API shape elsewhere', async () => {
      const refused = await create('evil.example', 'hosted-1@contoso.com');
      expectScimError(refused, 400);
      expect(JSON.stringify(refused.body)).not.toContain('evil.example');
      expect(refused.headers.location).toBeUndefined();
      // A listed host on another port than the one it was listed with is another host.
      expectScimError(await create('admin.contoso.example:9443', 'hosted-1@contoso.com'), 400);
      const web = await s
        .http()
        .get('/api/users/search')
        .set('Host', 'evil.example')
        .set('Authorization', `Bearer ${s.token}`)
        .expect(400);
      expect(web.body).toEqual({ errors: [{ msg: expect.stringMatching(/^Unknown host/) }] });
      const [row] = await s.dataSource.query("SELECT COUNT(*) AS n FROM users WHERE login = 'hosted-1@contoso.com'");
      expect(Number(row.n)).toBe(0);
      // Health probes call by the instance's own address: not refused.
      await s.http().get('/api/system/health').set('Host', '10.0.0.7:9000').expect(200);
    });

    it('a listed host is answered, and the addresses in the answer name it', async () => {
      const created = await create('SCIM.contoso.example:8443', 'hosted-2@contoso.com').expect(201);
      // Host names are case-insensitive: the listed host, in the case the request wrote it.
      expect(new URL(created.headers.location).origin).toBe('http://scim.contoso.example:8443');
      expect(created.headers.location).toMatch(new RegExp(`${SCIM}/Users/${created.body.id}$`));
      expect(created.body.meta.location).toBe(created.headers.location);
      await create('admin.contoso.example:9000', 'hosted-3@contoso.com').expect(201);
    });
  });

  describe('PUBLIC_URL set', () => {
    let s: ScimTestServer;
    beforeAll(async () => {
      s = await startScimServer(dialect, { env: { PUBLIC_URL: 'https://sonar.contoso.example' } });
    });
    afterAll(() => s.close());

    it('addresses come from PUBLIC_URL whatever Host the request names', async () => {
      const created = await s
        .http()
        .post(`${SCIM}/Users`)
        .set('Host', 'evil.example')
        .set('Authorization', `Bearer ${s.token}`)
        .set('Content-Type', SCIM_JSON)
        .send(JSON.stringify(userBody('public-url@contoso.com')))
        .expect(201);
      expect(created.headers.location).toBe(`https://sonar.contoso.example${SCIM}/Users/${created.body.id}`);
      expect(JSON.stringify(created.body)).not.toContain('evil.example');
    });
  });
});
