import type { Edition } from './edition.constants';

/**
 * What a license key states, once its signature has been checked. Times are ISO 8601 strings in UTC, exactly as
 * signed, so the statement can be shown back without reformatting.
 */
export interface LicenseStatement {
  licensee: string;
  edition: Edition;
  /** Feature names such as 'scim' or 'saml'. */
  features: string[];
  issuedAt: string;
  expiresAt: string;
  /** Fingerprint of the signing key, so a verifier can tell an unknown signer from a tampered key. */
  keyId?: string;
}

/**
 * - `none`: no license installed (Community).
 * - `valid`: installed, trusted and not expired: the only status under which its edition and features apply.
 * - `expired`: installed and trusted, but past its expiry.
 * - `invalid`: the stored key no longer verifies, e.g. its signing key was removed from the trusted keys.
 */
export type LicenseStatus = 'none' | 'valid' | 'expired' | 'invalid';

/** The installed license as an admin page shows it. */
export interface LicenseInfo {
  status: LicenseStatus;
  /** The edition the license states (community when none or invalid); it applies only while status is `valid`. */
  edition: Edition;
  licensee: string | null;
  /** The features the license states; they apply only while status is `valid`. */
  features: string[];
  issuedAt: Date | null;
  expiresAt: Date | null;
  /** Valid, and expires within the next 30 days. */
  expiringSoon: boolean;
  keyId: string | null;
  installedAt: Date | null;
  /** Why an installed license does not apply (expired, untrusted); null otherwise. */
  message: string | null;
}

/** What a route or an operation needs from the license. */
export interface LicenseRequirements {
  edition?: Edition;
  features?: readonly string[];
}

export type LicenseRefusalReason = 'edition' | 'feature' | 'expired' | 'invalid';

/** Why the installed license does not meet some requirements, with the sentence to show. */
export interface LicenseRefusal {
  reason: LicenseRefusalReason;
  message: string;
}
