import type { DataSource } from 'typeorm';
import { LicenseService } from '@nest-scim/license';
import { testDialects } from '@nest-scim/persistence/testing';
import { SCIM_PROVISIONING_SCHEMA } from '@nest-scim/provisioning';
import { startScimServer } from '../support/scim-harness';
import { HOST_MIGRATIONS_TABLE } from './src/database/host-database';
import { Exchange, runEntraStory, SCIM_BASE } from './support/entra-story';
import {
  HOST_API_KEY,
  HostTestApp,
  migrationsIn,
  ProvisioningLayout,
  startHostApp,
  tablesOf,
} from './support/host-harness';

const HOST_TABLES = ['products', 'revenue_entries'];
const HOST_MIGRATIONS = ['CreateShopTables1700000000000'];
const HOUR = 3600 * 1000;

function expectScimError(res: { status: number; headers: Record<string, string>; body: unknown }, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status) });
}

function expectHostError(res: { status: number; headers: Record<string, string>; body: unknown }, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({ ok: false, error: { code: expect.any(String), messages: expect.any(Array) } });
}

/** Table names of the feature's entities, as a connection carrying them maps them. */
function featureTables(dataSource: DataSource): string[] {
  return (SCIM_PROVISIONING_SCHEMA.entities as []).map((entity) => dataSource.getMetadata(entity).tableName).sort();
}

async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  return (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
}

const LAYOUTS: [string, ProvisioningLayout][] = [
  ['on a named connection to a database of its own', 'named'],
  ['on the host’s default connection, beside the host’s tables', 'shared'],
];

describe.each(testDialects())('a Nest backend that is not ours embeds SCIM provisioning (%s)', (dialect) => {
  let reference: Exchange[];
  beforeAll(async () => {
    const server = await startScimServer(dialect);
    try {
      reference = await runEntraStory(() => server.http(), server.token);
    } finally {
      await server.close();
    }
  });

  describe.each(LAYOUTS)('with the feature %s', (_title, layout) => {
    let h: HostTestApp;
    beforeAll(async () => {
      h = await startHostApp(dialect, layout);
    });
    afterAll(() => h?.close());

    it('answers Entra exactly as apps/server does, errors and bad bodies included', async () => {
      const transcript = await runEntraStory(() => h.http(), h.scimToken);
      expect(transcript.map((e) => e.step)).toEqual(reference.map((e) => e.step));
      for (let i = 0; i < reference.length; i++) expect(transcript[i]).toEqual(reference[i]);
      // The host's parser and filter see these first; SCIM still answers them, as itself.
      for (const [step, status] of [
        ['malformed JSON in application/json', 400],
        ['an endpoint SCIM does not have', 404],
      ] as const) {
        const exchange = transcript.find((e) => e.step === step)!;
        expect(exchange.status).toBe(status);
        expect(exchange.contentType).toMatch(/^application\/scim\+json/);
      }
    });

    it('keeps its validation pipe, error filter and bearer strategy on its own routes', async () => {
      const asClient = (t: ReturnType<ReturnType<HostTestApp['http']>['post']>) =>
        t.set('Authorization', `Bearer ${HOST_API_KEY}`);
      const created = await asClient(h.http().post('/shop/products')).send({
        sku: 'TEA-1',
        name: 'Green tea',
        priceCents: 450,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ ok: true, product: { sku: 'TEA-1', priceCents: 450 } });

      const unknownProperty = await asClient(h.http().post('/shop/products')).send({
        sku: 'TEA-2',
        name: 'Black tea',
        priceCents: 300,
        discount: 10,
      });
      expectHostError(unknownProperty, 400);
      expect((unknownProperty.body as { error: { messages: string[] } }).error.messages).toContain(
        'property discount should not exist',
      );

      const malformed = await asClient(h.http().post('/shop/products'))
        .set('Content-Type', 'application/json')
        .send('{"sku": ');
      expectHostError(malformed, 400);

      expectHostError(await h.http().get('/shop/products'), 401);
      expectHostError(await h.http().get('/shop/products').set('Authorization', `Bearer ${h.scimToken}`), 401);
      expectHostError(await h.http().get('/shop/nothing-here'), 404);
      const listed = await h.http().get('/shop/products').set('Authorization', `Bearer ${HOST_API_KEY}`);
      expect(listed.body.products.map((p: { sku: string }) => p.sku)).toEqual(['TEA-1']);
    });

    it('never lets the host’s pipe, filter or strategy answer for SCIM', async () => {
      expectScimError(await h.http().get(`${SCIM_BASE}/Users`).set('Authorization', `Bearer ${HOST_API_KEY}`), 401);
      const guarded = await h
        .http()
        .post(`${SCIM_BASE}/Groups`)
        .set('Authorization', `Bearer ${HOST_API_KEY}`)
        .set('Content-Type', 'application/json')
        .send('{not json');
      expectScimError(guarded, 401);
      const tooLarge = await h
        .http()
        .post(`${SCIM_BASE}/Users`)
        .set('Authorization', `Bearer ${h.scimToken}`)
        .set('Content-Type', 'application/scim+json')
        .send(JSON.stringify({ userName: 'x'.repeat(2 * 1024 * 1024) }));
      expectScimError(tooLarge, 413);
    });

    it('keeps the host’s tables and migrations and the feature’s apart', async () => {
      const host = h.hostDataSource;
      const feature = h.provisioningDataSource;
      expect(await pendingSchemaChanges(host)).toEqual([]);
      expect(await pendingSchemaChanges(feature)).toEqual([]);
      if (layout === 'named') {
        expect(feature).not.toBe(host);
        expect(await tablesOf(host)).toEqual([...HOST_TABLES, HOST_MIGRATIONS_TABLE].sort());
        expect(await tablesOf(feature)).toEqual([...featureTables(feature), 'schema_migrations'].sort());
        expect(host.entityMetadatas.map((m) => m.tableName).sort()).toEqual(HOST_TABLES);
        expect(await migrationsIn(host, HOST_MIGRATIONS_TABLE)).toEqual(HOST_MIGRATIONS);
        expect(await migrationsIn(feature, 'schema_migrations')).toEqual(feature.migrations.map((m) => m.name));
      } else {
        expect(feature).toBe(host);
        expect(await tablesOf(host)).toEqual([...HOST_TABLES, ...featureTables(host), HOST_MIGRATIONS_TABLE].sort());
        const ours = (SCIM_PROVISIONING_SCHEMA.migrations(dialect) as { name: string }[]).map((m) => m.name);
        expect(await migrationsIn(host, HOST_MIGRATIONS_TABLE)).toEqual([...HOST_MIGRATIONS, ...ours]);
      }
      // Each side's data is where it belongs, and the other side's writes did not touch it.
      const [{ n: products }] = await host.query('SELECT COUNT(*) AS n FROM products');
      expect(Number(products)).toBe(1);
      const [{ n: users }] = await feature.query('SELECT COUNT(*) AS n FROM users');
      expect(Number(users)).toBeGreaterThanOrEqual(3);
    });

    it('switches the host’s Enterprise report on and off with the license, without a restart', async () => {
      const licenses = h.app.get(LicenseService);
      const report = () => h.http().get('/shop/reports/revenue').set('Authorization', `Bearer ${HOST_API_KEY}`);
      const scimUsers = () => h.http().get(`${SCIM_BASE}/Users`).set('Authorization', `Bearer ${h.scimToken}`);
      await h.hostDataSource.query("INSERT INTO revenue_entries (day, amount_cents) VALUES ('2026-01-02', 1250)");

      expect((await report()).body).toEqual({ ok: true, totalCents: 1250 });

      await licenses.remove();
      const removed = await report();
      expectHostError(removed, 403);
      expect(removed.body.error.messages[0]).toMatch(/Enterprise/);
      expectScimError(await scimUsers(), 403);

      await licenses.install(
        (await import('@nest-scim/license/testing')).signLicense(h.licenseKeys.privateKey, {
          licensee: 'Storefront Inc.',
          edition: 'enterprise',
          features: ['scim'],
          expiresAt: new Date(h.clock.now().getTime() + HOUR),
        }),
      );
      const withoutFeature = await report();
      expectHostError(withoutFeature, 403);
      expect(withoutFeature.body.error.messages[0]).toMatch(/revenue-reports/);

      await licenses.install(h.enterpriseLicense(HOUR));
      expect((await report()).status).toBe(200);
      expect((await scimUsers()).status).toBe(200);

      h.clock.advance(2 * HOUR);
      const expired = await report();
      expectHostError(expired, 403);
      expect(expired.body.error.messages[0]).toMatch(/expired/i);
      expectScimError(await scimUsers(), 403);

      await licenses.install(h.enterpriseLicense());
      expect((await report()).status).toBe(200);
      expect((await scimUsers()).status).toBe(200);

      await licenses.remove();
      expectHostError(await report(), 403);
    });
  });
});
