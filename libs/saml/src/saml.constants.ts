/** Injection token of the DataSource the SAML module stores its settings and the provisioning mode in. */
export const SAML_DATA_SOURCE = 'SamlDataSource';

/** Injection token of the resolved SamlStorageKeys. */
export const SAML_STORAGE_KEYS = 'SamlStorageKeys';

/**
 * The names the settings and the provisioning mode are stored under in the host's database. The settings API keeps
 * the product's keys (`sonar.auth.saml.*`, SAML_SETTING_KEYS); what lands in the tables is the host's choice.
 */
export interface SamlStorageKeys {
  /** Prefix of the stored SAML setting keys, in place of `sonar.auth.saml.`; `saml.` by default. */
  samlSettingPrefix: string;
  /** The internal property holding the provisioning mode; `scim.enabled` by default. */
  scimEnabled: string;
}

export const DEFAULT_SAML_STORAGE_KEYS: SamlStorageKeys = { samlSettingPrefix: 'saml.', scimEnabled: 'scim.enabled' };

/** The keys SonarQube stores them under, for a host that stands in for it. */
export const SONARQUBE_STORAGE_KEYS: SamlStorageKeys = {
  samlSettingPrefix: 'sonar.auth.saml.',
  scimEnabled: 'sonar.scim.enabled',
};

/** Injection token of the `scimSignsInWithSaml` option (a boolean). */
export const SCIM_SIGNS_IN_WITH_SAML = 'ScimSignsInWithSaml';
