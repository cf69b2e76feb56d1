/**
 * The SAML settings as the form shows them, under the product's keys and labels (the server's definitions are the
 * authority for validation; this only says how to present each one).
 */
export type SamlFieldKind = 'boolean' | 'text' | 'url' | 'certificate' | 'privateKey';

export interface SamlField {
  key: string;
  label: string;
  kind: SamlFieldKind;
  /** Never read back from the server; the form only knows whether one is set. */
  secured: boolean;
  required: boolean;
  description: string;
  placeholder?: string;
}

export const SAML_LOGIN_ATTRIBUTE_KEY = 'sonar.auth.saml.user.login';
export const SAML_ENABLED_KEY = 'sonar.auth.saml.enabled';

export const SAML_FIELDS: readonly SamlField[] = [
  {
    key: SAML_ENABLED_KEY,
    label: 'Enabled',
    kind: 'boolean',
    secured: false,
    required: false,
    description:
      'Let users sign in through the SAML identity provider. The fields marked required must be filled first.',
  },
  {
    key: 'sonar.auth.saml.applicationId',
    label: 'Application ID',
    kind: 'text',
    secured: false,
    required: true,
    description: "This application's identifier at the identity provider: in Entra ID, the Identifier (Entity ID).",
  },
  {
    key: 'sonar.auth.saml.providerName',
    label: 'Provider Name',
    kind: 'text',
    secured: false,
    required: false,
    description: 'Name of the identity provider, shown on the sign-in page.',
  },
  {
    key: 'sonar.auth.saml.providerId',
    label: 'Provider ID',
    kind: 'text',
    secured: false,
    required: true,
    description: 'Identifier of the identity provider: in Entra ID, the Microsoft Entra Identifier.',
    placeholder: 'https://sts.windows.net/<tenant id>/',
  },
  {
    key: 'sonar.auth.saml.loginUrl',
    label: 'SAML login url',
    kind: 'url',
    secured: false,
    required: true,
    description: 'Where the identity provider receives sign-in requests: in Entra ID, the Login URL.',
    placeholder: 'https://login.microsoftonline.com/<tenant id>/saml2',
  },
  {
    key: 'sonar.auth.saml.certificate.secured',
    label: 'Identity provider certificate',
    kind: 'certificate',
    secured: true,
    required: true,
    description:
      'The X.509 certificate the identity provider signs its answers with (PEM, or the base64 text of Entra ID’s Certificate (Base64)).',
  },
  {
    key: SAML_LOGIN_ATTRIBUTE_KEY,
    label: 'SAML user login attribute',
    kind: 'text',
    secured: false,
    required: true,
    description: 'The attribute (claim) of the SAML answer that holds the login of the user who signs in.',
    placeholder: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  },
  {
    key: 'sonar.auth.saml.user.name',
    label: 'SAML user name attribute',
    kind: 'text',
    secured: false,
    required: true,
    description: 'The attribute that holds the display name of the user.',
    placeholder: 'http://schemas.microsoft.com/identity/claims/displayname',
  },
  {
    key: 'sonar.auth.saml.user.email',
    label: 'SAML user email attribute',
    kind: 'text',
    secured: false,
    required: false,
    description: 'The attribute that holds the email address of the user.',
  },
  {
    key: 'sonar.auth.saml.group.name',
    label: 'SAML group attribute',
    kind: 'text',
    secured: false,
    required: false,
    description: 'The attribute that lists the groups of the user, to keep group memberships in step at sign-in.',
  },
  {
    key: 'sonar.auth.saml.signature.enabled',
    label: 'Sign requests',
    kind: 'boolean',
    secured: false,
    required: false,
    description:
      'Sign the requests sent to the identity provider. Needs the service provider private key and certificate.',
  },
  {
    key: 'sonar.auth.saml.sp.privateKey.secured',
    label: 'Service provider private key',
    kind: 'privateKey',
    secured: true,
    required: false,
    description: 'The key requests are signed with: unencrypted PKCS#8 (-----BEGIN PRIVATE KEY-----).',
  },
  {
    key: 'sonar.auth.saml.sp.certificate.secured',
    label: 'Service provider certificate',
    kind: 'certificate',
    secured: true,
    required: false,
    description: 'The certificate of that key, which the identity provider checks request signatures with (PEM).',
  },
];
