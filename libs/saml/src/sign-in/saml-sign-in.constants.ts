/**
 * Clock difference tolerated between the identity provider and this server when judging NotBefore / NotOnOrAfter:
 * three minutes, the allowance of the SAML toolkit the product uses.
 */
export const SAML_CLOCK_SKEW_MS = 3 * 60 * 1000;

/** Above this difference between the response's IssueInstant and our clock, the test configuration warns. */
export const SAML_CLOCK_SKEW_WARNING_MS = 30 * 1000;

/** How long an AuthnRequest may wait for its answer: time for a person to get through the IdP's login and MFA. */
export const SAML_REQUEST_LIFETIME_MS = 60 * 60 * 1000;

/**
 * The RelayState of a "test configuration" round trip (the product's marker): its answer is reported, never used to
 * sign in.
 */
export const SAML_VALIDATION_RELAY_STATE = 'validation-query';

/** A base64 SAMLResponse larger than this is refused before decoding (Entra's, with many groups, stay far below). */
export const SAML_MAX_RESPONSE_LENGTH = 512 * 1024;

/** SAML bindings §3.4.3: RelayState MUST NOT exceed 80 bytes. */
export const SAML_MAX_RELAY_STATE_BYTES = 80;

/** Assertion IDs longer than this cannot be kept for replay protection and are refused. */
export const SAML_MAX_MESSAGE_ID_LENGTH = 255;

/** The SAML 2.0 bearer confirmation method (saml-profiles §4.1.4.2). */
export const SAML_BEARER_METHOD = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/** A certificate expiring within this many days is worth a warning in the test configuration. */
export const SAML_CERTIFICATE_WARNING_DAYS = 30;
