import { LocalAccountsService, SignInThrottleEntity } from '@nest-scim/auth';
import { testDialects } from '@nest-scim/persistence/testing';
import { ScimTestServer, startScimServer } from '../support/scim-harness';
import { ADMIN_PASSWORD, createLocalUser, webApi } from '../support/web-api-harness';

const PAIR_LIMIT = 3;
const LOGIN_LIMIT = 5;
const WRONG = 'Wrong-password-1';

/*
 * Password sign-in is throttled per (address, login), per address and per login, and a failure from elsewhere never
 * locks the owner out: a login that guessers elsewhere pushed over its limit still accepts its right password from
 * an address that has not failed. Every request here comes from 127.0.0.1; failures from other addresses are counted
 * through the service, as the sign-in route would count them.
 */
describe.each(testDialects())('password sign-in lock-out (%s)', (dialect) => {
  let s: ScimTestServer;
  beforeAll(async () => {
    s = await startScimServer(dialect, {
      withoutScimMode: true,
      env: {
        AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN_AND_ADDRESS: String(PAIR_LIMIT),
        AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN: String(LOGIN_LIMIT),
        AUTH_MAX_FAILURES_PER_ADDRESS: '1000',
        AUTH_THROTTLE_WINDOW_SECONDS: '600',
      },
    });
  });
  afterAll(() => s.close());

  const signIn = (login: string, password: string) => webApi(s).post('/api/authentication/login', { login, password });

  it('guessers on many addresses push the login over its limit; its owner, on an address that never failed, signs in', async () => {
    const admin = webApi(s, { bearer: s.token });
    const carol = await createLocalUser(admin, 'carol');
    const accounts = s.app.get(LocalAccountsService);
    for (let a = 1; a <= LOGIN_LIMIT; a++) {
      await expect(accounts.authenticatePassword('carol', WRONG, { address: `198.51.100.${a}` })).rejects.toThrow(
        'Authentication failed',
      );
    }
    // The guessers' addresses are refused even with the right password …
    await expect(
      accounts.authenticatePassword('carol', carol.password, { address: '198.51.100.1' }),
    ).rejects.toMatchObject({ reason: 'throttled' });
    // … while carol, from 127.0.0.1 (no failure there), signs in over HTTP.
    await signIn('carol', carol.password).expect(204);
  });

  it('failures for one login from this address: 429 with Retry-After for it, even with the right password; other logins unaffected', async () => {
    const admin = webApi(s, { bearer: s.token });
    const dave = await createLocalUser(admin, 'dave');
    for (let i = 0; i < PAIR_LIMIT; i++) await signIn('admin', WRONG).expect(401);
    const throttled = await signIn('admin', ADMIN_PASSWORD).expect(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(throttled.headers['retry-after'])).toBeLessThanOrEqual(600);
    expect(throttled.body.errors[0].msg).toMatch(/^Too many failed sign-in attempts, retry after \d+ s$/);
    await signIn('dave', dave.password).expect(204);
    // Counted under hashes: neither the login nor the address is stored in clear.
    const rows = await s.dataSource.getRepository(SignInThrottleEntity).find();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(/admin|127\.0\.0\.1/);
  });
});
