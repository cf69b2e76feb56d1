import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { buildAdminPage } from '../../scripts/build-admin-page';
import { userBody } from '../support/scim-expectations';
import { SCIM, ScimTestServer, startScimServer } from '../support/scim-harness';
import { browserUnavailable, openBrowser } from './browser';

const ADMIN_PASSWORD = 'Admin-password-1234';
const SCREENSHOTS = resolve(__dirname, '../../docs/screenshots');
const GAP_MS = 3000;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const unavailable = browserUnavailable();
const describeInBrowser = unavailable ? describe.skip : describe;

/*
 * The admin debugging a missing user: Entra ID ran three cycles, one refused for a local account and one with an
 * old token. Provisioning › Activity shows the cycles on a timeline, each failure cause once with the user it
 * concerned (linked to the user when the product has it), and the quarantine risk; the Provisioning screen shows the
 * connection state.
 */
describeInBrowser('admin page in a browser: Provisioning › Activity', () => {
  let s: ScimTestServer;
  let context: BrowserContext;
  let page: Page;
  let closeBrowser: () => Promise<void>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await buildAdminPage();
    s = await startScimServer('sqlite', {
      env: { ADMIN_PASSWORD, SCIM_ACTIVITY_CYCLE_GAP_SECONDS: String(GAP_MS / 1000) },
    });
    await s.app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(s.app.getHttpServer().address() as AddressInfo).port}`;
    ({ context, close: closeBrowser } = await openBrowser(baseUrl));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));

    // Cycle 1: lookups and creates. Cycle 2: a local account's userName. Cycle 3: the old token.
    for (const name of ['alice', 'bob', 'carol']) {
      expect((await s.get(`/Users?filter=${encodeURIComponent(`userName eq "${name}@contoso.example"`)}`)).status).toBe(
        200,
      );
      expect((await s.post('/Users', userBody(`${name}@contoso.example`))).status).toBe(201);
    }
    await pause(GAP_MS + 500);
    expect((await s.post('/Users', userBody('dave@contoso.example'))).status).toBe(201);
    expect((await s.post('/Users', userBody('admin'))).status).toBe(409);
    await pause(GAP_MS + 500);
    for (let i = 0; i < 5; i++) {
      expect((await s.http().get(`${SCIM}/Users`).set('Authorization', 'Bearer squ_an-old-token')).status).toBe(401);
    }
  });

  afterAll(async () => {
    await closeBrowser?.();
    await s?.close();
  });

  it('shows the cycles, the failures grouped by cause with their user, and the quarantine risk', async () => {
    await page.goto('/');
    await page.getByLabel('Login').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'SAML' }).waitFor();

    // The provisioning screen tells the state of the connection, and links to the activity.
    const provisioning = page.getByRole('region', { name: 'Provisioning' });
    const connection = provisioning.getByRole('region', { name: 'Connection with Microsoft Entra ID' });
    await connection.getByText('Quarantine risk.').waitFor();
    await connection.getByText(/^Credentials refused: .*\(5 refused in the latest cycle\)$/).waitFor();

    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor();
    const trail = await page.getByRole('navigation', { name: 'Breadcrumb' }).locator('li').allTextContents();
    expect(trail).toEqual(['Administration', 'Provisioning', 'Activity']);

    const cycles = page.getByRole('region', { name: 'Cycles' });
    // The timeline: one bar group per cycle, failures drawn in red.
    const chart = cycles.getByRole('img', { name: /Requests and failures of the last 3 cycles/ });
    await chart.waitFor();
    expect(await chart.locator('.timeline-cycle').count()).toBe(3);
    expect(await chart.locator('.timeline-failures').count()).toBe(2);
    const rows = cycles.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    await expect(rows.nth(2).textContent()).resolves.toContain('3 users created');
    await expect(rows.nth(1).textContent()).resolves.toContain('local-account 1');
    await expect(rows.nth(1).textContent()).resolves.toContain('1 user created');
    await expect(rows.nth(0).textContent()).resolves.toContain('credentials 5');

    const failures = page.getByRole('region', { name: 'Failures' });
    const local = failures.getByRole('region', {
      name: 'userName belongs to a local account, which SCIM never takes over 1',
    });
    await local.waitFor();
    // The local account exists in the product: its name links to it in Users.
    const link = local.getByRole('link', { name: 'admin' });
    expect(await link.getAttribute('href')).toBe('#/admin/users?q=admin');
    await failures
      .getByRole('region', { name: /Credentials refused/ })
      .getByText('5', { exact: true })
      .first()
      .waitFor();

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'activity.png'), fullPage: true, animations: 'disabled' });

    // Following the link opens Users filtered on that login.
    await link.click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    expect(await page.getByRole('searchbox').first().inputValue()).toBe('admin');
    expect(pageErrors).toEqual([]);
  });
});
