import { isEdition, EDITIONS } from './edition.constants';
import { LicenseKeyRejectedError } from './license-key-rejected.error';
import type { LicenseStatement } from './license.types';

/**
 * The compact form of a license key: `base64url(JSON statement) "." base64url(Ed25519 signature)`. The signature
 * covers the exact payload bytes, so the JSON is never re-serialised before verification.
 */
const MAX_KEY_LENGTH = 16 * 1024;
const ED25519_SIGNATURE_BYTES = 64;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const FEATURE_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const MAX_LICENSEE_LENGTH = 200;

export interface LicenseKeyParts {
  payload: Buffer;
  signature: Buffer;
}

export function encodeLicenseKey(parts: LicenseKeyParts): string {
  return `${parts.payload.toString('base64url')}.${parts.signature.toString('base64url')}`;
}

/** Splits a key into payload and signature bytes; anything that is not the compact form is `malformed`. */
export function splitLicenseKey(key: string): LicenseKeyParts {
  // Keys pasted from an e-mail or a terminal often arrive wrapped over several lines.
  const compact = typeof key === 'string' ? key.replace(/\s+/g, '') : '';
  if (!compact) throw LicenseKeyRejectedError.malformed('it is empty');
  if (compact.length > MAX_KEY_LENGTH) throw LicenseKeyRejectedError.malformed('it is too long');
  const parts = compact.split('.');
  if (parts.length !== 2 || !parts.every((part) => BASE64URL.test(part))) {
    throw LicenseKeyRejectedError.malformed("expected two base64url parts separated by '.'");
  }
  const [payload, signature] = parts.map(decodeCanonicalBase64Url);
  if (!payload || !signature) throw LicenseKeyRejectedError.malformed('a part is not canonical base64url');
  if (signature.length !== ED25519_SIGNATURE_BYTES) {
    throw LicenseKeyRejectedError.malformed('the signature is not an Ed25519 signature');
  }
  return { payload, signature };
}

/**
 * Node decodes base64 leniently (stray bits in the last character are dropped), which would let two different
 * strings carry the same signed bytes. Only the canonical spelling is accepted.
 */
function decodeCanonicalBase64Url(part: string): Buffer | null {
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : null;
}

/** The JSON bytes a statement is signed as; field order is fixed so equal statements sign equal bytes. */
export function serializeLicenseStatement(statement: LicenseStatement): Buffer {
  const ordered: LicenseStatement = {
    licensee: statement.licensee,
    edition: statement.edition,
    features: statement.features,
    issuedAt: statement.issuedAt,
    expiresAt: statement.expiresAt,
    ...(statement.keyId ? { keyId: statement.keyId } : {}),
  };
  return Buffer.from(JSON.stringify(ordered), 'utf8');
}

/** Reads and checks the statement of a payload; fields that are missing or of the wrong shape make it `malformed`. */
export function parseLicenseStatement(payload: Buffer): LicenseStatement {
  let raw: unknown;
  try {
    raw = JSON.parse(payload.toString('utf8'));
  } catch {
    throw LicenseKeyRejectedError.malformed('its content is not JSON');
  }
  return checkLicenseStatement(raw);
}

/** Checks an untrusted object against the statement's shape; also used before signing, so no bad key is issued. */
export function checkLicenseStatement(raw: unknown): LicenseStatement {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw LicenseKeyRejectedError.malformed('its content is not a license statement');
  }
  const fields = raw as Record<string, unknown>;
  const { licensee, edition, features, issuedAt, expiresAt, keyId } = fields;
  if (typeof licensee !== 'string' || !licensee.trim() || licensee.length > MAX_LICENSEE_LENGTH) {
    throw LicenseKeyRejectedError.malformed(
      `'licensee' must be a non-empty text of at most ${MAX_LICENSEE_LENGTH} characters`,
    );
  }
  if (!isEdition(edition)) {
    throw LicenseKeyRejectedError.malformed(`'edition' must be one of ${EDITIONS.join(', ')}`);
  }
  if (!Array.isArray(features) || !features.every((f) => typeof f === 'string' && FEATURE_NAME.test(f))) {
    throw LicenseKeyRejectedError.malformed("'features' must be a list of lower-case feature names");
  }
  const issued = parseInstant(issuedAt);
  const expires = parseInstant(expiresAt);
  if (!issued) throw LicenseKeyRejectedError.malformed("'issuedAt' must be an ISO 8601 date");
  if (!expires) throw LicenseKeyRejectedError.malformed("'expiresAt' must be an ISO 8601 date");
  if (expires.getTime() <= issued.getTime()) {
    throw LicenseKeyRejectedError.malformed("'expiresAt' must be after 'issuedAt'");
  }
  if (keyId !== undefined && (typeof keyId !== 'string' || !keyId)) {
    throw LicenseKeyRejectedError.malformed("'keyId' must be a non-empty text when present");
  }
  return {
    licensee,
    edition,
    features: [...new Set(features as string[])],
    issuedAt: issuedAt as string,
    expiresAt: expiresAt as string,
    ...(keyId ? { keyId: keyId as string } : {}),
  };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function parseInstant(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Reads the `keyId` of a payload whose signature did not verify, without trusting anything else in it. */
export function peekKeyId(payload: Buffer): string | undefined {
  try {
    const raw: unknown = JSON.parse(payload.toString('utf8'));
    const keyId = (raw as { keyId?: unknown } | null)?.keyId;
    return typeof keyId === 'string' && keyId ? keyId : undefined;
  } catch {
    return undefined;
  }
}
