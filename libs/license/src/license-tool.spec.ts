import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LicenseVerifier } from './license.verifier';

const ROOT = resolve(__dirname, '../../..');
const TOOL = join(ROOT, 'scripts/license-tool.ts');

/** Runs the vendor CLI the way the vendor does, through ts-node. */
function licenseTool(...args: string[]): string {
  return execFileSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', TOOL, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('scripts/license-tool.ts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'license-tool-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a key pair and signs a license that a server trusting the public key accepts', () => {
    licenseTool('keygen', '--out', dir);
    const privatePath = join(dir, 'license-signing-private.pem');
    expect(statSync(privatePath).mode & 0o077).toBe(0);

    const licenseKey = licenseTool(
      'sign',
      '--key',
      privatePath,
      '--licensee',
      'Acme Corp',
      '--edition',
      'enterprise',
      '--features',
      'scim,saml',
      '--expires',
      '2027-12-31',
    ).trim();

    const server = new LicenseVerifier([readFileSync(join(dir, 'license-signing-public.pem'), 'utf8')]);
    expect(server.verify(licenseKey)).toMatchObject({
      licensee: 'Acme Corp',
      edition: 'enterprise',
      features: ['scim', 'saml'],
      expiresAt: '2027-12-31T23:59:59.999Z',
    });
  });

  it('refuses to overwrite an existing signing key', () => {
    const again = join(dir, 'again');
    licenseTool('keygen', '--out', again);
    const first = readFileSync(join(again, 'license-signing-private.pem'), 'utf8');
    expect(() => licenseTool('keygen', '--out', again)).toThrow(/already holds a key pair/);
    expect(readFileSync(join(again, 'license-signing-private.pem'), 'utf8')).toBe(first);
  });
});
