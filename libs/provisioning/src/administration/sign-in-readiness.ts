import type { EntityManager } from 'typeorm';

/**
 * The host's answer to "is sign-in configured?", a prerequisite of switching SCIM on: accounts SCIM provisions must be
 * able to sign in. The standalone server plugs in SAML's completeness (`SamlSignInReadiness` of `@nest-scim/saml`); a host
 * on OIDC plugs in its own check, or none (the option left unset).
 */
export interface SignInReadiness {
  /**
   * Why sign-in is not ready, in the words the admin sees; undefined when it is. Read inside the transaction that
   * switches the mode, through `manager`, so a setting changed a moment ago counts (the check shown before a switch reads
   * in a transaction of its own).
   */
  unmet(manager: EntityManager): Promise<string | undefined>;
}

/** Injection token of the host's SignInReadiness (absent: no sign-in prerequisite). */
export const SIGN_IN_READINESS = Symbol('SIGN_IN_READINESS');
