/**
 * The SAML settings under the product's own keys, so admins, scripts and docs written for the product carry over.
 * `*.secured` settings are secrets: they are stored but never read back through the settings API.
 */
export const SAML_SETTING_KEYS = {
  enabled: 'sonar.auth.saml.enabled',
  applicationId: 'sonar.auth.saml.applicationId',
  providerName: 'sonar.auth.saml.providerName',
  providerId: 'sonar.auth.saml.providerId',
  loginUrl: 'sonar.auth.saml.loginUrl',
  certificate: 'sonar.auth.saml.certificate.secured',
  userLogin: 'sonar.auth.saml.user.login',
  userName: 'sonar.auth.saml.user.name',
  userEmail: 'sonar.auth.saml.user.email',
  groupName: 'sonar.auth.saml.group.name',
  signatureEnabled: 'sonar.auth.saml.signature.enabled',
  spCertificate: 'sonar.auth.saml.sp.certificate.secured',
  spPrivateKey: 'sonar.auth.saml.sp.privateKey.secured',
} as const;

export type SamlSettingName = keyof typeof SAML_SETTING_KEYS;
export type SamlSettingKey = (typeof SAML_SETTING_KEYS)[SamlSettingName];

/** How a value is checked and normalised when it is set. */
export type SamlValueKind = 'boolean' | 'text' | 'url' | 'certificate' | 'privateKey';

export interface SamlSettingDefinition {
  key: SamlSettingKey;
  /** Property of SamlConfiguration that carries the value. */
  property: SamlSettingName;
  /** Label of the setting in the product. */
  label: string;
  kind: SamlValueKind;
  secured: boolean;
  defaultValue?: string;
  /** For the settings SAML cannot work without: the product's message when it is not set. */
  missingMessage?: string;
}

function define(
  property: SamlSettingName,
  label: string,
  kind: SamlValueKind,
  extra: Pick<SamlSettingDefinition, 'defaultValue' | 'missingMessage'> = {},
): SamlSettingDefinition {
  const key = SAML_SETTING_KEYS[property];
  return { key, property, label, kind, secured: key.endsWith('.secured'), ...extra };
}

/** In the product's order. */
export const SAML_SETTING_DEFINITIONS: readonly SamlSettingDefinition[] = [
  define('enabled', 'Enabled', 'boolean', { defaultValue: 'false' }),
  define('applicationId', 'Application ID', 'text', {
    defaultValue: 'sonarqube',
    missingMessage: 'Application ID is missing',
  }),
  define('providerName', 'Provider Name', 'text', { defaultValue: 'SAML' }),
  define('providerId', 'Provider ID', 'text', { missingMessage: 'Provider ID is missing' }),
  define('loginUrl', 'SAML login url', 'url', { missingMessage: 'Login URL is missing' }),
  define('certificate', 'Identity provider certificate', 'certificate', {
    missingMessage: 'Identity provider certificate is missing',
  }),
  define('userLogin', 'SAML user login attribute', 'text', { missingMessage: 'User login attribute is missing' }),
  define('userName', 'SAML user name attribute', 'text', { missingMessage: 'User name attribute is missing' }),
  define('userEmail', 'SAML user email attribute', 'text'),
  define('groupName', 'SAML group attribute', 'text'),
  define('signatureEnabled', 'Sign requests', 'boolean', { defaultValue: 'false' }),
  define('spPrivateKey', 'Service provider private key', 'privateKey'),
  define('spCertificate', 'Service provider certificate', 'certificate'),
];

export const SP_CERTIFICATE_MISSING = 'Service provider certificate is missing';
export const SP_PRIVATE_KEY_MISSING = 'Service provider private key is missing';
export const SAML_NOT_ENABLED = 'SAML authentication is not enabled';

const BY_KEY = new Map<string, SamlSettingDefinition>(SAML_SETTING_DEFINITIONS.map((d) => [d.key, d]));

export function samlSettingDefinition(key: string): SamlSettingDefinition | undefined {
  return BY_KEY.get(key);
}
