import type { ModuleMetadata } from '@nestjs/common';

export interface WebApiOptions {
  /**
   * Modules that export the identity, auth, license and SAML services: the host's
   * `ScimProvisioningModule.forRootAsync(…)` (the same object it imports itself, so Nest keeps one instance).
   */
  imports: NonNullable<ModuleMetadata['imports']>;
  /** The address users and Entra ID reach the server at (`https://host`): cookies are Secure on https. */
  publicUrl?: string;
}

export interface ResolvedWebApiOptions {
  publicUrl?: string;
}
