import type { ModuleMetadata } from '@nestjs/common';

export interface LicenseModuleOptions {
  /**
   * The Ed25519 public keys whose signatures the server accepts, as PEM or base64 DER (SPKI). List several while the
   * vendor rotates its signing key. Process configuration: comes from the environment, never from the database.
   */
  trustedPublicKeys: readonly string[];
  /** Where "now" comes from when judging expiry; tests move it forward instead of waiting. */
  clock?: () => Date;
}

export interface LicenseModuleConnection {
  /** Name of the host's TypeORM data source to store the license in; the default data source when unset. */
  dataSource?: string;
}

export interface LicenseModuleAsyncOptions extends LicenseModuleConnection, Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => LicenseModuleOptions | Promise<LicenseModuleOptions>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
}
