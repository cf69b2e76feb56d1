import { testDialects } from '@nest-scim/persistence/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';

/** SonarQube's admin scripts pass POST parameters in the query string: `curl -u TOKEN: -X POST ".../generate?name=ci"`. */
describe.each(testDialects())('Web API: POST parameters in the query string (%s)', (dialect) => {
  let s: ScimTestServer;
  const basic = () => `Basic ${Buffer.from(`${s.token}:`).toString('base64')}`;
  beforeAll(async () => {
    s = await startScimServer(dialect, { withoutScimMode: true });
  });
  afterAll(() => s.close());

  it('generates a token named in the query string, as curl -u TOKEN: -X POST does', async () => {
    const generated = await s
      .http()
      .post('/api/user_tokens/generate?name=ci')
      .set('Authorization', basic())
      .expect(200);
    expect(generated.body).toMatchObject({ login: 'admin', name: 'ci', type: 'USER_TOKEN' });
    const listed = (await s.http().get('/api/user_tokens/search').set('Authorization', basic()).expect(200)).body;
    expect(listed.userTokens.map((t: { name: string }) => t.name)).toContain('ci');
  });

  it('takes some parameters from the query string and others from the form, the form winning on a clash', async () => {
    await s
      .http()
      .post('/api/users/create?login=qs-user&name=From%20query')
      .set('Authorization', basic())
      .type('form')
      .send({ name: 'From form', password: 'Qs-user-password-1' })
      .expect(200);
    const found = await s.http().get('/api/users/search?q=qs-user').set('Authorization', basic()).expect(200);
    expect(found.body.users).toEqual([expect.objectContaining({ login: 'qs-user', name: 'From form', local: true })]);
  });

  it('still names a parameter that is in neither', async () => {
    const missing = await s.http().post('/api/user_tokens/generate').set('Authorization', basic()).expect(400);
    expect(missing.body).toEqual({ errors: [{ msg: "The 'name' parameter is missing", field: 'name' }] });
  });
});
