import type { ModuleMetadata, Type } from '@nestjs/common';
import type { AuthOptions } from '@app/auth';
import type { ScimLimits } from '@app/scim';
import type { ScimDirectoryProvider } from './directory/scim-directory.module';
import type { ScimProvisioningHooks } from './directory/scim-provisioning.hooks';

/** What a host decides about the provisioning feature; resolved at start, from its own configuration. */
export interface ScimProvisioningOptions {
  /** Ed25519 public keys whose signatures make a license key valid. Never a private key. */
  trustedLicensePublicKeys: readonly string[];
  /** The public address of the server (`https://host`), for SCIM `meta.location`; else taken from each request. */
  publicUrl?: string;
  /** SCIM limits (body size, filter length and depth, PATCH operations, page size); each has a safe default. */
  limits?: Partial<ScimLimits>;
  /** Names of the built-in groups; `sonar-users` and `sonar-administrators` by default. */
  defaultGroupName?: string;
  administratorsGroupName?: string;
  /** Sessions, sign-in throttling and password hashing of the product's local accounts. */
  auth?: AuthOptions;
  /** Where "now" comes from when judging license expiry; tests move it. */
  clock?: () => Date;
}

export interface ScimProvisioningAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => ScimProvisioningOptions | Promise<ScimProvisioningOptions>;
  /** Where the SCIM routes live; `/api/scim/v2` by default. Fixed when the module is declared. */
  basePath?: string;
  /**
   * The product's users and groups: a provider of a ScimDirectory (`useClass`, `useFactory` or `useExisting`), which
   * may inject what `imports` export. Identity's adapter (the feature's own users and groups) when unset.
   */
  directory?: ScimDirectoryProvider;
  /**
   * Listeners called inside each SCIM write's transaction (see ScimProvisioningHooks); classes the feature
   * instantiates, which may inject what `imports` export. A hook that throws rolls the request back.
   */
  hooks?: Type<ScimProvisioningHooks>[];
  /** Name of the host's TypeORM data source to use; the default one when unset. */
  dataSource?: string;
  /**
   * Lets every module of the host inject what the feature exports (LicenseGuard, LicenseService, the identity and
   * auth services) without importing it again. Guards, pipes and filters stay scoped either way.
   */
  isGlobal?: boolean;
}

export const PROVISIONING_OPTIONS = Symbol('SCIM_PROVISIONING_OPTIONS');
