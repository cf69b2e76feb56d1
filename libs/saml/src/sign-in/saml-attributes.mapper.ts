import { SAML_SETTING_KEYS } from '../settings/saml-settings.constants';
import type { SamlMappedAttribute, SamlReportedAttribute } from './saml-sign-in.types';

/** The attribute names the settings hold; login and name are required for SAML to be enabled at all. */
export interface SamlAttributeNames {
  userLogin: string;
  userName: string;
  userEmail: string | null;
  groupName: string | null;
}

export interface SamlMappedIdentity {
  login: string | null;
  name: string | null;
  email: string | null;
  groups: string[];
  /** What each setting picked, for the test-configuration report. */
  mapped: {
    login: SamlMappedAttribute;
    name: SamlMappedAttribute;
    email: SamlMappedAttribute | null;
    groups: SamlMappedAttribute | null;
  };
  /** Why a sign-in cannot go on (login or name missing), in the product's words. */
  errors: string[];
  /** What is worth an administrator's attention but does not stop a sign-in. */
  warnings: string[];
}

const notAvailable = (setting: string, attribute: string) =>
  `Mapping not found for the property ${setting}, the field ${attribute} is not available in the SAML response.`;
const empty = (setting: string, attribute: string) =>
  `Mapping found for the property ${setting}, but the field ${attribute} is empty in the SAML response.`;

/**
 * Picks login, name, email and groups out of the attributes the identity provider sent, by the names the settings
 * hold (exact, case-sensitive names: Entra sends claim URIs). Single values take the first non-blank value.
 */
export function mapSamlAttributes(names: SamlAttributeNames, attributes: readonly SamlReportedAttribute[]) {
  const byName = new Map(attributes.map((a) => [a.name, a.values]));
  const mapping = (setting: string, attribute: string): SamlMappedAttribute => ({
    setting,
    attribute,
    values: byName.get(attribute) ?? [],
  });
  const login = mapping(SAML_SETTING_KEYS.userLogin, names.userLogin);
  const name = mapping(SAML_SETTING_KEYS.userName, names.userName);
  const email = names.userEmail ? mapping(SAML_SETTING_KEYS.userEmail, names.userEmail) : null;
  const groups = names.groupName ? mapping(SAML_SETTING_KEYS.groupName, names.groupName) : null;

  const errors: string[] = [];
  const warnings: string[] = [];
  const required = (m: SamlMappedAttribute): string | null => {
    const value = firstValue(m.values);
    if (value === null)
      errors.push(byName.has(m.attribute) ? empty(m.setting, m.attribute) : notAvailable(m.setting, m.attribute));
    return value;
  };
  const loginValue = required(login);
  const nameValue = required(name);

  let emailValue: string | null = null;
  if (!email) warnings.push('No email attribute is configured: accounts signing in through SAML get no email address.');
  else {
    emailValue = firstValue(email.values);
    if (emailValue === null) warnings.push(notAvailable(email.setting, email.attribute));
  }
  let groupValues: string[] = [];
  if (groups) {
    groupValues = [...new Set(groups.values.map((v) => v.trim()).filter((v) => v !== ''))];
    if (groupValues.length === 0) warnings.push(notAvailable(groups.setting, groups.attribute));
  }
  if (loginValue !== null && nonBlank(login.values).length > 1) {
    warnings.push(
      `The login attribute ${login.attribute} has several values: the first one, '${loginValue}', is used.`,
    );
  }
  return {
    login: loginValue,
    name: nameValue,
    email: emailValue,
    groups: groupValues,
    mapped: { login, name, email, groups },
    errors,
    warnings,
  } satisfies SamlMappedIdentity;
}

function nonBlank(values: readonly string[]): string[] {
  return values.map((v) => v.trim()).filter((v) => v !== '');
}

function firstValue(values: readonly string[]): string | null {
  return nonBlank(values)[0] ?? null;
}
