import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import request from 'supertest';
import { LocalAccountsService } from '@nest-scim/auth';
import { LicenseKeyPair, makeLicenseKeyPair, signLicense } from '@nest-scim/license/testing';
import { makeSelfSignedCertificate } from '@nest-scim/saml/testing';
import { buildAdminPage } from '../../scripts/build-admin-page';
import { startTestServer, TestServer } from '../support/server-harness';
import { browserUnavailable, openBrowser } from './browser';

const ADMIN_PASSWORD = 'Admin-password-1234';
const SCREENSHOTS = resolve(__dirname, '../../docs/screenshots');
const DAY = 24 * 60 * 60 * 1000;
const SAML_ENABLED = 'sonar.auth.saml.enabled';

const unavailable = browserUnavailable();
const describeInBrowser = unavailable ? describe.skip : describe;

/**
 * The seed's story, clicked through in headless Chromium against the real server: an admin signs in, fills SAML,
 * is told why SCIM cannot be switched on yet, installs the license, switches SCIM on through the confirmation,
 * generates the token for Entra ID, and sees the user Entra ID then creates as Managed and read-only.
 */
describeInBrowser('admin page in a browser: from sign-in to a working SCIM endpoint', () => {
  let server: TestServer;
  let baseUrl: string;
  let context: BrowserContext;
  let page: Page;
  let closeBrowser: () => Promise<void>;
  let licenseKeys: LicenseKeyPair;
  /** An admin session of the test's own, to read the API's state and wording beside what the page shows. */
  let observer: ReturnType<typeof request.agent>;
  let entraToken: string;
  /** The ids Entra ID holds after its first cycle: its next cycle asks for each of them. */
  const entraIds: { Users: string[]; Groups: string[] } = { Users: [], Groups: [] };
  /** Entra ID's requests, with the token the admin copied. */
  const entraRequest = (method: string, path: string, body?: unknown) =>
    fetch(`${baseUrl}/api/scim/v2${path}`, {
      method,
      headers: { Authorization: `Bearer ${entraToken}`, 'Content-Type': 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const pageErrors: string[] = [];
  /** Every console error and every answer of 400 or more, including those pageErrors leaves out. */
  let loadNoise: string[] = [];

  const api = () => request(server.app.getHttpServer());
  const provisioning = () => page.getByRole('region', { name: 'Provisioning' });
  const saveProvisioning = () => provisioning().getByRole('button', { name: 'Save', exact: true });
  const activeElement = () =>
    page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      return { text: element?.textContent?.trim() ?? '', inDialog: !!element?.closest('dialog') };
    });
  /** For the README: the whole page, the viewport only (`fullPage: false`, for a modal), or one element. */
  const screenshot = async (
    name: string,
    target: Page | Locator = page,
    options: { mask?: Locator[]; fullPage?: boolean } = {},
  ) => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, `${name}.png`);
    const common = { path, animations: 'disabled' as const, mask: options.mask, maskColor: '#9ca3af' };
    if ('goto' in target) await target.screenshot({ ...common, fullPage: options.fullPage ?? true });
    else await target.screenshot(common);
  };
  const license = (edition: string, features: string[], expiresInDays: number) =>
    signLicense(licenseKeys.privateKey, {
      licensee: 'Contoso Ltd',
      edition: edition as 'enterprise',
      features,
      expiresAt: new Date(Date.now() + expiresInDays * DAY),
    });
  const scimStatus = async () => (await observer.get('/api/scim_management/status').expect(200)).body;

  beforeAll(async () => {
    await buildAdminPage();
    licenseKeys = makeLicenseKeyPair();
    server = await startTestServer('sqlite', {
      env: { LICENSE_PUBLIC_KEYS: licenseKeys.publicKey, ADMIN_PASSWORD },
    });
    // What main.ts does at start, which the harness leaves out.
    await server.app.get(LocalAccountsService).ensureAdminAccount({ password: ADMIN_PASSWORD });
    await server.app.listen(0, '127.0.0.1');
    // Signed in beside the page, and sending what a browser on the page sends: changes made with the session cookie
    // must come from the server's own origin.
    observer = request.agent(server.app.getHttpServer()).set('Sec-Fetch-Site', 'same-origin');
    await observer.post('/api/authentication/login').send({ login: 'admin', password: ADMIN_PASSWORD }).expect(204);
    baseUrl = `http://127.0.0.1:${(server.app.getHttpServer().address() as AddressInfo).port}`;
    ({ context, close: closeBrowser } = await openBrowser(baseUrl));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // A refused request is logged by Chromium too; those are expected here. Anything else (a script error, a
    // resource the content security policy blocked) is not.
    page.on('console', (message) => {
      if (message.type() === 'error') loadNoise.push(message.text());
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(message.text());
      }
    });
    page.on('response', (response) => {
      if (response.status() >= 400) loadNoise.push(`${response.status()} ${response.url()}`);
    });
  });

  afterAll(async () => {
    await closeBrowser?.();
    await server?.close();
  });

  it('signs the admin in, keyboard only, and opens General settings › Authentication › SAML', async () => {
    loadNoise = [];
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in to Administration' }).waitFor();
    // Nothing on the console and no refused request on load: no 401 to learn there is no session, no favicon 404.
    expect(loadNoise).toEqual([]);
    await screenshot('sign-in');

    // Focus starts in the login field.
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type('not-the-password');
    await page.keyboard.press('Enter');
    const refused = await api().post('/api/authentication/login').send({ login: 'nobody', password: 'wrong' });
    await page.getByRole('alert').filter({ hasText: refused.body.errors[0].msg }).waitFor();

    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'SAML' }).waitFor();
    const trail = await page.getByRole('navigation', { name: 'Breadcrumb' }).locator('li').allTextContents();
    expect(trail).toEqual(['Administration', 'Configuration', 'General settings', 'Authentication', 'SAML']);
    expect((await activeElement()).text).toBe('SAML');

    // Loading again while signed in is as quiet.
    loadNoise = [];
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'SAML' }).waitFor();
    await provisioning().locator('fieldset.choices:not([disabled])').waitFor();
    expect(loadNoise).toEqual([]);
  });

  it('shows refused SAML values beside their fields, explains the login attribute, and never shows secrets back', async () => {
    const loginUrl = page.getByLabel('SAML login url');
    await loginUrl.fill('not a url');
    await page.getByLabel('Identity provider certificate').fill('not a certificate');
    await page.getByRole('button', { name: 'Save configuration' }).click();
    // The refusal comes back from the API asynchronously: wait until the page has marked the field.
    await page.locator('input[aria-invalid="true"]').first().waitFor();

    const expected = await observer
      .post('/api/settings/set')
      .send({ key: 'sonar.auth.saml.loginUrl', value: 'not a url' })
      .expect(400);
    await expect(descriptionOf(loginUrl)).resolves.toContain(expected.body.errors[0].msg);
    expect(await loginUrl.getAttribute('aria-invalid')).toBe('true');
    await expect(descriptionOf(page.getByLabel('Identity provider certificate'))).resolves.toContain(
      'is not a valid X.509 certificate',
    );
    // Focus goes to the first refused field, so the admin can fix it at once.
    expect(await loginUrl.evaluate((element) => element === document.activeElement)).toBe(true);

    await page.getByText("Entra's userName mapping must produce the same value as this attribute").waitFor();

    const certificate = makeSelfSignedCertificate({ commonName: 'login.microsoftonline.com' }).certificatePem;
    await page.getByLabel('Enabled', { exact: true }).focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Provider ID').fill('https://sts.windows.net/00000000-0000-0000-0000-000000000000/');
    await loginUrl.fill('https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2');
    await page.getByLabel('Identity provider certificate').fill(certificate);
    await page
      .getByLabel('SAML user login attribute')
      .fill('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name');
    await page.getByLabel('SAML user name attribute').fill('http://schemas.microsoft.com/identity/claims/displayname');
    await page.getByRole('button', { name: 'Save configuration' }).click();
    await page.getByRole('status').filter({ hasText: 'SAML configuration saved.' }).waitFor();

    const group = page.getByRole('group', { name: 'Identity provider certificate' });
    await group.getByText('A value is set. It is never shown.').waitFor();
    const certificateBody = certificate.split('\n')[1];
    expect(await page.content()).not.toContain(certificateBody);
    expect(await page.getByLabel('SAML login url').inputValue()).toBe(
      'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2',
    );
    await page.getByRole('link', { name: 'Test configuration' }).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot('saml-settings');
  });

  it('checks before asking: shows what stands in the way as the API words it, and drops it once SAML is fixed', async () => {
    // SAML made incomplete again: the switch now meets two problems.
    const nameAttribute = page.getByLabel('SAML user name attribute');
    const nameValue = await nameAttribute.inputValue();
    await nameAttribute.fill('');
    await page.getByRole('button', { name: 'Save configuration' }).click();
    await page.getByRole('status').filter({ hasText: 'SAML configuration saved.' }).waitFor();

    await provisioning().getByRole('radio', { name: 'Automatic user and group provisioning with SCIM' }).focus();
    await page.keyboard.press('Space');
    await saveProvisioning().focus();
    await page.keyboard.press('Enter');
    const alert = provisioning().getByRole('alert');
    const checks = (await observer.get('/api/scim_management/checks').expect(200)).body;
    expect(checks.problems.map((p: { prerequisite: string }) => p.prerequisite)).toEqual(['license', 'saml']);
    for (const { msg } of checks.problems as { msg: string }[]) await alert.getByText(msg).waitFor();
    // No confirmation for a switch that cannot happen.
    expect(await page.getByRole('dialog').count()).toBe(0);
    await provisioning().getByRole('link', { name: 'License manager' }).waitFor();
    expect((await scimStatus()).enabled).toBe(false);

    // Saving SAML complete again: the refusal that named SAML goes, rather than staying on screen.
    await nameAttribute.fill(nameValue);
    await page.getByRole('button', { name: 'Save configuration' }).click();
    await page.getByRole('status').filter({ hasText: 'SAML configuration saved.' }).waitFor();
    await alert.getByText('SAML authentication must be configured').waitFor({ state: 'detached' });

    await saveProvisioning().click();
    const refusal = await observer.post('/api/scim_management/enable').expect(400);
    expect(refusal.body.errors).toEqual([{ msg: 'This feature requires an Enterprise license' }]);
    await alert.getByText('This feature requires an Enterprise license').waitFor();
    expect(await alert.getByText('SAML authentication must be configured').count()).toBe(0);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await activeElement()).toEqual({ text: 'Save', inDialog: false });
    expect((await scimStatus()).enabled).toBe(false);
    await screenshot('provisioning-refused', provisioning());
  });

  it('edits users and groups in just-in-time mode: create, edit, deactivate, reactivate, members, permission', async () => {
    const nav = page.getByRole('navigation', { name: 'Administration' });
    await nav.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByText('Just-in-time provisioning: users are created').waitFor();

    // Create a local account.
    await page.getByRole('button', { name: 'Create user' }).click();
    const create = page.getByRole('dialog', { name: 'Create a local user' });
    await create.waitFor();
    await create.getByLabel('Login').fill('bob');
    await create.getByLabel('Name').fill('Bob Builder');
    await create.getByLabel('Email').fill('bob@example.com');
    await create.getByLabel('Password').fill('Bob-Password-123');
    await create.getByRole('button', { name: 'Create' }).click();
    await create.waitFor({ state: 'hidden' });
    await page.getByRole('status').filter({ hasText: 'bob was created.' }).waitFor();
    const bob = page.locator('tr[data-login="bob"]');
    await bob.getByText('Bob Builder').waitFor();
    await bob.getByText('sonar-users').waitFor();
    await bob.getByText('Local', { exact: true }).waitFor();

    // Edit the name and email.
    await bob.getByRole('button', { name: 'Edit bob' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit bob' });
    await edit.getByLabel('Name').fill('Bob the Builder');
    await edit.getByLabel('Email').fill('');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden' });
    await bob.getByText('Bob the Builder').waitFor();
    const afterEdit = (await observer.get('/api/users/search').query({ q: 'bob' }).expect(200)).body.users[0];
    expect(afterEdit).toMatchObject({ name: 'Bob the Builder', email: null });

    // A refusal is shown in the dialog, in the server's words, and changes nothing.
    await page.getByRole('button', { name: 'Create user' }).click();
    await create.getByLabel('Login').fill('carol');
    await create.getByLabel('Name').fill('Carol');
    await create.getByLabel('Password').fill('short');
    await create.getByRole('button', { name: 'Create' }).click();
    await create.getByRole('alert').getByText('Password must be at least 12 characters long').waitFor();
    await create.getByRole('button', { name: 'Cancel' }).click();
    expect((await observer.get('/api/users/search').query({ q: 'carol' }).expect(200)).body.users).toEqual([]);

    // Deactivate, then find bob among the deactivated users and reactivate by creating him again.
    await bob.getByRole('button', { name: 'Deactivate bob' }).click();
    await page.getByRole('dialog', { name: 'Deactivate bob?' }).getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('status').filter({ hasText: 'Bob the Builder was deactivated.' }).waitFor();
    await bob.waitFor({ state: 'detached' });
    await page.getByLabel('Status').selectOption('deactivated');
    await bob.getByRole('button', { name: 'Reactivate bob' }).click();
    const reactivate = page.getByRole('dialog', { name: 'Reactivate bob' });
    expect(await reactivate.getByLabel('Login').inputValue()).toBe('bob');
    await reactivate.getByLabel('Name').fill('Bob Builder');
    await reactivate.getByLabel('Password').fill('Bob-Password-456');
    await reactivate.getByRole('button', { name: 'Reactivate' }).click();
    await page.getByRole('status').filter({ hasText: 'bob was reactivated.' }).waitFor();
    await page.getByLabel('Status').selectOption('active');
    await bob.getByText('Bob Builder').waitFor();
    await request(server.app.getHttpServer())
      .post('/api/authentication/login')
      .send({ login: 'bob', password: 'Bob-Password-456' })
      .expect(204);

    // Change his password.
    await bob.getByRole('button', { name: 'Change the password of bob' }).click();
    const password = page.getByRole('dialog', { name: 'Change the password of bob' });
    await password.getByLabel('New password').fill('Bob-Password-789');
    await password.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'The password of bob was changed.' }).waitFor();
    await screenshot('users-editing');

    // A group with a member and a permission.
    await nav.getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    await page.getByRole('button', { name: 'Create group' }).click();
    const createGroup = page.getByRole('dialog', { name: 'Create a group' });
    await createGroup.getByLabel('Name').fill('qa');
    await createGroup.getByLabel('Description').fill('Quality');
    await createGroup.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('status').filter({ hasText: 'Group qa was created.' }).waitFor();
    const qa = page.locator('tr[data-group="qa"]');
    await qa.getByRole('button', { name: 'Edit qa' }).click();
    const rename = page.getByRole('dialog', { name: 'Edit group qa' });
    await rename.getByLabel('Name').fill('quality');
    await rename.getByRole('button', { name: 'Save' }).click();
    const quality = page.locator('tr[data-group="quality"]');
    await quality.waitFor();

    await quality.getByRole('button', { name: 'Members of quality' }).click();
    const members = page.getByRole('dialog', { name: 'Members of quality' });
    await members.getByText('No members.').waitFor();
    await members.getByLabel('Login of the user to add').fill('bob');
    await members.getByRole('button', { name: 'Add' }).click();
    await members.locator('li[data-member="bob"]').getByText('Bob Builder').waitFor();
    await members.getByText('1 member.').waitFor();
    await screenshot('group-members', page, { fullPage: false });
    await members.getByRole('button', { name: 'Close' }).click();
    await quality.getByRole('cell', { name: '1', exact: true }).waitFor();

    await quality.getByRole('button', { name: 'Grant Administer to quality' }).click();
    await page
      .getByRole('dialog', { name: 'Grant Administer to quality?' })
      .getByRole('button', { name: 'Grant Administer' })
      .click();
    await quality.getByRole('cell', { name: 'Administer', exact: true }).waitFor();
    const holders = (await observer.get('/api/permissions/groups').query({ permission: 'admin' }).expect(200)).body;
    expect(holders.groups.map((g: { name: string }) => g.name)).toContain('quality');
    const groupsOfBob = (await observer.get('/api/users/groups').query({ login: 'bob' }).expect(200)).body;
    expect(groupsOfBob.groups.map((g: { name: string }) => g.name)).toEqual(['quality', 'sonar-users']);
    // And back: bob's rights come from the group only, so removing the permission is the admin's choice to make.
    await quality.getByRole('button', { name: 'Remove Administer from quality' }).click();
    await page
      .getByRole('dialog', { name: 'Remove Administer from quality?' })
      .getByRole('button', { name: 'Remove Administer' })
      .click();
    await quality.getByRole('cell', { name: '—', exact: true }).first().waitFor();
    await screenshot('groups-editing');
  });

  it('installs the license: refuses a tampered key with the reason, warns before expiry, then shows the edition', async () => {
    await page
      .getByRole('navigation', { name: 'Administration' })
      .getByRole('link', { name: 'License manager' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'License manager' }).waitFor();
    await page.getByText('No license is installed').waitFor();

    const [payload, signature] = license('developer', [], 365).split('.');
    const statement = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const tampered = `${Buffer.from(JSON.stringify({ ...statement, edition: 'enterprise' })).toString('base64url')}.${signature}`;
    const key = page.getByLabel('License key');
    await key.fill(tampered);
    await page.getByRole('button', { name: 'Install license' }).click();
    const rejected = await observer.post('/api/editions/set_license').send({ license: tampered }).expect(400);
    await page.getByRole('alert').filter({ hasText: rejected.body.errors[0].msg }).waitFor();

    // Signed by a key this server does not trust: the page says how to make it trusted.
    const stranger = signLicense(makeLicenseKeyPair().privateKey, {
      licensee: 'Contoso Ltd',
      edition: 'enterprise',
      features: ['scim'],
      expiresAt: new Date(Date.now() + 365 * DAY),
    });
    await key.fill(stranger);
    await page.getByRole('button', { name: 'Install license' }).click();
    const untrusted = await observer.post('/api/editions/set_license').send({ license: stranger }).expect(400);
    await page.getByRole('alert').filter({ hasText: untrusted.body.errors[0].msg }).waitFor();
    const hint = page.getByRole('note').filter({ hasText: 'LICENSE_PUBLIC_KEYS' });
    await hint.waitFor();
    expect(await hint.textContent()).toContain('npm run license-tool');
    await page.getByText('How a license is obtained and trusted').click();
    await page.getByText('npm run license-tool -- keygen --out keys').waitFor();

    await key.fill(license('enterprise', ['scim', 'saml'], 10));
    await page.getByRole('button', { name: 'Install license' }).click();
    const warning = page.getByRole('alert').filter({ hasText: 'The license expires on' });
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/in (9|10) days/);
    await screenshot('license-expiring');

    await key.fill(license('enterprise', ['scim', 'saml'], 365));
    await page.getByRole('button', { name: 'Install license' }).click();
    await page.getByRole('status').filter({ hasText: 'License installed.' }).waitFor();
    await warning.waitFor({ state: 'detached' });
    const facts = page.locator('dl.facts');
    await facts.getByText('Enterprise').waitFor();
    await facts.getByText('Valid').waitFor();
    expect(await facts.locator('.feature-list li').allTextContents()).toEqual(['scim', 'saml']);
    await screenshot('license');
  });

  it('switches SCIM on through the confirmation dialog, keyboard only, and gives the tenant URL to copy', async () => {
    await page.getByRole('link', { name: 'General settings' }).click();
    const radio = provisioning().getByRole('radio', { name: 'Automatic user and group provisioning with SCIM' });
    // The choices stay disabled until the current mode has been read from the API.
    await provisioning().locator('fieldset.choices:not([disabled])').waitFor();
    await radio.focus();
    await page.keyboard.press('Space');
    expect(await radio.isChecked()).toBe(true);
    await saveProvisioning().focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Switch to automatic provisioning with SCIM?' });
    await dialog.waitFor();
    await dialog.getByText('managed by the identity provider').waitFor();
    await dialog.getByText('read-only here').first().waitFor();
    const counts = (await observer.get('/api/scim_management/checks').expect(200)).body.counts;
    await dialog
      .getByText(`Today: ${counts.activeUsers} active users, of which ${counts.localAccounts} local`)
      .waitFor();
    expect(await activeElement()).toEqual({ text: 'Cancel', inDialog: true });
    // Tab stays in the dialog.
    await page.keyboard.press('Tab');
    expect(await activeElement()).toEqual({ text: 'Enable SCIM provisioning', inDialog: true });
    await page.keyboard.press('Tab');
    expect(await activeElement()).toEqual({ text: 'Cancel', inDialog: true });
    // Escape: nothing changed, focus back on Save.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await activeElement()).toEqual({ text: 'Save', inDialog: false });
    expect((await scimStatus()).enabled).toBe(false);

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await screenshot('provisioning-confirm', page, { fullPage: false });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });

    await provisioning().getByRole('status').filter({ hasText: 'Automatic provisioning with SCIM is on.' }).waitFor();
    expect(await activeElement()).toEqual({ text: 'Save', inDialog: false });
    expect((await scimStatus()).enabled).toBe(true);
    expect(await provisioning().getByRole('textbox', { name: 'Tenant URL' }).inputValue()).toBe(
      `${baseUrl}/api/scim/v2`,
    );

    await provisioning().getByRole('button', { name: 'Copy Tenant URL' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseUrl}/api/scim/v2`);
  });

  it('generates the token for Entra ID once, with a copy button, and that token provisions a user', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const tokenName = provisioning().getByLabel('Token name');
    await expect(tokenName.inputValue()).resolves.toBe(`Microsoft Entra ID SCIM ${today}`);
    await provisioning().getByLabel('Expires in').selectOption({ label: 'Expires in 1 year' });
    await provisioning().getByRole('button', { name: 'Generate token' }).click();
    const tokenField = provisioning().getByRole('textbox', { name: 'Secret token' });
    await tokenField.waitFor();
    entraToken = await tokenField.inputValue();
    expect(entraToken).toMatch(/^squ_[0-9a-f]{40}$/);
    expect(await tokenField.evaluate((element) => element === document.activeElement)).toBe(true);
    await provisioning().getByRole('button', { name: 'Copy Secret token' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(entraToken);
    await provisioning().getByText('it is shown only this once').waitFor();
    // A second token the same day gets a name of its own.
    await expect(tokenName.inputValue()).resolves.toBe(`Microsoft Entra ID SCIM ${today} (2)`);
    const listed = (await observer.get('/api/user_tokens/search').expect(200)).body.userTokens as {
      name: string;
      expirationDate: string;
    }[];
    const entra = listed.find((t) => t.name === `Microsoft Entra ID SCIM ${today}`)!;
    const expires = await page.evaluate(
      (value) => new Date(value).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' }),
      entra.expirationDate,
    );
    const tokenRow = provisioning()
      .getByRole('row')
      .filter({ hasText: `Microsoft Entra ID SCIM ${today}` });
    expect(await tokenRow.getByRole('cell').last().textContent()).toBe('Revoke');
    await tokenRow.getByRole('cell', { name: expires }).waitFor();
    expect(new Date(entra.expirationDate).getTime() - Date.now()).toBeGreaterThan(360 * DAY);
    await screenshot('provisioning-scim-on', provisioning(), { mask: [tokenField] });

    // What Entra ID does next, with the token the admin copied.
    const created = await entraRequest('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'alice@contoso.com',
      displayName: 'Alice Liddell',
      name: { givenName: 'Alice', familyName: 'Liddell' },
      emails: [{ value: 'alice@contoso.com', type: 'work', primary: true }],
      active: true,
    });
    expect(created.status).toBe(201);
    const alice = (await created.json()) as { id: string };
    const group = await entraRequest('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Contoso Developers',
      members: [{ value: alice.id }],
    });
    expect(group.status).toBe(201);
    entraIds.Users.push(alice.id);
    entraIds.Groups.push(((await group.json()) as { id: string }).id);

    // Shown once: after a reload, only its name is left.
    await page.reload();
    await provisioning().getByRole('button', { name: 'Generate token' }).waitFor();
    expect(await provisioning().getByRole('textbox', { name: 'Secret token' }).count()).toBe(0);
    expect(await page.content()).not.toContain(entraToken);
    await provisioning()
      .getByRole('cell', { name: `Microsoft Entra ID SCIM ${today}`, exact: true })
      .waitFor();
  });

  it('shows the user Entra ID created as Managed, with deactivation disabled and the reason on hover and focus', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByLabel('Search users').fill('alice');
    const row = page.locator('tr[data-login="alice@contoso.com"]');
    await page.getByRole('status').filter({ hasText: '1 of 1 user shown.' }).waitFor();
    await row.getByText('Managed', { exact: true }).waitFor();

    const deactivate = row.getByRole('button', { name: 'Deactivate alice@contoso.com' });
    expect(await deactivate.getAttribute('aria-disabled')).toBe('true');
    const reason = 'Managed by the identity provider: deactivate or unassign this user in Microsoft Entra ID.';
    expect(await descriptionOf(deactivate)).toBe(reason);
    const tooltip = row.getByRole('tooltip');
    expect(await tooltip.isVisible()).toBe(false);
    await deactivate.focus();
    await tooltip.waitFor({ state: 'visible' });
    await deactivate.click({ force: true });
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await tooltip.waitFor({ state: 'hidden' });

    // Read-only with the reason; permissions stay the admin's.
    const edit = row.getByRole('button', { name: 'Edit alice@contoso.com' });
    expect(await edit.getAttribute('aria-disabled')).toBe('true');
    expect(await descriptionOf(edit)).toBe('Managed by the identity provider: change this user in Microsoft Entra ID.');
    expect(await page.getByRole('button', { name: 'Create user' }).getAttribute('aria-disabled')).toBe('true');
    expect(
      await row.getByRole('button', { name: 'Make administrator alice@contoso.com' }).getAttribute('aria-disabled'),
    ).toBeNull();

    await page.getByLabel('Search users').fill('');
    const bob = page.locator('tr[data-login="bob"]');
    await bob.getByText('Local', { exact: true }).waitFor();
    expect(await bob.getByRole('button', { name: 'Deactivate bob' }).getAttribute('aria-disabled')).toBeNull();
    expect(await bob.getByRole('button', { name: 'Edit bob' }).getAttribute('aria-disabled')).toBe('true');
    const admin = page.locator('tr[data-login="admin"]');
    await admin.waitFor();
    await admin.getByText('Local', { exact: true }).waitFor();
    await page.getByLabel('Show').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Users' }).focus();
    await row.getByRole('button', { name: 'Deactivate alice@contoso.com' }).hover();
    await tooltip.waitFor({ state: 'visible' });
    expect(await tooltip.textContent()).toBe(reason);
    await screenshot('users');
  });

  it('shows the group Entra ID created as Managed, with deletion disabled', async () => {
    await page.getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    const row = page.locator('tr[data-group="Contoso Developers"]');
    await row.waitFor();
    await row.getByText('Managed', { exact: true }).waitFor();
    const remove = row.getByRole('button', { name: 'Delete Contoso Developers' });
    expect(await remove.getAttribute('aria-disabled')).toBe('true');
    expect(await descriptionOf(remove)).toBe(
      'Managed by the identity provider: delete this group in Microsoft Entra ID.',
    );
    // Members listed, read-only.
    await row.getByRole('button', { name: 'Members of Contoso Developers' }).click();
    const members = page.getByRole('dialog', { name: 'Members of Contoso Developers' });
    await members.locator('li[data-member="alice@contoso.com"]').waitFor();
    expect(await members.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    await members
      .getByText('Managed by the identity provider: its members are changed in Microsoft Entra ID.')
      .waitFor();
    await members.getByRole('button', { name: 'Close' }).click();
    // A permission on the Entra group: what SCIM is for.
    await row.getByRole('button', { name: 'Grant Administer to Contoso Developers' }).click();
    await page
      .getByRole('dialog', { name: 'Grant Administer to Contoso Developers?' })
      .getByRole('button', { name: 'Grant Administer' })
      .click();
    await row.getByRole('cell', { name: 'Administer', exact: true }).waitFor();
    // A local group can still be deleted.
    const quality = page.locator('tr[data-group="quality"]');
    expect(await quality.getByRole('button', { name: 'Delete quality' }).getAttribute('aria-disabled')).toBeNull();
    expect(await quality.getByRole('button', { name: 'Edit quality' }).getAttribute('aria-disabled')).toBe('true');

    await remove.hover();
    await row.getByRole('tooltip').first().waitFor({ state: 'visible' });
    await screenshot('groups');
    expect(pageErrors).toEqual([]);
  });

  it('keeps SAML from being switched off while SCIM is on, and says how to get there', async () => {
    await page.getByRole('link', { name: 'General settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'SAML' }).waitFor();
    await page
      .getByText('Automatic provisioning with SCIM is on, and the people Microsoft Entra ID provisions')
      .waitFor();
    const enabled = page.getByLabel('Enabled', { exact: true });
    await enabled.uncheck();
    await page.getByRole('button', { name: 'Save configuration' }).click();
    const refusal = await observer.post('/api/settings/set').send({ key: SAML_ENABLED, value: 'false' }).expect(400);
    expect(refusal.body.errors[0].msg).toMatch(/switch provisioning back to just-in-time first$/);
    await page
      .locator('#saml-configuration')
      .getByRole('alert')
      .getByText(refusal.body.errors[0].msg)
      .first()
      .waitFor();
    await expect(descriptionOf(enabled)).resolves.toContain(refusal.body.errors[0].msg);
    const stored = (await observer.get('/api/settings/values').query({ keys: SAML_ENABLED }).expect(200)).body;
    expect(stored.settings[0].value).toBe('true');
    await enabled.check();
  });

  it("switches off and on again through the confirmations, and Entra's next cycle answers 200 for every id it knows", async () => {
    await provisioning().getByRole('radio', { name: 'Just-in-time user and group provisioning' }).check();
    await saveProvisioning().click();
    const off = page.getByRole('dialog', { name: 'Switch back to just-in-time provisioning?' });
    await off.waitFor();
    const checks = (await observer.get('/api/scim_management/checks').expect(200)).body;
    for (const sentence of checks.consequences.disable as string[]) await off.getByText(sentence).waitFor();
    await off.getByText('1 user and 1 group managed by Entra ID become editable here', { exact: false }).waitFor();
    await screenshot('provisioning-disable-confirm', page, { fullPage: false });
    await off.getByRole('button', { name: 'Switch to just-in-time' }).click();
    await off.waitFor({ state: 'hidden' });
    await provisioning().getByRole('status').filter({ hasText: 'their links to Entra ID are kept' }).waitFor();
    expect((await scimStatus()).enabled).toBe(false);
    expect((await entraRequest('GET', `/Users/${entraIds.Users[0]}`)).status).toBe(403);

    // Alice is editable here while SCIM is off.
    await page.getByRole('link', { name: 'Users' }).click();
    const row = page.locator('tr[data-login="alice@contoso.com"]');
    await row.getByRole('button', { name: 'Edit alice@contoso.com' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit alice@contoso.com' });
    await edit.getByLabel('Name').fill('Alice Pleasance Liddell');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden' });
    await row.getByText('Alice Pleasance Liddell').waitFor();

    await page.getByRole('link', { name: 'General settings' }).click();
    await provisioning().getByRole('radio', { name: 'Automatic user and group provisioning with SCIM' }).check();
    await saveProvisioning().click();
    const on = page.getByRole('dialog', { name: 'Switch to automatic provisioning with SCIM?' });
    await on.waitFor();
    await on
      .getByText('1 user and 1 group that Entra ID provisioned before keep their SCIM ids', { exact: false })
      .waitFor();
    await on.getByRole('button', { name: 'Enable SCIM provisioning' }).click();
    await on.waitFor({ state: 'hidden' });
    expect((await scimStatus()).enabled).toBe(true);

    // Entra ID's next cycle: every id it holds answers, with the admin's edit, and its writes go through.
    for (const [kind, ids] of Object.entries(entraIds)) {
      for (const id of ids)
        expect({ kind, id, status: (await entraRequest('GET', `/${kind}/${id}`)).status }).toEqual({
          kind,
          id,
          status: 200,
        });
    }
    const alice = await (await entraRequest('GET', `/Users/${entraIds.Users[0]}`)).json();
    expect(alice.displayName).toBe('Alice Pleasance Liddell');
    const patched = await entraRequest('PATCH', `/Groups/${entraIds.Groups[0]}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Contoso Engineering' }],
    });
    expect(patched.status).toBe(204);
    // The permission given to the Entra group before the switch is still there.
    const holders = (await observer.get('/api/permissions/groups').query({ permission: 'admin' }).expect(200)).body;
    expect(JSON.stringify(holders)).toContain('Contoso Engineering');
    expect(pageErrors).toEqual([]);
  });
});

/** The text a screen reader reads after the name: what `aria-describedby` points at. */
async function descriptionOf(locator: Locator): Promise<string> {
  return locator.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
      .filter(Boolean)
      .join(' '),
  );
}
