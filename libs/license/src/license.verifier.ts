import { KeyObject, verify } from 'node:crypto';
import { parseLicenseStatement, peekKeyId, splitLicenseKey } from './license-key.codec';
import { LicenseKeyRejectedError } from './license-key-rejected.error';
import type { LicenseStatement } from './license.types';
import { licenseKeyIdOf, parseLicensePublicKey } from './signing-key.util';

interface TrustedKey {
  keyId: string;
  key: KeyObject;
}

/**
 * Checks that a license key was signed by one of the public keys the server is configured to trust. Several keys
 * may be trusted at once, so the vendor can rotate its signing key without invalidating keys already issued.
 * Expiry is not judged here: an installed key that expires stays readable, it merely stops applying.
 */
export class LicenseVerifier {
  private readonly trusted: readonly TrustedKey[];
  /**
   * The last key that verified, by its exact text. The installed license is read on every gated request; its
   * signature cannot change its verdict while the trusted keys stay the same, so it is checked once, not per request.
   */
  private lastVerified?: { licenseKey: string; statement: LicenseStatement };

  constructor(trustedPublicKeys: readonly string[]) {
    this.trusted = trustedPublicKeys.map((text, index) => {
      try {
        const key = parseLicensePublicKey(text);
        return { key, keyId: licenseKeyIdOf(key) };
      } catch (error) {
        // Configuration is validated at start: a key that does not parse must stop the server, not weaken it.
        throw new Error(
          `Trusted license public key #${index + 1} is not a usable Ed25519 public key (PEM or base64 DER SPKI): ${
            (error as Error).message
          }`,
        );
      }
    });
  }

  get trustedKeyIds(): string[] {
    return this.trusted.map((t) => t.keyId);
  }

  /** The statement of a key whose signature verifies against a trusted key; otherwise a LicenseKeyRejectedError. */
  verify(licenseKey: string): LicenseStatement {
    if (this.lastVerified?.licenseKey === licenseKey) return copyOf(this.lastVerified.statement);
    const { payload, signature } = splitLicenseKey(licenseKey);
    const signer = this.trusted.find((t) => verify(null, payload, t.key, signature));
    if (signer) {
      const statement = parseLicenseStatement(payload);
      this.lastVerified = { licenseKey, statement: copyOf(statement) };
      return statement;
    }
    // Only the claimed signer tells "someone else signed this" apart from "this was changed after signing".
    const claimed = peekKeyId(payload);
    if (claimed !== undefined && !this.trusted.some((t) => t.keyId === claimed)) {
      throw LicenseKeyRejectedError.untrusted();
    }
    if (this.trusted.length === 0) throw LicenseKeyRejectedError.untrusted();
    throw LicenseKeyRejectedError.tampered();
  }
}

function copyOf(statement: LicenseStatement): LicenseStatement {
  return { ...statement, features: [...statement.features] };
}
