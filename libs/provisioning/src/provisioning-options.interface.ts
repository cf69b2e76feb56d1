import type { ModuleMetadata, Type } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { AuthOptions } from '@nest-scim/auth';
import type { SamlStorageKeys } from '@nest-scim/saml';
import type { ScimLimits } from '@nest-scim/scim';
import type { ScimActivitySettings } from './activity/scim-activity.settings';
import type { BlockedAddressRefusalSettings } from './blocked-address.tarpit';
import type { SignInReadiness } from './administration/sign-in-readiness';
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
  /** Names of the built-in groups; `users` and `administrators` by default. */
  defaultGroupName?: string;
  administratorsGroupName?: string;
  /** The product's name, in sign-in refusals ("You have no account on <product>."); `this product` by default. */
  productName?: string;
  /** Sessions, sign-in throttling and password hashing of the product's local accounts. */
  auth?: AuthOptions;
  /**
   * How a SCIM request from an address the failed-authentication throttle blocked is refused: held `delayMs` before
   * its 429 is sent (1,000 ms by default, never past the block's end; 0 answers at once), with at most `maxHeld` (1,000
   * by default) held at once per instance, beyond which refusals are answered at once.
   */
  blockedAddressRefusal?: Partial<BlockedAddressRefusalSettings>;
  /** Where "now" comes from when judging license expiry; tests move it. */
  clock?: () => Date;
  /** How long the SCIM activity records are kept, and how requests are read as cycles and silence. */
  activity?: ScimActivitySettings;
  /**
   * A prom-client registry to register the feature's metrics on (the host's own, to serve them with its other
   * metrics); the feature keeps a registry of its own when unset (`ScimMetrics.registry`).
   */
  metricsRegistry?: Registry;
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
   * "Sign-in is configured", a prerequisite of switching SCIM on: a class implementing SignInReadiness, instantiated
   * in the feature's module (it may inject the feature's services, e.g. `SamlSignInReadiness` of `@nest-scim/saml` for a
   * host on SAML, or a host's own check through `imports`). None when unset: SCIM then needs no sign-in prerequisite.
   */
  signInReadiness?: Type<SignInReadiness>;
  /**
   * What the SAML settings and the provisioning mode are stored under in the database: `saml.*` and `scim.enabled` by
   * default (`SONARQUBE_STORAGE_KEYS` of `@nest-scim/saml` for SonarQube's). Fixed when the module is declared.
   */
  storageKeys?: Partial<SamlStorageKeys>;
  /**
   * Lets every module of the host inject what the feature exports (LicenseGuard, LicenseService, the identity and
   * auth services) without importing it again. Guards, pipes and filters stay scoped either way.
   */
  isGlobal?: boolean;
}

export const PROVISIONING_OPTIONS = Symbol('SCIM_PROVISIONING_OPTIONS');
/** Injection token of the resolved SCIM base path (`/api/scim/v2` by default). */
export const PROVISIONING_BASE_PATH = Symbol('SCIM_PROVISIONING_BASE_PATH');
