/** Test support for hosts and specs: the sample SAML values (`@nest-scim/saml/samples`), under their test names. */
export { completeSamlSettings, makeSelfSignedCertificate } from './samples';
export type { SampleCertificate as TestCertificate } from './samples';
