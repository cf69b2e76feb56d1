/**
 * Vendor-side helpers for tests, demos and the vendor CLI: make a signing key pair, sign a license. Never imported
 * by the product's runtime code, so no private key handling ships with it.
 */
export { makeLicenseKeyPair, signLicense } from './license.signer';
export type { LicenseKeyPair, LicenseToSign } from './license.signer';
