/**
 * The PEM public keys (`-----BEGIN PUBLIC KEY-----` … `-----END PUBLIC KEY-----`) found in a text, such as an
 * environment variable listing the keys a host trusts to sign licenses, one after another; none when unset.
 */
export function parseTrustedPublicKeys(text: string | undefined): string[] {
  return (text?.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? []).map((key) => key.trim());
}
