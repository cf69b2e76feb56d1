/** Test support: make a signing key pair, sign a license (the vendor-side signing of `@nest-scim/license/signing`). */
export { makeLicenseKeyPair, signLicense } from './signing';
export type { LicenseKeyPair, LicenseToSign } from './signing';
