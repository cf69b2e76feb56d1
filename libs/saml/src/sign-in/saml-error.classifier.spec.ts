import { SamlStatusError } from '@node-saml/node-saml';
import { classifySamlError } from './saml-error.classifier';

describe('classifySamlError', () => {
  it.each([
    ['Invalid signature', 'invalid_signature'],
    ['Invalid document signature', 'invalid_signature'],
    ['Invalid signature: multiple assertions', 'invalid_signature'],
    ['Too many signatures found for this element', 'invalid_signature'],
    ['SAML assertion expired: clocks skewed too much', 'expired'],
    ['No valid subject confirmation found among those available in the SAML assertion', 'expired'],
    ['SAML assertion not yet valid', 'not_yet_valid'],
    ['SAML assertion audience mismatch. Expected: a Received: b', 'wrong_audience'],
    ['SAML assertion has no AudienceRestriction', 'wrong_audience'],
    ['InResponseTo is not valid', 'unknown_request'],
    ['SubjectInResponseTo is not valid', 'unknown_request'],
    ['Missing SAML assertion', 'malformed'],
    ['No decryption key for encrypted SAML response', 'encrypted'],
    ['something node-saml says one day', 'invalid_response'],
  ])('%s → %s', (message, reason) => {
    expect(classifySamlError(new Error(message)).reason).toBe(reason);
  });

  it("passes the identity provider's own error status on", () => {
    const outcome = classifySamlError(new SamlStatusError('SAML provider returned Responder error: nope', '<x/>'));
    expect(outcome).toMatchObject({ reason: 'idp_error', message: expect.stringContaining('nope') });
  });
});
