import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { SAML_SETTING_KEYS } from './settings/saml-settings.constants';

/**
 * Sample SAML values, for a demo instance and for tests: a certificate made on the spot (no key material is kept in
 * the repository) and the settings that make SAML complete, so an instance reaches "SAML enabled" in one call. They
 * name no real identity provider: nobody can sign in with them.
 */
export interface SampleCertificate {
  /** X.509, PEM. */
  certificatePem: string;
  /** The certificate's RSA key, PKCS#8 PEM. */
  privateKeyPem: string;
}

/** A self-signed RSA certificate (sha256WithRSAEncryption) for `CN=<commonName>`, valid from yesterday. */
export function makeSelfSignedCertificate(
  options: { commonName?: string; validDays?: number } = {},
): SampleCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const name = sequence(set(sequence(objectId('2.5.4.3'), der(0x0c, Buffer.from(options.commonName ?? 'saml.test')))));
  const notBefore = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const notAfter = new Date(notBefore.getTime() + (options.validDays ?? 3650) * 24 * 60 * 60 * 1000);
  const serial = randomBytes(12);
  serial[0] = (serial[0] & 0x7f) | 0x01; // positive, and no leading zero byte that DER would forbid
  const signatureAlgorithm = sequence(objectId('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));
  const tbs = sequence(
    der(0xa0, integer(Buffer.from([2]))), // v3
    integer(serial),
    signatureAlgorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, signatureAlgorithm, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return {
    certificatePem: pem('CERTIFICATE', certificate),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Settings that make SAML enabled and complete, as an admin would enter them for Entra ID. */
export function completeSamlSettings(
  certificatePem = makeSelfSignedCertificate().certificatePem,
): Record<string, string> {
  return {
    [SAML_SETTING_KEYS.enabled]: 'true',
    [SAML_SETTING_KEYS.providerId]: 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/',
    [SAML_SETTING_KEYS.loginUrl]: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2',
    [SAML_SETTING_KEYS.certificate]: certificatePem,
    [SAML_SETTING_KEYS.userLogin]: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    [SAML_SETTING_KEYS.userName]: 'http://schemas.microsoft.com/identity/claims/displayname',
  };
}

function der(tag: number, content: Buffer): Buffer {
  if (content.length < 0x80) return Buffer.concat([Buffer.from([tag, content.length]), content]);
  const length: number[] = [];
  for (let n = content.length; n > 0; n >>= 8) length.unshift(n & 0xff);
  return Buffer.concat([Buffer.from([tag, 0x80 | length.length, ...length]), content]);
}

function sequence(...items: Buffer[]): Buffer {
  return der(0x30, Buffer.concat(items));
}

function set(...items: Buffer[]): Buffer {
  return der(0x31, Buffer.concat(items));
}

function integer(bytes: Buffer): Buffer {
  return der(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function objectId(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let n = arc >> 7; n > 0; n >>= 7) chunk.unshift((n & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

/** RFC 5280 §4.1.2.5: UTCTime up to 2049, GeneralizedTime from 2050. */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(`${iso.slice(2)}Z`)) : der(0x18, Buffer.from(`${iso}Z`));
}

function pem(label: string, body: Buffer): string {
  const lines = body.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
