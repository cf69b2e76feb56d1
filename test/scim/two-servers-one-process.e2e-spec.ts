import { startScimServer, ScimTestServer } from '../support/scim-harness';

/**
 * Two applications in one process (two instances of the module, each on its own database): each checks the tokens of
 * its own database. Passport's default instance is one per process, so a strategy registered there by the second
 * application would answer for the first.
 */
describe('two servers in one process', () => {
  let first: ScimTestServer;
  let second: ScimTestServer;
  beforeAll(async () => {
    first = await startScimServer('sqlite');
    second = await startScimServer('sqlite');
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('each accepts its own token and refuses the other one', async () => {
    expect((await first.get('/Users')).status).toBe(200);
    expect((await second.get('/Users')).status).toBe(200);
    const crossed = await first.http().get('/api/scim/v2/Users').set('Authorization', `Bearer ${second.token}`);
    expect(crossed.status).toBe(401);
  });
});
