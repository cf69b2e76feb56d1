import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import type { Edition } from './edition.constants';
import { checkLicenseStatement, encodeLicenseKey, serializeLicenseStatement } from './license-key.codec';
import { LicenseKeyRejectedError } from './license-key-rejected.error';
import { licenseKeyIdOf } from './signing-key.util';

/**
 * The vendor side of license keys: making a signing key pair and signing statements. The product never ships or
 * loads a private key; this is reached only through the testing surface and the vendor CLI.
 */
export interface LicenseKeyPair {
  /** PKCS#8 PEM; keep it with the vendor. */
  privateKey: string;
  /** SPKI PEM; what a server lists in its trusted public keys. */
  publicKey: string;
  keyId: string;
}

export function makeLicenseKeyPair(): LicenseKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: licenseKeyIdOf(publicKey),
  };
}

export interface LicenseToSign {
  licensee: string;
  edition: Edition;
  features?: readonly string[];
  /** A Date or ISO 8601 text; a bare day (`2027-12-31`) means the license runs to the end of that day, UTC. */
  expiresAt: Date | string;
  /** Defaults to now; a bare day means the start of that day, UTC. */
  issuedAt?: Date | string;
  /** Defaults to the fingerprint of the signing key; `false` leaves it out. */
  keyId?: string | false;
}

const BARE_DAY = /^\d{4}-\d{2}-\d{2}$/;

function instant(value: Date | string, bareDayTime: string): string {
  if (value instanceof Date) return value.toISOString();
  return BARE_DAY.test(value) ? `${value}T${bareDayTime}Z` : value;
}

/** Signs a statement and returns the compact license key. Refuses statements a server would refuse as malformed. */
export function signLicense(privateKey: string | KeyObject, license: LicenseToSign): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('License keys are signed with an Ed25519 private key');
  const keyId = license.keyId === false ? undefined : (license.keyId ?? licenseKeyIdOf(createPublicKey(key)));
  let statement;
  try {
    statement = checkLicenseStatement({
      licensee: license.licensee,
      edition: license.edition,
      features: [...(license.features ?? [])],
      issuedAt: instant(license.issuedAt ?? new Date(), '00:00:00.000'),
      expiresAt: instant(license.expiresAt, '23:59:59.999'),
      ...(keyId ? { keyId } : {}),
    });
  } catch (error) {
    if (error instanceof LicenseKeyRejectedError) throw new Error(`Cannot sign this license: ${error.detail}`);
    throw error;
  }
  const payload = serializeLicenseStatement(statement);
  return encodeLicenseKey({ payload, signature: sign(null, payload, key) });
}
