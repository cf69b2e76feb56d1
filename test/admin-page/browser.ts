import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, BrowserContext } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); playwright-core drives it and never downloads a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Headless, and quiet on the network: without the background-networking flags Chromium keeps calling Google's
 * services, which a closed network refuses, many at a time.
 */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Why the browser tests cannot run here, or null when they can. Said once, in one visible line. In CI a missing
 * browser fails the run instead (`.ci/run` installs it), so CI never passes by skipping.
 */
export function browserUnavailable(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI) throw new Error(`The admin page's browser tests cannot run in CI: ${reason}`);
  process.stdout.write(`\n[tests] admin page browser tests SKIPPED: ${reason}\n`);
  return reason;
}

export interface OpenBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile each time, allowed to use the clipboard so the Copy buttons can be checked. */
export async function openBrowser(baseURL: string): Promise<OpenBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'admin-page-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    baseURL,
    viewport: { width: 1280, height: 860 },
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
    colorScheme: 'light',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  context.setDefaultTimeout(30_000);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
