import { SamlStatusError } from '@node-saml/node-saml';
import type { SamlRefusalReason } from './saml-sign-in.types';

/**
 * node-saml reports every failure as an Error with a message; this sorts them into the reasons a host can act on.
 * Matched on message patterns, so a node-saml upgrade that rewords one falls back to `invalid_response` (refused
 * either way, only less precisely named); the specs pin the mapping.
 */
const SIGNATURE_MESSAGE = 'The SAML response is not validly signed by the identity provider';

const RULES: [RegExp, SamlRefusalReason, string][] = [
  [/signature|signed|transforms|Referenced node|ID cannot refer/i, 'invalid_signature', SIGNATURE_MESSAGE],
  [/^SAML assertion expired/, 'expired', 'The SAML assertion has expired'],
  [/^No valid subject confirmation/, 'expired', 'The SAML assertion has expired'],
  [/^SAML assertion not yet valid/, 'not_yet_valid', 'The SAML assertion is not valid yet'],
  [/audience|AudienceRestriction/i, 'wrong_audience', 'The SAML assertion is meant for another application'],
  [/InResponseTo/, 'unknown_request', 'The SAML response answers no pending sign-in request'],
  [/^Missing SAML assertion|^Unknown SAML response message/, 'malformed', 'The SAML response holds no assertion'],
  [/decryption key|EncryptedAssertion/, 'encrypted', 'Encrypted SAML assertions are not supported'],
];

export function classifySamlError(error: unknown): { reason: SamlRefusalReason; message: string; detail: string } {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof SamlStatusError) {
    return { reason: 'idp_error', message: `The identity provider refused the sign-in: ${detail}`, detail };
  }
  for (const [pattern, reason, message] of RULES) if (pattern.test(detail)) return { reason, message, detail };
  return { reason: 'invalid_response', message: 'The SAML response is invalid', detail };
}
