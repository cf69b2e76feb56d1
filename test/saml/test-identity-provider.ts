import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import { makeSelfSignedCertificate, TestCertificate } from '@nest-scim/saml/testing';

/**
 * An identity provider made in the test: its own key pair and self-signed certificate, answering AuthnRequests with
 * responses shaped like Entra ID's (claim-URI attributes, a signed assertion). Every way a response can be wrong is
 * an option, so each refusal test says in one line what it breaks.
 */
export const ENTRA_ISSUER = 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/';

export const CLAIMS = {
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  displayName: 'http://schemas.microsoft.com/identity/claims/displayname',
  email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
} as const;

export interface AuthnRequestSeen {
  id: string;
  acsUrl: string;
  issuer: string;
  relayState: string | null;
  /** The query parameters of the redirect, for checking the request signature. */
  query: URLSearchParams;
}

export interface ResponseOptions {
  acsUrl: string;
  attributes: Record<string, string | string[]>;
  /** The AuthnRequest answered; omitted for an IdP-initiated sign-in. */
  inResponseTo?: string;
  audience?: string;
  issuer?: string;
  destination?: string;
  recipient?: string;
  nameId?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  issueInstant?: Date;
  /** What carries a signature. Entra signs the assertion by default. */
  sign?: 'assertion' | 'response' | 'both' | 'none';
  /** Sign with this key instead of the IdP's own (a forger's). */
  signingKeyPem?: string;
  assertionId?: string;
  /** Edits the signed XML before it is encoded: a man in the middle. */
  tamper?: (xml: string) => string;
}

const SIGNATURE_ALGORITHM = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const DIGEST_ALGORITHM = 'http://www.w3.org/2001/04/xmlenc#sha256';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export class TestIdentityProvider {
  readonly entityId = ENTRA_ISSUER;
  readonly loginUrl = 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2';
  readonly certificate: TestCertificate = makeSelfSignedCertificate({ commonName: 'Test Entra ID' });

  /** Reads the AuthnRequest out of the redirect the server sent the browser to (HTTP-Redirect binding). */
  readRequest(location: string): AuthnRequestSeen {
    const url = new URL(location);
    const encoded = url.searchParams.get('SAMLRequest');
    if (!encoded) throw new Error(`No SAMLRequest in ${location}`);
    const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
    const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(xml)?.[1] ?? '';
    return {
      id: attribute('ID'),
      acsUrl: attribute('AssertionConsumerServiceURL'),
      issuer: /<saml:Issuer[^>]*>([^<]*)<\/saml:Issuer>/.exec(xml)?.[1] ?? '',
      relayState: url.searchParams.get('RelayState'),
      query: url.searchParams,
    };
  }

  /** A SAMLResponse for the HTTP-POST binding (base64). */
  respond(options: ResponseOptions): string {
    const now = options.issueInstant ?? new Date();
    const notBefore = options.notBefore ?? new Date(now.getTime() - 5 * 60 * 1000);
    const notOnOrAfter = options.notOnOrAfter ?? new Date(now.getTime() + 60 * 60 * 1000);
    const assertionId = options.assertionId ?? `_${randomBytes(16).toString('hex')}`;
    const responseId = `_${randomBytes(16).toString('hex')}`;
    const issuer = options.issuer ?? this.entityId;
    const inResponseTo = options.inResponseTo ? ` InResponseTo="${xmlEscape(options.inResponseTo)}"` : '';
    const attributes = Object.entries(options.attributes)
      .map(([name, value]) => {
        const values = (Array.isArray(value) ? value : [value])
          .map((v) => `<AttributeValue>${xmlEscape(v)}</AttributeValue>`)
          .join('');
        return `<Attribute Name="${xmlEscape(name)}">${values}</Attribute>`;
      })
      .join('');
    const nameId = options.nameId ?? firstValue(options.attributes[CLAIMS.name]) ?? 'someone@contoso.com';
    const assertion =
      `<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="${assertionId}" IssueInstant="${iso(now)}" Version="2.0">` +
      `<Issuer>${xmlEscape(issuer)}</Issuer>` +
      `<Subject><NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${xmlEscape(nameId)}</NameID>` +
      `<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
      `<SubjectConfirmationData${inResponseTo} NotOnOrAfter="${iso(notOnOrAfter)}" Recipient="${xmlEscape(options.recipient ?? options.acsUrl)}"/>` +
      `</SubjectConfirmation></Subject>` +
      `<Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}">` +
      `<AudienceRestriction><Audience>${xmlEscape(options.audience ?? 'sonarqube')}</Audience></AudienceRestriction>` +
      `</Conditions>` +
      `<AttributeStatement>${attributes}</AttributeStatement>` +
      `<AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${assertionId}"><AuthnContext>` +
      `<AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef>` +
      `</AuthnContext></AuthnStatement></Assertion>`;
    let xml =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${responseId}" Version="2.0" ` +
      `IssueInstant="${iso(now)}" Destination="${xmlEscape(options.destination ?? options.acsUrl)}"${inResponseTo}>` +
      `<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${xmlEscape(issuer)}</Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
      assertion +
      `</samlp:Response>`;
    const sign = options.sign ?? 'assertion';
    const key = options.signingKeyPem ?? this.certificate.privateKeyPem;
    if (sign === 'assertion' || sign === 'both') xml = this.signElement(xml, 'Assertion', key);
    if (sign === 'response' || sign === 'both') xml = this.signElement(xml, 'Response', key);
    if (options.tamper) xml = options.tamper(xml);
    return Buffer.from(xml, 'utf8').toString('base64');
  }

  /** An enveloped signature placed right after the element's Issuer, where the SAML schema wants it. */
  private signElement(xml: string, localName: 'Assertion' | 'Response', privateKeyPem: string): string {
    const signer = new SignedXml({
      privateKey: privateKeyPem,
      publicCert: this.certificate.certificatePem,
      signatureAlgorithm: SIGNATURE_ALGORITHM,
      canonicalizationAlgorithm: EXC_C14N,
    });
    const element = `/*[local-name(.)='Response']${localName === 'Assertion' ? "/*[local-name(.)='Assertion']" : ''}`;
    signer.addReference({ xpath: element, digestAlgorithm: DIGEST_ALGORITHM, transforms: [ENVELOPED, EXC_C14N] });
    signer.computeSignature(xml, {
      location: { reference: `${element}/*[local-name(.)='Issuer']`, action: 'after' },
    });
    return signer.getSignedXml();
  }
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function iso(date: Date): string {
  return date.toISOString();
}

function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
