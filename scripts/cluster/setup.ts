/**
 * The TypeScript half of scripts/cluster/cluster.sh.
 *
 *   setup.ts keys <cluster dir>        makes the cluster's license signing key pair once (the instances trust its public
 *                                      key through LICENSE_PUBLIC_KEYS)
 *   setup.ts configure <cluster dir> <proxy url> <nodes> <first SQL port> <instances> <proxy port>
 *                                      sets the cluster up through HAProxy, as an admin would through the Web API: signs
 *                                      in, installs an Enterprise license, fills SAML with sample values, switches SCIM
 *                                      on, makes a token for Entra ID; writes cluster.json and prints the tenant URL
 *                                      and the token in the demo's format
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// Relative imports: ts-node runs this file without the tsconfig path aliases.
import { makeLicenseKeyPair, signLicense } from '../../libs/license/src/testing';
import { completeSamlSettings } from '../../libs/saml/src/testing';

/** What the test/cluster suite reads to find the cluster. */
export interface ClusterDescription {
  proxyUrl: string;
  tenantUrl: string;
  token: string;
  adminPassword: string;
  database: { name: string; user: string; password: string; sqlPorts: number[] };
  instances: { url: string; node: number }[];
}

class SetupError extends Error {}

function keys(dir: string): void {
  const privatePath = join(dir, 'license-private.pem');
  const publicPath = join(dir, 'license-public.pem');
  if (existsSync(privatePath) && existsSync(publicPath)) return;
  const pair = makeLicenseKeyPair();
  writeFileSync(privatePath, pair.privateKey, { mode: 0o600 });
  writeFileSync(publicPath, pair.publicKey, { mode: 0o644 });
}

/** A small Web API client: form posts, JSON answers, one retry pass over 503 (an instance being replaced). */
class WebApi {
  private credentials: Record<string, string> = {};

  constructor(private readonly base: string) {}

  /** Signed in as the admin page is: its posts say they come from the server's own pages, as a browser's would. */
  useCookie(cookie: string): void {
    this.credentials = { Cookie: cookie, 'Sec-Fetch-Site': 'same-origin' };
  }

  useToken(token: string): void {
    this.credentials = { Authorization: `Bearer ${token}` };
  }

  async call(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(this.base + path, {
        method,
        headers: {
          ...this.credentials,
          ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: form ? new URLSearchParams(form).toString() : undefined,
      });
      if (response.status !== 503 || attempt >= 10) return response;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  async expect(method: 'GET' | 'POST', path: string, status: number, form?: Record<string, string>) {
    const response = await this.call(method, path, form);
    if (response.status !== status) {
      throw new SetupError(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    }
    return response;
  }
}

async function configure(args: string[]): Promise<void> {
  const [dir, proxyUrl, nodesText, sqlPortText, instancesText, proxyPortText] = args;
  const nodes = Number(nodesText);
  const firstSqlPort = Number(sqlPortText);
  const instances = Number(instancesText);
  const proxyPort = Number(proxyPortText);
  if (!dir || !proxyUrl || ![nodes, firstSqlPort, instances, proxyPort].every((n) => Number.isInteger(n) && n > 0)) {
    throw new SetupError(
      'usage: setup.ts configure <dir> <proxy url> <nodes> <first SQL port> <instances> <proxy port>',
    );
  }
  const adminPassword = readFileSync(join(dir, 'admin-password'), 'utf8').trim();
  const api = new WebApi(proxyUrl);

  const login = await api.expect('POST', '/api/authentication/login', 204, { login: 'admin', password: adminPassword });
  const cookie = login.headers.getSetCookie().find((c) => c.includes('='));
  if (!cookie) throw new SetupError('signing in set no session cookie');
  api.useCookie(cookie.split(';')[0]);
  const generated = await api.expect('POST', '/api/user_tokens/generate', 200, {
    name: `entra-cluster-${new Date().toISOString()}`,
  });
  const { token } = (await generated.json()) as { token: string };
  api.useToken(token);

  const license = (await (await api.expect('GET', '/api/editions/license', 200)).json()) as {
    status?: string;
    features?: string[];
  };
  if (license.status !== 'valid' || !license.features?.includes('scim')) {
    const privateKey = readFileSync(join(dir, 'license-private.pem'), 'utf8');
    const key = signLicense(privateKey, {
      licensee: 'SCIM provisioning cluster',
      edition: 'enterprise',
      features: ['scim', 'saml'],
      expiresAt: new Date(Date.now() + 90 * 24 * 3600 * 1000),
    });
    await api.expect('POST', '/api/editions/set_license', 204, { license: key });
  }
  const status = (await (await api.expect('GET', '/api/scim_management/status', 200)).json()) as { enabled?: boolean };
  if (!status.enabled) {
    for (const [key, value] of Object.entries(completeSamlSettings())) {
      await api.expect('POST', '/api/settings/set', 204, { key, value });
    }
    await api.expect('POST', '/api/scim_management/enable', 204, { confirm: 'true' });
  }

  const description: ClusterDescription = {
    proxyUrl,
    tenantUrl: `${proxyUrl}/api/scim/v2`,
    token,
    adminPassword,
    database: {
      name: 'scim',
      user: 'scim',
      password: readFileSync(join(dir, 'db-password'), 'utf8').trim(),
      sqlPorts: Array.from({ length: nodes }, (_, i) => firstSqlPort + i),
    },
    instances: Array.from({ length: instances }, (_, i) => ({
      url: `http://127.0.0.1:${proxyPort + i + 1}`,
      node: (i % nodes) + 1,
    })),
  };
  writeFileSync(join(dir, 'cluster.json'), JSON.stringify(description, null, 2), { mode: 0o600 });
  const lines = [
    '',
    `SCIM provisioning is ready for Microsoft Entra ID (cluster: ${instances} instances on ${nodes} Galera nodes behind HAProxy; sample SAML values, a cluster license).`,
    `  Tenant URL:    ${description.tenantUrl}`,
    `  Secret token:  ${token}`,
    `  Admin sign-in: admin / ${adminPassword}`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'keys' && rest[0]) return keys(rest[0]);
  if (command === 'configure') return configure(rest);
  throw new SetupError('usage: setup.ts keys <dir> | setup.ts configure <dir> <proxy url> …');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`[cluster] setup failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
