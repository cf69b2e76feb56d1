/**
 * Vendor-side signing: make a signing key pair, sign a license — for the vendor's license tool and a demo instance
 * that trusts a key of its own. The product's runtime entry (`@nest-scim/license`) only ever verifies.
 */
export { makeLicenseKeyPair, signLicense } from './license.signer';
export type { LicenseKeyPair, LicenseToSign } from './license.signer';
