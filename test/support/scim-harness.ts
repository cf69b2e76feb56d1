import { LocalAccountsService, UserTokensService } from '@app/auth';
import { LicenseService } from '@app/license';
import { makeLicenseKeyPair, signLicense, LicenseKeyPair } from '@app/license/testing';
import type { Dialect } from '@app/persistence';
import { startTestServer, StartOptions, TestServer } from './server-harness';

export const SCIM = '/api/scim/v2';
export const SCIM_JSON = 'application/scim+json';

export interface ScimTestServer extends TestServer {
  /** The local admin's user token, as an admin pastes it into Entra. */
  token: string;
  adminUserId: string;
  licenseKeys: LicenseKeyPair;
  /** An Enterprise license with the `scim` feature, signed by `licenseKeys`. */
  enterpriseLicense(): string;
  /** Request helpers with the token already set. */
  get(path: string): ReturnType<ReturnType<TestServer['http']>['get']>;
  post(path: string, body: unknown): ReturnType<ReturnType<TestServer['http']>['post']>;
  put(path: string, body: unknown): ReturnType<ReturnType<TestServer['http']>['put']>;
  patch(path: string, body: unknown): ReturnType<ReturnType<TestServer['http']>['patch']>;
  delete(path: string): ReturnType<ReturnType<TestServer['http']>['delete']>;
}

export interface ScimStartOptions extends StartOptions {
  /** Stop before installing the license (to test the license gate). */
  withoutLicense?: boolean;
}

/**
 * A server as Entra finds it once an admin has followed the product's steps: an Enterprise license with SCIM, SAML
 * set up, SCIM provisioning switched on, and a user token of the local admin.
 */
export async function startScimServer(dialect: Dialect, options: ScimStartOptions = {}): Promise<ScimTestServer> {
  const licenseKeys = makeLicenseKeyPair();
  const server = await startTestServer(dialect, {
    ...options,
    env: { LICENSE_PUBLIC_KEYS: licenseKeys.publicKey, ...options.env },
  });
  const enterpriseLicense = () =>
    signLicense(licenseKeys.privateKey, {
      licensee: 'Acme',
      edition: 'enterprise',
      features: ['scim', 'saml'],
      expiresAt: new Date(Date.now() + 365 * 24 * 3600 * 1000),
    });
  const accounts = server.app.get(LocalAccountsService);
  await accounts.ensureAdminAccount({ password: 'Admin-password-1234' });
  const admin = await accounts.authenticatePassword('admin', 'Admin-password-1234', { address: '127.0.0.1' });
  const { token } = await server.app.get(UserTokensService).generate({ userId: admin.userId, name: 'entra' });
  if (!options.withoutLicense) await server.app.get(LicenseService).install(enterpriseLicense());
  const auth = (t: ReturnType<TestServer['http']>['get']) => t.set('Authorization', `Bearer ${token}`);
  return {
    ...server,
    token,
    adminUserId: admin.userId,
    licenseKeys,
    enterpriseLicense,
    get: (path) => auth(server.http().get(SCIM + path)),
    post: (path, body) =>
      auth(server.http().post(SCIM + path))
        .set('Content-Type', SCIM_JSON)
        .send(JSON.stringify(body)),
    put: (path, body) =>
      auth(server.http().put(SCIM + path))
        .set('Content-Type', SCIM_JSON)
        .send(JSON.stringify(body)),
    patch: (path, body) =>
      auth(server.http().patch(SCIM + path))
        .set('Content-Type', SCIM_JSON)
        .send(JSON.stringify(body)),
    delete: (path) => auth(server.http().delete(SCIM + path)),
  };
}
