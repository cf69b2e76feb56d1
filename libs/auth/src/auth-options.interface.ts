import type { ModuleMetadata } from '@nestjs/common';

export interface ScryptParameters {
  /** N, a power of two. */
  cost: number;
  /** r. */
  blockSize: number;
  /** p. */
  parallelization: number;
}

export interface SignInThrottleSettings {
  /**
   * Failed sign-ins for one login from one address within the window before that pair is blocked for a window.
   * Default 5.
   */
  maxFailuresPerLoginAndAddress: number;
  /**
   * Failed sign-ins for one login, from any addresses, within the window before the login is blocked for a window.
   * A blocked login still accepts its right password from an address that has not failed within the window; it
   * refuses only addresses that have. Default 10.
   */
  maxFailuresPerLogin: number;
  /** Failed sign-ins from one source address within the window before it is blocked for a window. Default 30. */
  maxFailuresPerAddress: number;
  /** Default 300 s. */
  windowSeconds: number;
}

export interface AuthOptions {
  /** Lifetime of an admin-page session. Default 3 days (the product's default session timeout). */
  sessionTtlSeconds?: number;
  signInThrottle?: Partial<SignInThrottleSettings>;
  /** Cost of new password hashes; existing hashes are upgraded at the next successful sign-in. */
  passwordHashing?: Partial<ScryptParameters>;
}

export interface ResolvedAuthOptions {
  sessionTtlSeconds: number;
  signInThrottle: SignInThrottleSettings;
  passwordHashing: ScryptParameters;
}

interface AuthModuleWiring extends Pick<ModuleMetadata, 'imports'> {
  /**
   * Name of the host's TypeORM data source; the default one when unset. Must be the identity lib's data source:
   * token, session and password rows reference users.
   */
  dataSource?: string;
}

/**
 * `imports` must make the identity services visible to the auth lib: pass the same `IdentityModule.forRoot(…)`
 * module the host imports (Nest keeps one instance of it).
 */
export interface AuthModuleOptions extends AuthOptions, AuthModuleWiring {}

export interface AuthModuleAsyncOptions extends AuthModuleWiring {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => AuthOptions | Promise<AuthOptions>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
}
