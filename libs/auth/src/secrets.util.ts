import { createHash, timingSafeEqual } from 'node:crypto';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function sha384Hex(value: string): string {
  return createHash('sha384').update(value, 'utf8').digest('hex');
}

/**
 * Compares two hex digests in constant time. Both come from the same hash function, so their lengths only differ
 * when a stored value is corrupt; that case answers false without comparing.
 */
export function sameDigest(expectedHex: string, actualHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'hex');
  const actual = Buffer.from(actualHex, 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
