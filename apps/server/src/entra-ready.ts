import type { INestApplicationContext } from '@nestjs/common';
import type { AdminBootstrapResult } from '@nest-scim/auth';
import { LicenseService } from '@nest-scim/license';
import { signLicense } from '@nest-scim/license/signing';
import { ScimSetup } from '@nest-scim/provisioning';
import { SamlSettingsService } from '@nest-scim/saml';

/**
 * An Enterprise license with what SCIM provisioning from Entra ID needs (`scim`, `saml`), valid for `validDays`, signed
 * with a private key whose public key the server trusts: the demo's, the benchmark's, a test's.
 */
export function enterpriseScimLicense(privateKey: string, licensee: string, validDays: number): string {
  return signLicense(privateKey, {
    licensee,
    edition: 'enterprise',
    features: ['scim', 'saml'],
    expiresAt: new Date(Date.now() + validDays * 24 * 3600 * 1000),
  });
}

/** How far to take an instance towards "ready for Entra ID"; every step is the one an admin takes on the admin page. */
export interface EntraReadyOptions {
  /** The local `admin` account's password when it is created (a generated one, shown once, when unset). */
  adminPassword?: string;
  /**
   * A signed license key with the `scim` feature, installed unless a valid one with `scim` is in place. Unset: no
   * license is installed, and SAML and SCIM are left as they are.
   */
  license?: () => string;
  /** The SAML settings to save when SAML is not enabled yet. */
  samlSettings?: Record<string, string>;
  /** Switch provisioning to SCIM (default true; needs the license and complete SAML). */
  enableScim?: boolean;
  /** The name of the admin's new user token, Entra's "Secret Token"; unique per user. */
  tokenName: string;
}

/** What an admin pastes into Entra ID, and who the token belongs to. */
export interface EntraReadyInstance {
  admin: AdminBootstrapResult;
  token: string;
  tokenId: string;
  /** Set when the server knows its public address. */
  tenantUrl?: string;
}

/**
 * Takes a server (an application or an application context of `AppModule`) to where Entra ID finds it once an admin
 * has followed the product's steps: the local admin account, an Enterprise license with SCIM, SAML set up, SCIM
 * provisioning switched on, and a user token of the admin. Safe to run again on the same database: what is already
 * in place is kept, and only a new token is made. Used by `npm run demo`, the benchmark and the end-to-end tests.
 */
export async function prepareForEntra(
  app: INestApplicationContext,
  options: EntraReadyOptions,
): Promise<EntraReadyInstance> {
  const setup = app.get(ScimSetup, { strict: false });
  const admin = await setup.ensureAdminAccount({ password: options.adminPassword });
  if (options.license !== undefined) {
    const current = await app.get(LicenseService, { strict: false }).current();
    if (current.status !== 'valid' || !current.features.includes('scim')) await setup.installLicense(options.license());
    const saml = app.get(SamlSettingsService, { strict: false });
    if (options.samlSettings !== undefined && !(await saml.isEnabled())) await saml.setMany(options.samlSettings);
    if (options.enableScim ?? true) await setup.enableScim();
  }
  const credentials = await setup.createEntraToken({ userId: admin.userId, name: options.tokenName });
  return {
    admin,
    token: credentials.token,
    tokenId: credentials.tokenId,
    ...(credentials.tenantUrl ? { tenantUrl: credentials.tenantUrl } : {}),
  };
}
