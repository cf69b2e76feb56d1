import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ADMIN_PAGE_ROOT } from './admin-page.constants';

/** Asset names are content-hashed by the page's build; anything else (a path, a dot file) is not ours to serve. */
const ASSET_NAME = /^[A-Za-z0-9_-]+\.(js|css)$/;
const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * The page talks to this server's own `/api/*` only and runs no inline code, so the policy can be strict; it also
 * keeps the page out of frames, where its buttons could be clicked by another site.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built admin page at `/` and its assets at `/assets/*`. Only these two routes: `/api/*` stays with the
 * API controllers, and nothing else of the filesystem is reachable.
 */
@Controller()
export class AdminPageController {
  constructor(@Inject(ADMIN_PAGE_ROOT) private readonly root: string) {}

  @Get()
  async page(@Res() res: Response): Promise<void> {
    const html = await this.read('index.html');
    securityHeaders(res);
    if (!html) {
      res.status(404).type('text/plain').send('The admin page is not built. Run `npm run build`.\n');
      return;
    }
    // Always revalidated: the page names the current hashed assets.
    res.status(200).type('text/html; charset=utf-8').set('Cache-Control', 'no-cache').send(html);
  }

  @Get('assets/:file')
  async asset(@Param('file') file: string, @Res() res: Response): Promise<void> {
    const match = ASSET_NAME.exec(file);
    const content = match ? await this.read(join('assets', file)) : null;
    securityHeaders(res);
    if (!match || !content) {
      res.status(404).type('text/plain').send('Not found\n');
      return;
    }
    res
      .status(200)
      .type(CONTENT_TYPES[match[1]])
      .set('Cache-Control', 'public, max-age=31536000, immutable')
      .send(content);
  }

  private async read(relativePath: string): Promise<Buffer | null> {
    try {
      return await readFile(join(this.root, relativePath));
    } catch {
      return null;
    }
  }
}

function securityHeaders(res: Response): void {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  });
}
