import { LocalAccountsService } from '@nest-scim/auth';
import { testDialects } from '@nest-scim/persistence/testing';
import { createLocalUser, webApi } from '../support/web-api-harness';
import { expectScimError, ScimTestServer, startHardenedServer, URN, userBody } from './hardening-support';

/*
 * What a refusal says of the request. SCIM details never quote a value the request sent (Entra ID shows details in
 * its provisioning logs); the admin Web API keeps the product's messages, which name the login or group the admin
 * typed, as SonarQube's own do.
 */
describe.each(testDialects())('conflict details (%s)', (dialect) => {
  let s: ScimTestServer;
  beforeAll(async () => {
    s = await startHardenedServer(dialect);
  });
  afterAll(() => s.close());

  it('SCIM: a userName taken by a local account or another SCIM user, and a displayName taken by a SCIM or built-in group, are 409s that quote nothing', async () => {
    await s.app
      .get(LocalAccountsService)
      .createLocalUser({ login: 'Local.Person-7', name: 'x', password: 'Some-password-123' });
    await s.post('/Groups', { schemas: [URN.GROUP], displayName: 'Scim-Group-7' }).expect(201);
    await s.post('/Users', userBody('Scim.Person-7@contoso.com')).expect(201);
    const other = (await s.post('/Users', userBody('other-7@contoso.com')).expect(201)).body.id as string;
    const rename = (userName: string) =>
      s.patch(`/Users/${other}`, {
        schemas: [URN.PATCH_OP],
        Operations: [{ op: 'replace', path: 'userName', value: userName }],
      });

    const refusals = [
      [await s.post('/Users', userBody('ADMIN')), 'ADMIN'],
      [await s.post('/Users', userBody('LOCAL.PERSON-7')), 'LOCAL.PERSON-7'],
      [await s.post('/Users', userBody('scim.person-7@CONTOSO.com')), 'scim.person-7@CONTOSO.com'],
      [await s.post('/Groups', { schemas: [URN.GROUP], displayName: 'scim-group-7' }), 'scim-group-7'],
      [await s.post('/Groups', { schemas: [URN.GROUP], displayName: 'SONAR-USERS' }), 'SONAR-USERS'],
      // Renames onto a taken userName: the product's message would name the login.
      [await rename('ADMIN'), 'ADMIN'],
      [await rename('SCIM.PERSON-7@contoso.com'), 'SCIM.PERSON-7@contoso.com'],
    ] as const;
    for (const [res, sent] of refusals) {
      expectScimError(res, 409, 'uniqueness');
      expect({ sent, detail: res.body.detail }).toEqual({ sent, detail: expect.not.stringMatching(/'/) });
      expect(res.body.detail.toLowerCase()).not.toContain(sent.toLowerCase());
    }
    expect(refusals.map(([res]) => res.body.detail)).toEqual([
      'This userName belongs to a local account of the product',
      'This userName belongs to a local account of the product',
      'A user with this userName already exists',
      'A group with this displayName already exists',
      'This displayName belongs to a built-in group of the product',
      'A user with this userName already exists',
      'A user with this userName already exists',
    ]);
  });

  it('Web API: the product’s messages name the login and the group', async () => {
    const local = await startHardenedServer(dialect, { withoutScimMode: true });
    try {
      const admin = webApi(local, { bearer: local.token });
      await createLocalUser(admin, 'Local.Person-7');
      await admin.post('/api/user_groups/create', { name: 'Local-Group-7' }).expect(200);
      const user = await admin
        .post('/api/users/create', { login: 'local.person-7', name: 'x', password: 'Some-password-123' })
        .expect(400);
      expect(user.body).toEqual({ errors: [{ msg: "A user with login 'local.person-7' already exists" }] });
      const group = await admin.post('/api/user_groups/create', { name: 'LOCAL-GROUP-7' }).expect(400);
      expect(group.body).toEqual({ errors: [{ msg: "Group 'LOCAL-GROUP-7' already exists" }] });
    } finally {
      await local.close();
    }
  });
});
