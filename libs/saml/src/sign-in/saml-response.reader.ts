import { DOMParser } from '@xmldom/xmldom';
import { SAML_BEARER_METHOD } from './saml-sign-in.constants';
import type { SamlReportedAttribute } from './saml-sign-in.types';

/**
 * Reads facts out of SAML documents. It verifies nothing: node-saml does the verification. What is read here is used
 * in two ways only: on the *verified* assertion (the XML node-saml returns after checking the signature) for the
 * checks node-saml leaves to its caller (Recipient, assertion ID, expiry for replay protection); and on the raw
 * response for the test-configuration report and for the Destination check, which SAML core §3.2.2 asks for whether
 * or not the response itself is signed.
 */
const PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
const ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

export interface SamlResponseFacts {
  destination: string | null;
  inResponseTo: string | null;
  issueInstant: string | null;
  responseSigned: boolean;
  assertionSigned: boolean;
  encrypted: boolean;
  /** SignatureMethod algorithms of the response's and the assertion's signatures. */
  signatureAlgorithms: string[];
  /** The response's only assertion, when it has exactly one in clear. */
  assertion: Element | null;
}

export interface SamlBearerConfirmation {
  recipient: string | null;
  notBefore: string | null;
  notOnOrAfter: string | null;
}

export interface SamlAssertionFacts {
  id: string | null;
  issueInstant: string | null;
  /** Conditions/@NotOnOrAfter. */
  conditionsNotOnOrAfter: string | null;
  bearerConfirmations: SamlBearerConfirmation[];
  attributes: SamlReportedAttribute[];
}

/** Parses XML, refusing anything the parser only half understood. Null when it is not well-formed. */
export function parseXml(xml: string): Document | null {
  let failed = false;
  const parser = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: () => {
        failed = true;
      },
      fatalError: () => {
        failed = true;
      },
    },
  });
  try {
    const document = parser.parseFromString(xml, 'text/xml');
    return failed || !document?.documentElement ? null : document;
  } catch {
    return null;
  }
}

/** The facts of a `samlp:Response`; null when the document is not one. */
export function readResponse(xml: string): SamlResponseFacts | null {
  const document = parseXml(xml);
  const response = document?.documentElement;
  if (!response || response.namespaceURI !== PROTOCOL_NS || response.localName !== 'Response') return null;
  const assertions = children(response, ASSERTION_NS, 'Assertion');
  const encrypted = children(response, ASSERTION_NS, 'EncryptedAssertion').length > 0;
  const assertion = assertions.length === 1 ? assertions[0] : null;
  const responseSignature = children(response, DSIG_NS, 'Signature')[0] ?? null;
  const assertionSignature = assertion ? (children(assertion, DSIG_NS, 'Signature')[0] ?? null) : null;
  return {
    destination: attribute(response, 'Destination'),
    inResponseTo: attribute(response, 'InResponseTo'),
    issueInstant: attribute(response, 'IssueInstant'),
    responseSigned: responseSignature !== null,
    assertionSigned: assertionSignature !== null,
    encrypted,
    signatureAlgorithms: [responseSignature, assertionSignature]
      .flatMap((signature) => (signature ? [signatureAlgorithm(signature)] : []))
      .filter((algorithm): algorithm is string => algorithm !== null),
    assertion,
  };
}

/** Parses an assertion on its own, as node-saml hands back the verified one. */
export function parseAssertion(xml: string): Element | null {
  const element = parseXml(xml)?.documentElement;
  return element && element.namespaceURI === ASSERTION_NS && element.localName === 'Assertion' ? element : null;
}

export function readAssertion(assertion: Element): SamlAssertionFacts {
  const conditions = children(assertion, ASSERTION_NS, 'Conditions')[0];
  const subject = children(assertion, ASSERTION_NS, 'Subject')[0];
  const bearerConfirmations = subject
    ? children(subject, ASSERTION_NS, 'SubjectConfirmation')
        .filter((confirmation) => attribute(confirmation, 'Method') === SAML_BEARER_METHOD)
        .map((confirmation) => {
          const data = children(confirmation, ASSERTION_NS, 'SubjectConfirmationData')[0];
          return {
            recipient: data ? attribute(data, 'Recipient') : null,
            notBefore: data ? attribute(data, 'NotBefore') : null,
            notOnOrAfter: data ? attribute(data, 'NotOnOrAfter') : null,
          };
        })
    : [];
  return {
    id: attribute(assertion, 'ID'),
    issueInstant: attribute(assertion, 'IssueInstant'),
    conditionsNotOnOrAfter: conditions ? attribute(conditions, 'NotOnOrAfter') : null,
    bearerConfirmations,
    attributes: readAttributes(assertion),
  };
}

/** Every attribute of the assertion's attribute statements, values in document order; same-named ones merged. */
export function readAttributes(assertion: Element): SamlReportedAttribute[] {
  const byName = new Map<string, string[]>();
  for (const statement of children(assertion, ASSERTION_NS, 'AttributeStatement')) {
    for (const element of children(statement, ASSERTION_NS, 'Attribute')) {
      const name = attribute(element, 'Name');
      if (!name) continue;
      const values = byName.get(name) ?? [];
      for (const value of children(element, ASSERTION_NS, 'AttributeValue')) values.push(value.textContent ?? '');
      byName.set(name, values);
    }
  }
  return [...byName].map(([name, values]) => ({ name, values }));
}

function signatureAlgorithm(signature: Element): string | null {
  const signedInfo = children(signature, DSIG_NS, 'SignedInfo')[0];
  const method = signedInfo ? children(signedInfo, DSIG_NS, 'SignatureMethod')[0] : undefined;
  return method ? attribute(method, 'Algorithm') : null;
}

function children(parent: Element, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType !== 1) continue;
    const element = node as Element;
    if (element.namespaceURI === namespace && element.localName === localName) found.push(element);
  }
  return found;
}

function attribute(element: Element, name: string): string | null {
  return element.hasAttribute(name) ? element.getAttribute(name) : null;
}
