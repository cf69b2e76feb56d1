import type { ModuleMetadata } from '@nestjs/common';

export interface SamlSignInOptions {
  /**
   * Modules that export the identity, auth and SAML services: the host's `ScimProvisioningModule.forRootAsync(…)`
   * (the same object it imports itself, so Nest keeps one instance).
   */
  imports: NonNullable<ModuleMetadata['imports']>;
  /** The address users reach the server at (`https://host`); the ACS URL is built on it. Else each request's own. */
  publicUrl?: string;
}

export interface ResolvedSamlSignInOptions {
  publicUrl?: string;
}

export const SAML_SIGN_IN_OPTIONS = Symbol('SAML_SIGN_IN_OPTIONS');
