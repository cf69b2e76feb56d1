import type { SamlMissingSetting } from '../settings/saml-settings.types';

/** Why an AuthnRequest was sent: to sign someone in, or for an administrator's "test configuration". */
export type SamlRequestPurpose = 'sign_in' | 'validation';

/**
 * Where this service provider is reached, as the identity provider must see it. The host decides (its public URL,
 * or the request's own address); the ACS URL is checked against the response's Destination and Recipient.
 */
export interface SamlServiceProviderEndpoints {
  /** The assertion consumer service: where the identity provider posts its response. */
  acsUrl: string;
}

export type SamlStartOutcome =
  /** Send the browser here (HTTP-Redirect binding), signed when request signing is configured. */
  | { kind: 'redirect'; url: string; requestId: string }
  /** SAML is not enabled or not complete: nothing was sent. */
  | { kind: 'saml_disabled'; missing: SamlMissingSetting[] };

/** Who the identity provider says signed in, read from the attributes the settings name. */
export interface SamlIdentity {
  /** The first value of the login attribute: the account it names is the one signed in. */
  login: string;
  /** The first value of the name attribute. */
  name: string;
  /** The first value of the email attribute, when one is configured and sent. */
  email: string | null;
  /** Every value of the group attribute, when one is configured (duplicates and blanks dropped). */
  groups: string[];
  /** The assertion's Issuer (the provider ID). */
  issuer: string;
  nameId: string | null;
  sessionIndex: string | null;
}

export type SamlRefusalReason =
  /** SAML is not enabled or not complete. */
  | 'saml_disabled'
  /** Not a SAML response: not base64, not XML, no assertion, too big. */
  | 'malformed'
  /** No valid signature of the identity provider's certificate over the response or the assertion. */
  | 'invalid_signature'
  /** The assertion was issued by another identity provider than the provider ID. */
  | 'wrong_issuer'
  /** The assertion is not meant for this application ID. */
  | 'wrong_audience'
  /** The response was sent to another address than this assertion consumer service. */
  | 'wrong_destination'
  | 'expired'
  | 'not_yet_valid'
  /** InResponseTo names no request this service provider sent (or one already answered or expired). */
  | 'unknown_request'
  /** The assertion was used before. */
  | 'replayed'
  /** The identity provider answered with an error status instead of an assertion. */
  | 'idp_error'
  /** Encrypted assertions: no decryption key is configured. */
  | 'encrypted'
  /** Refused by the SAML library for a reason none of the above names. */
  | 'invalid_response'
  /** The login or name attribute is missing or empty. */
  | 'missing_attribute'
  /** A test-configuration marker on a response that answers no test started by an administrator. */
  | 'unexpected_validation';

export interface SamlRefusal {
  kind: 'refused';
  reason: SamlRefusalReason;
  /** For the person signing in and the log; never carries key material. */
  message: string;
}

export type SamlResponseOutcome =
  /** A valid response to a sign-in (SP- or IdP-initiated): the host decides what the identity may do. */
  | { kind: 'authenticated'; identity: SamlIdentity; relayState: string | null }
  /** The answer to an administrator's test: a report, whether the response was valid or not. Nobody is signed in. */
  | { kind: 'validation'; report: SamlValidationReport }
  | SamlRefusal;

/** An attribute as the identity provider sent it. */
export interface SamlReportedAttribute {
  name: string;
  values: string[];
}

/** What one setting picked from the response. */
export interface SamlMappedAttribute {
  /** The setting, e.g. `sonar.auth.saml.user.login`. */
  setting: string;
  /** The attribute name the setting holds. */
  attribute: string;
  /** The values that attribute had in the response; empty when it was not sent. */
  values: string[];
}

/**
 * The result of "test configuration", shaped for an admin page: a status, the errors that would refuse a sign-in,
 * warnings, every attribute received and what each setting picked out of them.
 */
export interface SamlValidationReport {
  status: 'success' | 'error';
  errors: string[];
  warnings: string[];
  /**
   * False when the response failed validation: the attributes below are then read from an unverified document, for
   * diagnosis only.
   */
  verified: boolean;
  /** The login a sign-in would use, or null when the login attribute gave none. */
  login: string | null;
  issuer: string | null;
  nameId: string | null;
  attributes: SamlReportedAttribute[];
  mapped: {
    login: SamlMappedAttribute;
    name: SamlMappedAttribute;
    email: SamlMappedAttribute | null;
    groups: SamlMappedAttribute | null;
  };
  signature: {
    responseSigned: boolean;
    assertionSigned: boolean;
    /** Signature algorithms the document uses (URIs). */
    algorithms: string[];
    /** Whether this service provider signs its AuthnRequests. */
    requestsSigned: boolean;
  };
  /** Response IssueInstant minus this server's clock, in seconds; null when the response has none. */
  clockSkewSeconds: number | null;
}
