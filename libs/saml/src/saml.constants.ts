/** Injection token of the DataSource the SAML module stores its settings and the provisioning mode in. */
export const SAML_DATA_SOURCE = 'SamlDataSource';
