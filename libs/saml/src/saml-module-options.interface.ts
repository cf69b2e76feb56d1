import type { ModuleMetadata, Type } from '@nestjs/common';
import type { ProvisioningModeListener } from './provisioning/provisioning-mode.types';
import type { SamlStorageKeys } from './saml.constants';

export interface SamlModuleOptions {
  /** Name of the host's TypeORM data source; the default data source when unset. */
  dataSource?: string;
  /** Modules the listeners need for their own dependencies (e.g. the identity module). */
  imports?: ModuleMetadata['imports'];
  /**
   * Classes told of every switch of the provisioning mode, inside its transaction. They are instantiated by this
   * module, with their dependencies resolved from `imports`.
   */
  provisioningModeListeners?: Type<ProvisioningModeListener>[];
  /**
   * SCIM's sign-in is this SAML configuration (the provisioning feature sets it when its sign-in readiness is
   * `SamlSignInReadiness`): while SCIM is on, a settings change that would switch SAML off or leave it incomplete is
   * refused, since only SAML lets the people SCIM provisions sign in. False by default.
   */
  scimSignsInWithSaml?: boolean;
  /** What the settings and the mode are stored under; `saml.*` and `scim.enabled` by default. */
  storageKeys?: Partial<SamlStorageKeys>;
}
