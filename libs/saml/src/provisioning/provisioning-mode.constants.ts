/** Injection token of the ProvisioningModeListener list the module was given. */
export const PROVISIONING_MODE_LISTENERS = 'ProvisioningModeListeners';

/** SCIM provisioning is an Enterprise feature, and the license must name it. */
export const SCIM_LICENSE_REQUIREMENTS = { edition: 'enterprise', features: ['scim'] } as const;

export const SCIM_NEEDS_SAML = 'SAML authentication must be configured and enabled first';
export const SCIM_PROVISIONING_DISABLED =
  'SCIM provisioning is not enabled: an administrator must turn on automatic user and group provisioning with SCIM';
export const SAML_NEEDED_BY_SCIM =
  'SAML cannot be switched off or left incomplete while automatic provisioning with SCIM is on: switch provisioning back to just-in-time first';
