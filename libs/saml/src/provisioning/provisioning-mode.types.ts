import type { EntityManager } from 'typeorm';

/** How accounts come to exist: created at first SAML sign-in (`jit`), or pushed by the identity provider (`scim`). */
export type ProvisioningMode = 'jit' | 'scim';

export interface ProvisioningModeChange {
  /** The mode before the switch; equal to `to` when the switch asked for the mode already in force. */
  from: ProvisioningMode;
  to: ProvisioningMode;
}

/**
 * Told of every switch of the provisioning mode, inside the transaction that writes it, through that transaction's
 * manager: the provisioning feature releases its managed users and groups there on the way back to JIT, and resumes
 * them on the way to SCIM, so the switch and what it does commit together. Throwing rolls the switch back.
 */
export interface ProvisioningModeListener {
  onProvisioningModeChange(change: ProvisioningModeChange, manager: EntityManager): Promise<void> | void;
}
