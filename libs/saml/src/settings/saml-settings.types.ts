import type { SamlSettingKey } from './saml-settings.constants';

/** One setting as the settings API returns it. A secret never carries its value: only whether it is set. */
export interface SamlSettingValue {
  key: SamlSettingKey;
  /** The value in force (stored, or the default); absent for secrets and for settings with neither. */
  value?: string;
  /** True when a value is in force, stored or default. */
  hasValue: boolean;
  /** True when no value is stored and the default (if any) applies, as the product's `inherited`. */
  inherited: boolean;
  /** True for `*.secured` settings, whose value is never returned. */
  secured: boolean;
}

/**
 * Every SAML setting with its value in force, secrets included: for the SAML sign-in and for rules such as "is SAML
 * complete". Never send it to a client.
 */
export interface SamlConfiguration {
  enabled: boolean;
  applicationId: string | null;
  providerName: string | null;
  providerId: string | null;
  loginUrl: string | null;
  /** PEM. */
  certificate: string | null;
  userLogin: string | null;
  userName: string | null;
  userEmail: string | null;
  groupName: string | null;
  signatureEnabled: boolean;
  /** PEM. */
  spCertificate: string | null;
  /** PKCS#8 PEM. */
  spPrivateKey: string | null;
}

/** A setting that SAML needs and that is not set, with the product's message ("Provider ID is missing"). */
export interface SamlMissingSetting {
  key: SamlSettingKey;
  message: string;
}

/** A refused value, named by the setting it is about so an admin page can show it beside the field. */
export interface SamlSettingError {
  key: string;
  message: string;
}
