import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { defaultAdminPageRoot } from '../../apps/server/src/admin-page/admin-page.constants';
import { AdminPageModule } from '../../apps/server/src/admin-page/admin-page.module';
import { buildAdminPage, BuiltAdminPage } from '../../scripts/build-admin-page';

async function serve(root: string): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [AdminPageModule.forRoot({ root })] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('admin page: served by the app itself, and nothing else', () => {
  let root: string;
  let built: BuiltAdminPage;
  let app: INestApplication;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'admin-page-'));
    built = await buildAdminPage(root);
    app = await serve(root);
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the page at / with a strict content security policy, always revalidated', async () => {
    const page = await request(app.getHttpServer()).get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    for (const asset of built.assets) expect(page.text).toContain(`assets/${asset}`);
    // Offline: nothing is loaded from another origin.
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('serves the hashed assets with their types, cached for good', async () => {
    for (const asset of built.assets) {
      const response = await request(app.getHttpServer()).get(`/assets/${asset}`).expect(200);
      expect(response.headers['content-type']).toMatch(asset.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      expect(response.headers['cache-control']).toContain('immutable');
    }
  });

  it('answers 404 for anything else, without reaching outside the page folder', async () => {
    const http = request(app.getHttpServer());
    await http.get('/assets/missing.js').expect(404);
    await http.get('/assets/..%2Findex.html').expect(404);
    await http.get('/assets/%2e%2e%2f%2e%2e%2fpackage.json').expect(404);
    await http.get('/index.html').expect(404);
    await http.get('/api/anything').expect(404);
  });

  it('says how to build the page when it is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'admin-page-empty-'));
    const unbuilt = await serve(empty);
    try {
      const response = await request(unbuilt.getHttpServer()).get('/').expect(404);
      expect(response.text).toContain('npm run build');
    } finally {
      await unbuilt.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('looks for the built page in dist/apps/admin-page of the project by default', () => {
    expect(defaultAdminPageRoot()).toBe(resolve(__dirname, '../../dist/apps/admin-page'));
  });
});
