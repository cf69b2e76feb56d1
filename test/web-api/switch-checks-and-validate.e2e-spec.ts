import { testDialects } from '@nest-scim/persistence/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import {
  ADMIN_PASSWORD,
  completeSaml,
  createLocalUser,
  signIn,
  webApi,
  WebApiClient,
} from '../support/web-api-harness';

const NEEDS_SAML = 'SAML authentication must be configured and enabled first';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe.each(testDialects())('Web API: the checks before a switch, and credential validation (%s)', (dialect) => {
  let s: ScimTestServer;
  let admin: WebApiClient;
  beforeAll(async () => {
    s = await startScimServer(dialect, { withoutLicense: true });
    admin = webApi(s, { bearer: s.token });
  });
  afterAll(() => s.close());

  it('names the unmet prerequisites as enable would, and counts what a switch concerns, changing nothing', async () => {
    await createLocalUser(admin, 'kept-local');
    await admin.postJson('/api/users/create', { login: 'jit@contoso.com', name: 'Jit', local: false }).expect(200);
    const before = await admin.get('/api/scim_management/checks').expect(200);
    expect(before.body.enabled).toBe(false);
    expect(before.body.problems.map((p: { prerequisite: string }) => p.prerequisite)).toEqual(['license', 'saml']);
    expect(before.body.problems[0].msg).toBe('This feature requires an Enterprise license');
    expect(before.body.problems[1].msg).toMatch(new RegExp(`^${NEEDS_SAML}: SAML authentication is not enabled`));
    const refusal = await admin.post('/api/scim_management/enable').expect(400);
    expect(refusal.body.errors.map((e: { msg: string }) => e.msg)).toEqual(
      before.body.problems.map((p: { msg: string }) => p.msg),
    );
    expect(before.body.counts).toEqual({
      activeUsers: 3,
      localAccounts: 2,
      managedUsers: 0,
      groups: 2,
      managedGroups: 0,
      linkedUsers: 0,
      linkedGroups: 0,
    });
    // What each direction does, in the sentences the page's confirmations show.
    expect(before.body.consequences.enable).toContain(
      'Local accounts (2 active) stay local: they keep their password and tokens and can be deactivated, but their ' +
        'name and email can no longer be edited here.',
    );
    expect(before.body.consequences.disable[0]).toMatch(/^0 users and 0 groups managed by Entra ID become editable/);

    await admin.post('/api/editions/set_license', { license: s.enterpriseLicense() }).expect(204);
    expect((await admin.get('/api/scim_management/checks')).body.problems).toEqual([
      expect.objectContaining({ prerequisite: 'saml' }),
    ]);
    await completeSaml(admin);
    const ready = await admin.get('/api/scim_management/checks').expect(200);
    expect(ready.body).toMatchObject({ enabled: false, problems: [] });
    expect((await admin.get('/api/scim_management/status')).body.enabled).toBe(false);

    await admin.post('/api/scim_management/enable').expect(204);
    expect((await s.post('/Users', { schemas: [USER_SCHEMA], userName: 'jit@contoso.com', active: true })).status).toBe(
      201,
    );
    const on = await admin.get('/api/scim_management/checks').expect(200);
    expect(on.body).toMatchObject({ enabled: true, problems: [], counts: { managedUsers: 1, localAccounts: 2 } });
  });

  it('validates credentials with a 200 either way', async () => {
    expect((await webApi(s).get('/api/authentication/validate').expect(200)).body).toEqual({ valid: false });
    expect((await admin.get('/api/authentication/validate').expect(200)).body).toEqual({ valid: true });
    const wrongToken = webApi(s, { bearer: `squ_${'0'.repeat(40)}` });
    expect((await wrongToken.get('/api/authentication/validate').expect(200)).body).toEqual({ valid: false });
    const cookie = await signIn(s, 'admin', ADMIN_PASSWORD);
    expect((await webApi(s, { cookie }).get('/api/authentication/validate').expect(200)).body).toEqual({ valid: true });
    await webApi(s, { cookie }).post('/api/authentication/logout').expect(204);
    expect((await webApi(s, { cookie }).get('/api/authentication/validate').expect(200)).body).toEqual({
      valid: false,
    });
  });
});
