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
 * manager: on the way back to JIT the identity lib drops its SCIM links there, so the switch and the cleanup commit
 * together. Throwing rolls the switch back.
 */
export interface ProvisioningModeListener {
  onProvisioningModeChange(change: ProvisioningModeChange, manager: EntityManager): Promise<void> | void;
}
