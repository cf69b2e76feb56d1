import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/** Where `npm run build` puts the page, and where the server looks for it unless told otherwise. */
export const ADMIN_PAGE_OUT_DIR = resolve(__dirname, '../dist/apps/admin-page');

const SOURCE_DIR = resolve(__dirname, '../apps/admin-page/src');

export interface BuiltAdminPage {
  outDir: string;
  /** File names under `assets/`, hashed by content so the browser can keep them forever. */
  assets: string[];
}

/**
 * Bundles the admin page into `outDir`: `index.html` plus a script and a stylesheet under `assets/`. Everything the
 * page needs is in those files (no CDN, no web fonts), so it works on a server without internet access.
 */
export async function buildAdminPage(outDir: string = ADMIN_PAGE_OUT_DIR): Promise<BuiltAdminPage> {
  const result = await build({
    entryPoints: [join(SOURCE_DIR, 'main.tsx')],
    bundle: true,
    minify: true,
    sourcemap: false,
    format: 'iife',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    write: false,
    outdir: 'assets',
    logLevel: 'silent',
  });
  const script = result.outputFiles.find((file) => file.path.endsWith('.js'));
  if (!script) throw new Error('esbuild produced no script for the admin page');
  const styles = readFileSync(join(SOURCE_DIR, 'styles.css'));
  const scriptName = `app-${digest(script.contents)}.js`;
  const stylesName = `app-${digest(styles)}.css`;
  const html = readFileSync(join(SOURCE_DIR, 'index.html'), 'utf8')
    .replace('%SCRIPT%', `assets/${scriptName}`)
    .replace('%STYLES%', `assets/${stylesName}`);

  // New assets first, then the page that names them, then the old assets: a server answering meanwhile never
  // hands out a page whose script is missing.
  const assetsDir = join(outDir, 'assets');
  mkdirSync(assetsDir, { recursive: true });
  writeFileSync(join(assetsDir, scriptName), script.contents);
  writeFileSync(join(assetsDir, stylesName), styles);
  const pagePath = join(outDir, 'index.html');
  writeFileSync(`${pagePath}.${process.pid}.tmp`, html);
  renameSync(`${pagePath}.${process.pid}.tmp`, pagePath);
  const assets = [scriptName, stylesName];
  for (const stale of readdirSync(assetsDir).filter((name) => !assets.includes(name))) {
    rmSync(join(assetsDir, stale), { force: true });
  }
  return { outDir, assets };
}

function digest(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 12);
}

if (require.main === module) {
  const outDir = process.argv[2] ? resolve(process.argv[2]) : ADMIN_PAGE_OUT_DIR;
  buildAdminPage(outDir)
    .then((built) => console.log(`admin page built in ${built.outDir} (${built.assets.join(', ')})`))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
