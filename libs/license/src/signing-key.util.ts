import { createHash, createPublicKey, KeyObject } from 'node:crypto';

/**
 * Reads a trusted public key given as PEM or as base64 DER (SubjectPublicKeyInfo), the two forms an environment
 * variable is likely to hold. Only Ed25519 keys are accepted: the license format signs with nothing else.
 */
export function parseLicensePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPublicKey({ key: trimmed, format: 'pem' })
    : createPublicKey({ key: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`expected an Ed25519 key, got ${key.asymmetricKeyType ?? 'an unknown key type'}`);
  }
  return key;
}

/** A short, stable fingerprint of a public key: the first 16 hex digits of SHA-256 over its DER SPKI. */
export function licenseKeyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}
