import { parseAssertion, readAssertion, readResponse } from './saml-response.reader';

const RESPONSE = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Destination="https://sp/acs" InResponseTo="_q" IssueInstant="2030-01-01T00:00:00Z">
  <Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">idp</Issuer>
  <Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" IssueInstant="2030-01-01T00:00:00Z">
    <Issuer>idp</Issuer>
    <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/></ds:SignedInfo></ds:Signature>
    <Subject>
      <SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><SubjectConfirmationData Recipient="https://sp/acs" NotOnOrAfter="2030-01-01T01:00:00Z"/></SubjectConfirmation>
      <SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"><SubjectConfirmationData Recipient="https://other"/></SubjectConfirmation>
    </Subject>
    <Conditions NotOnOrAfter="2030-01-01T00:30:00Z"/>
    <AttributeStatement>
      <Attribute Name="groups"><AttributeValue>a</AttributeValue><AttributeValue>b &amp; c</AttributeValue></Attribute>
      <Attribute Name="empty"/>
    </AttributeStatement>
    <AttributeStatement><Attribute Name="groups"><AttributeValue>d</AttributeValue></Attribute></AttributeStatement>
  </Assertion>
</samlp:Response>`;

describe('SAML response reader', () => {
  it('reads the response envelope and finds its one assertion', () => {
    const facts = readResponse(RESPONSE)!;
    expect(facts).toMatchObject({
      destination: 'https://sp/acs',
      inResponseTo: '_q',
      responseSigned: false,
      assertionSigned: true,
      encrypted: false,
      signatureAlgorithms: ['http://www.w3.org/2000/09/xmldsig#rsa-sha1'],
    });
    expect(facts.assertion?.getAttribute('ID')).toBe('_a');
  });

  it('reads bearer confirmations only, the expiry, and every attribute value in order', () => {
    const facts = readAssertion(readResponse(RESPONSE)!.assertion!);
    expect(facts).toEqual({
      id: '_a',
      issueInstant: '2030-01-01T00:00:00Z',
      conditionsNotOnOrAfter: '2030-01-01T00:30:00Z',
      bearerConfirmations: [{ recipient: 'https://sp/acs', notBefore: null, notOnOrAfter: '2030-01-01T01:00:00Z' }],
      attributes: [
        { name: 'groups', values: ['a', 'b & c', 'd'] },
        { name: 'empty', values: [] },
      ],
    });
  });

  it('refuses what is not a SAML response or not well-formed', () => {
    expect(readResponse('<Response/>')).toBeNull();
    expect(
      readResponse('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="a" ID="b"/>'),
    ).toBeNull();
    expect(readResponse('<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>')).toBeNull();
    expect(readResponse('not xml')).toBeNull();
    expect(parseAssertion(RESPONSE)).toBeNull();
  });

  it('finds no assertion when there are two', () => {
    const twice = RESPONSE.replace(/(<Assertion[\s\S]*<\/Assertion>)/, '$1$1');
    expect(readResponse(twice)!.assertion).toBeNull();
  });
});
