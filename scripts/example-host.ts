/**
 * `npm run example:host`: the vendor's side of the example, then the example product itself. Makes (once, kept in the
 * data folder) a license signing key pair, signs an Enterprise license with SCIM and the product's `team-insights`,
 * and starts the built apps/example-host with that public key trusted and that license key to install. The product
 * never sees a private key: it gets what a customer gets, `LICENSE_PUBLIC_KEYS` and `LICENSE_KEY`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
// Relative imports: ts-node runs this file without the tsconfig path aliases.
import { makeLicenseKeyPair, signLicense } from '../libs/license/src/testing';

const ROOT = resolve(__dirname, '..');
const EXAMPLE = join(ROOT, 'dist/apps/example-host/apps/example-host/src/example.js');
const DAY_MS = 24 * 3600 * 1000;

function main(): void {
  const dataDir = process.env.DATA_DIR || 'data';
  mkdirSync(dataDir, { recursive: true });
  const keyFile = join(dataDir, 'example-license-signing-key.json');
  if (!existsSync(keyFile)) writeFileSync(keyFile, JSON.stringify(makeLicenseKeyPair()), { mode: 0o600 });
  const keys = JSON.parse(readFileSync(keyFile, 'utf8')) as { privateKey: string; publicKey: string };
  const license = signLicense(keys.privateKey, {
    licensee: 'Example product (demo license)',
    edition: 'enterprise',
    features: ['scim', 'team-insights'],
    expiresAt: new Date(Date.now() + 90 * DAY_MS),
  });
  const trusted = [process.env.LICENSE_PUBLIC_KEYS, keys.publicKey].filter(Boolean).join('\n');
  const child = spawn(process.execPath, [EXAMPLE], {
    stdio: 'inherit',
    env: { ...process.env, DATA_DIR: dataDir, LICENSE_PUBLIC_KEYS: trusted, LICENSE_KEY: license },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main();
