import { randomBytes, X509Certificate } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { generateServiceProviderMetadata, Profile, SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { SamlSettingsService } from '../settings/saml-settings.service';
import type { SamlConfiguration } from '../settings/saml-settings.types';
import { mapSamlAttributes, SamlAttributeNames } from './saml-attributes.mapper';
import { classifySamlError } from './saml-error.classifier';
import { SamlMessagesRepository } from './saml-messages.repository';
import { SamlRequestCache } from './saml-request.cache';
import {
  parseAssertion,
  readAssertion,
  readAttributes,
  readResponse,
  SamlAssertionFacts,
  SamlResponseFacts,
} from './saml-response.reader';
import {
  SAML_CERTIFICATE_WARNING_DAYS,
  SAML_CLOCK_SKEW_MS,
  SAML_CLOCK_SKEW_WARNING_MS,
  SAML_MAX_MESSAGE_ID_LENGTH,
  SAML_MAX_RELAY_STATE_BYTES,
  SAML_MAX_RESPONSE_LENGTH,
  SAML_REQUEST_LIFETIME_MS,
  SAML_VALIDATION_RELAY_STATE,
} from './saml-sign-in.constants';
import type {
  SamlRefusal,
  SamlRefusalReason,
  SamlReportedAttribute,
  SamlRequestPurpose,
  SamlResponseOutcome,
  SamlServiceProviderEndpoints,
  SamlStartOutcome,
  SamlValidationReport,
} from './saml-sign-in.types';

/** The settings SAML cannot work without, once `missing()` said none is missing. */
type CompleteSamlConfiguration = SamlConfiguration & {
  applicationId: string;
  providerId: string;
  loginUrl: string;
  certificate: string;
  userLogin: string;
  userName: string;
};

interface Failure {
  reason: SamlRefusalReason;
  message: string;
  /** The SAML library's own words, for the administrator's report and the log. */
  detail?: string;
}

const BASE64 = /^[A-Za-z0-9+/\s]+={0,2}\s*$/;
const SHA1_SIGNATURE = /#(rsa|dsa|ecdsa)-sha1$/;

/**
 * Service-provider-initiated SAML sign-in with the settings of this lib, on node-saml: the AuthnRequest, and the
 * validation of the identity provider's response (signature against the IdP certificate, audience, issuer,
 * destination and recipient, time conditions with a small clock skew, InResponseTo when present, replay). Knows
 * nothing of HTTP or of accounts: it says who signed in, or why not, and the host decides the rest.
 */
@Injectable()
export class SamlSignInService {
  constructor(
    private readonly settings: SamlSettingsService,
    private readonly messages: SamlMessagesRepository,
  ) {}

  /** Deletes pending requests and replay records that expired (bounded batches); returns how many. */
  purgeExpired(now = new Date()): Promise<number> {
    return this.messages.purgeExpired(now);
  }

  /**
   * Where to send the browser to sign in (or, with purpose `validation`, to test the configuration). The request's
   * ID is kept so that only an answer to it, or an IdP-initiated response, is accepted. A sign-in's `relayState` is
   * the local path to return to; anything else is dropped.
   */
  async startSignIn(options: {
    endpoints: SamlServiceProviderEndpoints;
    purpose?: SamlRequestPurpose;
    relayState?: string | null;
  }): Promise<SamlStartOutcome> {
    const missing = await this.settings.missing();
    if (missing.length) return { kind: 'saml_disabled', missing };
    const config = (await this.settings.configuration()) as CompleteSamlConfiguration;
    const purpose = options.purpose ?? 'sign_in';
    const relayState = purpose === 'validation' ? SAML_VALIDATION_RELAY_STATE : returnPathOf(options.relayState);
    const cache = new SamlRequestCache(this.messages, purpose);
    let requestId = '';
    const saml = this.samlFor(config, options.endpoints, cache, (id) => (requestId = id));
    const url = await saml.getAuthorizeUrlAsync(relayState ?? '', undefined, {});
    return { kind: 'redirect', url, requestId };
  }

  /** Validates a posted SAMLResponse (base64, as the HTTP-POST binding carries it) and says what it means. */
  async handleResponse(input: {
    samlResponse: unknown;
    relayState: unknown;
    endpoints: SamlServiceProviderEndpoints;
  }): Promise<SamlResponseOutcome> {
    const relayState = typeof input.relayState === 'string' ? input.relayState : null;
    if ((await this.settings.missing()).length) {
      return refused({ reason: 'saml_disabled', message: 'SAML authentication is not enabled' });
    }
    const config = (await this.settings.configuration()) as CompleteSamlConfiguration;
    const encoded = input.samlResponse;
    if (typeof encoded !== 'string' || encoded.length > SAML_MAX_RESPONSE_LENGTH || !BASE64.test(encoded)) {
      return refused({ reason: 'malformed', message: 'The request carries no SAML response' });
    }
    const facts = readResponse(Buffer.from(encoded, 'base64').toString('utf8'));
    if (!facts) return refused({ reason: 'malformed', message: 'The request carries no SAML response' });

    const cache = new SamlRequestCache(this.messages, 'sign_in');
    const saml = this.samlFor(config, input.endpoints, cache);
    let failure: Failure | null = null;
    let assertion: SamlAssertionFacts | null = null;
    let issuer: string | null = null;
    let nameId: string | null = null;
    let sessionIndex: string | null = null;
    try {
      const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: encoded });
      if (!profile) failure = { reason: 'malformed', message: 'The SAML response holds no assertion' };
      else {
        ({ issuer, nameId, sessionIndex } = profileFields(profile));
        const checked = await this.checkVerifiedAssertion(profile, facts, config, input.endpoints);
        if ('reason' in checked) failure = checked;
        else assertion = checked;
      }
    } catch (error) {
      failure = classifySamlError(error);
    }

    // Which request the response answers decides what it is for; the RelayState marker alone never does, since
    // anyone can post one. A test started by an administrator is reported and never signs anyone in.
    const validation = cache.answered?.purpose === 'validation';
    if (relayState === SAML_VALIDATION_RELAY_STATE && !validation) {
      return refused({
        reason: 'unexpected_validation',
        message: 'This SAML configuration test was not started by an administrator, or it has expired',
      });
    }
    if (validation) {
      const attributes = assertion?.attributes ?? (facts.assertion ? readAttributes(facts.assertion) : []);
      return {
        kind: 'validation',
        report: this.report(config, facts, failure, attributes, { issuer, nameId, verified: assertion !== null }),
      };
    }
    if (failure || !assertion) return refused(failure ?? { reason: 'malformed', message: 'Invalid SAML response' });

    const mapped = mapSamlAttributes(attributeNamesOf(config), assertion.attributes);
    if (mapped.login === null || mapped.name === null) {
      const attribute = mapped.login === null ? config.userLogin : config.userName;
      return refused({ reason: 'missing_attribute', message: `${attribute} is missing` });
    }
    return {
      kind: 'authenticated',
      identity: {
        login: mapped.login,
        name: mapped.name,
        email: mapped.email,
        groups: mapped.groups,
        issuer: issuer ?? config.providerId,
        nameId,
        sessionIndex,
      },
      relayState: returnPathOf(relayState),
    };
  }

  /** The service provider's metadata, for the administrator to give to the identity provider. */
  async metadata(endpoints: SamlServiceProviderEndpoints): Promise<string> {
    const config = await this.settings.configuration();
    const signing = requestSigningOf(config);
    return generateServiceProviderMetadata({
      issuer: config.applicationId ?? 'sonarqube',
      callbackUrl: endpoints.acsUrl,
      identifierFormat: null,
      wantAssertionsSigned: true,
      ...(signing ? { ...signing, publicCerts: signing.publicCert } : {}),
    });
  }

  private samlFor(
    config: CompleteSamlConfiguration,
    endpoints: SamlServiceProviderEndpoints,
    cache: SamlRequestCache,
    onRequestId?: (id: string) => void,
  ): SAML {
    return new SAML({
      entryPoint: config.loginUrl,
      issuer: config.applicationId,
      audience: config.applicationId,
      callbackUrl: endpoints.acsUrl,
      idpCert: config.certificate,
      idpIssuer: config.providerId,
      // Entra picks the NameID its configuration says; asking for a format or an authentication context makes it
      // refuse users who signed in another way (AADSTS75011).
      identifierFormat: null,
      disableRequestedAuthnContext: true,
      acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
      // Either signature will do (Entra signs the assertion by default, the response on request), but one is needed.
      wantAuthnResponseSigned: false,
      wantAssertionsSigned: false,
      validateInResponseTo: ValidateInResponseTo.ifPresent,
      requestIdExpirationPeriodMs: SAML_REQUEST_LIFETIME_MS,
      cacheProvider: cache,
      generateUniqueId: () => {
        const id = `_${randomBytes(20).toString('hex')}`;
        onRequestId?.(id);
        return id;
      },
      ...(requestSigningOf(config) ?? {}),
    });
  }

  /**
   * What node-saml leaves to its caller, checked on the assertion it verified: the issuer is the provider ID, the
   * response went to this ACS (Destination, and the bearer confirmation's Recipient, saml-profiles §4.1.4.3), the
   * confirmation is still valid, and the assertion was not used before.
   */
  private async checkVerifiedAssertion(
    profile: Profile,
    facts: SamlResponseFacts,
    config: CompleteSamlConfiguration,
    endpoints: SamlServiceProviderEndpoints,
  ): Promise<SamlAssertionFacts | Failure> {
    const xml = profile.getAssertionXml?.();
    const element = xml ? parseAssertion(xml) : null;
    if (!element) return { reason: 'malformed', message: 'The SAML response holds no readable assertion' };
    const assertion = readAssertion(element);
    if (profile.issuer !== config.providerId) {
      return {
        reason: 'wrong_issuer',
        message: 'The SAML assertion was issued by another identity provider than the configured provider ID',
        detail: `Expected ${config.providerId}, received ${String(profile.issuer ?? 'none')}`,
      };
    }
    const wrongDestination: Failure = {
      reason: 'wrong_destination',
      message: 'The SAML response was sent to another address than this service',
      detail: `Expected ${endpoints.acsUrl}`,
    };
    if (facts.destination !== null && facts.destination !== endpoints.acsUrl) {
      return { ...wrongDestination, detail: `${wrongDestination.detail}, Destination is ${facts.destination}` };
    }
    const addressed = assertion.bearerConfirmations.filter((c) => c.recipient === endpoints.acsUrl);
    if (addressed.length === 0) return wrongDestination;
    const now = Date.now();
    const current = addressed.filter((c) => {
      const notOnOrAfter = timeOf(c.notOnOrAfter);
      const notBefore = timeOf(c.notBefore);
      return (
        notOnOrAfter !== null && now - SAML_CLOCK_SKEW_MS < notOnOrAfter && (notBefore ?? 0) <= now + SAML_CLOCK_SKEW_MS
      );
    });
    if (current.length === 0) return { reason: 'expired', message: 'The SAML assertion has expired' };
    if (!assertion.id || assertion.id.length > SAML_MAX_MESSAGE_ID_LENGTH) {
      return { reason: 'malformed', message: 'The SAML assertion has no usable ID' };
    }
    // Kept until the assertion could not be accepted anyway; past that, its own time conditions refuse it.
    const lastValid = Math.max(
      ...[assertion.conditionsNotOnOrAfter, ...current.map((c) => c.notOnOrAfter)]
        .map(timeOf)
        .filter((t): t is number => t !== null),
    );
    const expiresAt = new Date(lastValid + SAML_CLOCK_SKEW_MS);
    if (!(await this.messages.recordAssertion(assertion.id, expiresAt, new Date(now)))) {
      return { reason: 'replayed', message: 'This SAML response has already been used' };
    }
    return assertion;
  }

  private report(
    config: CompleteSamlConfiguration,
    facts: SamlResponseFacts,
    failure: Failure | null,
    attributes: SamlReportedAttribute[],
    subject: { issuer: string | null; nameId: string | null; verified: boolean },
  ): SamlValidationReport {
    const mapped = mapSamlAttributes(attributeNamesOf(config), attributes);
    const errors = [
      ...(failure ? [failure.detail ? `${failure.message} (${failure.detail})` : failure.message] : []),
      ...mapped.errors,
    ];
    const warnings = [...mapped.warnings];
    if (facts.signatureAlgorithms.some((a) => SHA1_SIGNATURE.test(a))) {
      warnings.push('The identity provider signs with SHA-1, which is weak: choose SHA-256 in its signing options.');
    }
    warnings.push(...certificateWarnings(config.certificate));
    const issued = timeOf(facts.issueInstant);
    const skewMs = issued === null ? null : issued - Date.now();
    if (skewMs !== null && Math.abs(skewMs) > SAML_CLOCK_SKEW_WARNING_MS) {
      const seconds = Math.round(Math.abs(skewMs) / 1000);
      warnings.push(
        `The identity provider's clock is ${seconds} s ${skewMs > 0 ? 'ahead of' : 'behind'} this server's ` +
          `(${SAML_CLOCK_SKEW_MS / 1000} s are tolerated): synchronise the clocks.`,
      );
    }
    return {
      status: errors.length ? 'error' : 'success',
      errors,
      warnings,
      verified: subject.verified,
      login: mapped.login,
      issuer: subject.issuer,
      nameId: subject.nameId,
      attributes,
      mapped: mapped.mapped,
      signature: {
        responseSigned: facts.responseSigned,
        assertionSigned: facts.assertionSigned,
        algorithms: facts.signatureAlgorithms,
        requestsSigned: config.signatureEnabled,
      },
      clockSkewSeconds: skewMs === null ? null : Math.round(skewMs / 1000),
    };
  }
}

function refused(failure: Failure): SamlRefusal {
  return { kind: 'refused', reason: failure.reason, message: failure.message };
}

function attributeNamesOf(config: CompleteSamlConfiguration): SamlAttributeNames {
  return {
    userLogin: config.userLogin,
    userName: config.userName,
    userEmail: config.userEmail,
    groupName: config.groupName,
  };
}

function requestSigningOf(
  config: SamlConfiguration,
): { privateKey: string; publicCert: string; signatureAlgorithm: 'sha256' } | null {
  if (!config.signatureEnabled || !config.spPrivateKey || !config.spCertificate) return null;
  return { privateKey: config.spPrivateKey, publicCert: config.spCertificate, signatureAlgorithm: 'sha256' };
}

function profileFields(profile: Profile): {
  issuer: string | null;
  nameId: string | null;
  sessionIndex: string | null;
} {
  return {
    issuer: typeof profile.issuer === 'string' ? profile.issuer : null,
    nameId: typeof profile.nameID === 'string' ? profile.nameID : null,
    sessionIndex: typeof profile.sessionIndex === 'string' ? profile.sessionIndex : null,
  };
}

/** A local path to return to after sign-in: `/…` but not `//host` or `/\host`, which browsers treat as other sites. */
export function returnPathOf(value: string | null | undefined): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || /^\/[/\\]/.test(value)) return null;
  if (Buffer.byteLength(value) > SAML_MAX_RELAY_STATE_BYTES || /[\p{Cc}\\]/u.test(value)) return null;
  return value;
}

function timeOf(value: string | null | undefined): number | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

function certificateWarnings(pem: string): string[] {
  try {
    const validTo = new Date(new X509Certificate(pem).validTo);
    const days = (validTo.getTime() - Date.now()) / (24 * 3600 * 1000);
    if (days < 0) return [`The identity provider certificate expired on ${validTo.toISOString()}.`];
    if (days < SAML_CERTIFICATE_WARNING_DAYS) {
      return [`The identity provider certificate expires on ${validTo.toISOString()}: renew it in both places soon.`];
    }
  } catch {
    // The settings refuse certificates that do not parse; nothing to add here.
  }
  return [];
}
