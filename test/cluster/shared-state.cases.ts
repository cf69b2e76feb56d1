import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { signLicense } from '@nest-scim/license/testing';
import { SAML_SETTING_KEYS } from '@nest-scim/saml';
import { completeSamlSettings } from '@nest-scim/saml/testing';
import { claimsOf } from '../saml/saml-support';
import { TestIdentityProvider } from '../saml/test-identity-provider';
import { cluster, clusterDir, describeCluster, EntraClient, ensureUser } from './cluster-support';

/** The instances' own addresses (not the proxy), so each step goes to the instance it names. */
const instance = (n: number) => cluster().instances[n - 1].url;

/** The Web API of one instance, as the cluster's admin (its token). */
function admin(n: number) {
  const bearer = `Bearer ${cluster().token}`;
  return {
    get: (path: string, query: Record<string, string> = {}) =>
      request(instance(n)).get(path).query(query).set('Authorization', bearer),
    post: (path: string, form: Record<string, string> = {}) =>
      request(instance(n)).post(path).type('form').send(form).set('Authorization', bearer),
  };
}

function scimList(n: number, token: string) {
  return request(instance(n)).get('/api/scim/v2/Users?count=1').set('Authorization', `Bearer ${token}`);
}

/** A sign-in attempt from a chosen loopback address, so this test's failures are counted apart from anyone else's. */
function signInFrom(n: number, localAddress: string, login: string): Promise<{ status: number; retryAfter?: string }> {
  const body = new URLSearchParams({ login, password: 'not-the-password' }).toString();
  const url = new URL(instance(n));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: Number(url.port),
        path: '/api/authentication/login',
        method: 'POST',
        localAddress,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * What one instance writes holds on the next request through any other: the state lives in the database, and the
 * Galera nodes read causally (wsrep_sync_wait), so no instance answers from a stale copy.
 */
describeCluster('cluster: shared state across instances', () => {
  const run = randomBytes(3).toString('hex');

  it('a setting written through one instance is read through the others', async () => {
    const loginUrl = `https://login.microsoftonline.com/${run}/saml2`;
    await admin(1).post('/api/settings/set', { key: SAML_SETTING_KEYS.loginUrl, value: loginUrl }).expect(204);
    for (const n of [2, 3]) {
      const res = await admin(n).get('/api/settings/values', { keys: SAML_SETTING_KEYS.loginUrl }).expect(200);
      expect(res.body.settings).toEqual([
        expect.objectContaining({ key: SAML_SETTING_KEYS.loginUrl, value: loginUrl }),
      ]);
    }
  });

  it('a license installed through one instance is the license of every instance', async () => {
    const key = signLicense(readFileSync(join(clusterDir(), 'license-private.pem'), 'utf8'), {
      licensee: `Shared state ${run}`,
      edition: 'enterprise',
      features: ['scim', 'saml'],
      expiresAt: new Date(Date.now() + 90 * 24 * 3600 * 1000),
    });
    await admin(2).post('/api/editions/set_license', { license: key }).expect(204);
    for (const n of [3, 1]) {
      const res = await admin(n).get('/api/editions/license').expect(200);
      expect([res.body.licensee, res.body.status]).toEqual([`Shared state ${run}`, 'valid']);
    }
  });

  it('switching SCIM off through one instance closes the SCIM endpoint of the others, and on again', async () => {
    const { token } = cluster();
    try {
      await admin(1).post('/api/scim_management/disable').expect(204);
      await scimList(2, token).expect(403);
      await scimList(3, token).expect(403);
    } finally {
      await admin(2).post('/api/scim_management/enable', { confirm: 'true' }).expect(204);
    }
    await scimList(3, token).expect(200);
    await scimList(1, token).expect(200);
  });

  it('a token revoked through one instance is refused by the next request through another', async () => {
    const name = `shared-state-${run}`;
    const generated = await admin(1).post('/api/user_tokens/generate', { name }).expect(200);
    const token = generated.body.token as string;
    await scimList(2, token).expect(200);
    await admin(3).post('/api/user_tokens/revoke', { name }).expect(204);
    await scimList(1, token).expect(401);
    await scimList(2, token).expect(401);
  });

  it('failed sign-ins are counted across instances: the throttle holds whichever instance is asked', async () => {
    // A login and a loopback address (127.0.0.0/8 is all loopback) of its own, so no other test's failures count.
    const address = `127.${randomInt(1, 250)}.${randomInt(1, 250)}.${randomInt(2, 250)}`;
    const login = `throttled-${run}`;
    // The default limit is 5 failures per (address, login) pair and window
    // (AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN_AND_ADDRESS): spread over the three instances.
    for (let i = 0; i < 5; i++) {
      expect((await signInFrom((i % 3) + 1, address, login)).status).toBe(401);
    }
    for (const n of [1, 2, 3]) {
      const refused = await signInFrom(n, address, login);
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    }
  });

  it('a SAML response accepted by one instance is refused as a replay by another', async () => {
    const idp = new TestIdentityProvider();
    for (const [key, value] of Object.entries(completeSamlSettings(idp.certificate.certificatePem))) {
      await admin(1).post('/api/settings/set', { key, value }).expect(204);
    }
    // With SCIM on, only accounts SCIM provisioned sign in.
    const login = `saml-${run}@contoso.com`;
    const client = EntraClient.forCluster();
    try {
      await ensureUser(client, login);
    } finally {
      client.close();
    }

    const init = await request(instance(1)).get('/sessions/init/saml').expect(302);
    const authn = idp.readRequest(init.headers.location);
    const samlResponse = idp.respond({
      acsUrl: authn.acsUrl,
      inResponseTo: authn.id,
      attributes: claimsOf(login, 'SAML user'),
    });
    const post = (n: number) =>
      request(instance(n))
        .post('/oauth2/callback/saml')
        .set('Accept', 'application/json')
        .type('form')
        .send({ SAMLResponse: samlResponse, ...(authn.relayState ? { RelayState: authn.relayState } : {}) });

    const first = await post(2);
    expect(first.status).toBe(302);
    expect(first.headers['set-cookie']).toBeDefined();
    const again = await post(3);
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
  });
});
