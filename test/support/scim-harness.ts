import type { Test } from 'supertest';
import { makeLicenseKeyPair, LicenseKeyPair } from '@nest-scim/license/testing';
import type { Dialect } from '@nest-scim/persistence';
import { completeSamlSettings } from '@nest-scim/saml/testing';
import { enterpriseScimLicense, prepareForEntra } from '../../apps/server/src/entra-ready';
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
  get(path: string): Test;
  post(path: string, body: unknown): Test;
  put(path: string, body: unknown): Test;
  patch(path: string, body: unknown): Test;
  delete(path: string): Test;
}

export interface ScimStartOptions extends StartOptions {
  /** Stop before installing the license (to test the license gate); SCIM stays off then. */
  withoutLicense?: boolean;
  /** Install the license and set up SAML, but leave provisioning in just-in-time mode. */
  withoutScimMode?: boolean;
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
  const enterpriseLicense = () => enterpriseScimLicense(licenseKeys.privateKey, 'Acme', 365);
  const { admin, token } = await prepareForEntra(server.app, {
    adminPassword: 'Admin-password-1234',
    license: options.withoutLicense ? undefined : enterpriseLicense,
    samlSettings: completeSamlSettings(),
    enableScim: !options.withoutScimMode,
    tokenName: 'entra',
  });
  const auth = (t: Test) => t.set('Authorization', `Bearer ${token}`);
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
