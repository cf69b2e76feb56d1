import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding the built admin page (`index.html` and `assets/`). */
export const ADMIN_PAGE_ROOT = Symbol('ADMIN_PAGE_ROOT');

/**
 * `dist/apps/admin-page` of the project, found from this file whether it runs from source (tests, ts-node) or from
 * `dist/` (the built server): both sit below the project's root, which `nest-cli.json` marks (libs have their own
 * package.json, so that is no marker). Without one, the working directory is taken as the root.
 */
export function defaultAdminPageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nest-cli.json'))) return join(dir, 'dist', 'apps', 'admin-page');
    if (dirname(dir) === dir) return join(process.cwd(), 'dist', 'apps', 'admin-page');
  }
}
