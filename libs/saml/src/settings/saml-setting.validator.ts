import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import type { SamlSettingDefinition } from './saml-settings.constants';

const MAX_TEXT_LENGTH = 4000;
const MAX_PEM_LENGTH = 64 * 1024;
const BASE64_BODY = /^[A-Za-z0-9+/=\s]+$/;

export type NormalisedSamlValue = { value: string; message?: undefined } | { value?: undefined; message: string };

/**
 * Checks a value for a setting and returns it in the form it is stored in: booleans as `true`/`false`, texts
 * trimmed, certificates and keys as PEM. Values that SAML could not use are refused here, at the moment an admin
 * sets them, rather than at the first sign-in.
 */
export function normaliseSamlValue(definition: SamlSettingDefinition, raw: unknown): NormalisedSamlValue {
  const label = definition.label;
  if (definition.kind === 'boolean') {
    if (typeof raw === 'boolean') return { value: String(raw) };
    const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    return text === 'true' || text === 'false' ? { value: text } : { message: `${label} must be true or false` };
  }
  if (typeof raw !== 'string' || !raw.trim()) {
    return { message: `${label} must not be empty; reset the setting to clear it` };
  }
  const text = raw.trim();
  switch (definition.kind) {
    case 'text':
      return text.length <= MAX_TEXT_LENGTH
        ? { value: text }
        : { message: `${label} must be at most ${MAX_TEXT_LENGTH} characters long` };
    case 'url':
      return isHttpUrl(text) ? { value: text } : { message: 'Login URL must be an http or https URL' };
    case 'certificate': {
      const certificate = parseCertificate(text);
      return certificate ? { value: certificate.toString() } : { message: `${label} is not a valid X.509 certificate` };
    }
    case 'privateKey':
      return normalisePrivateKey(label, text);
  }
}

function isHttpUrl(text: string): boolean {
  if (text.length > MAX_TEXT_LENGTH) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Accepts PEM, or the bare base64 body that admins often copy out of an identity provider's metadata. */
export function parseCertificate(text: string): X509Certificate | null {
  if (text.length > MAX_PEM_LENGTH) return null;
  try {
    if (text.includes('-----BEGIN CERTIFICATE-----')) return new X509Certificate(text);
    if (!BASE64_BODY.test(text)) return null;
    return new X509Certificate(Buffer.from(text.replace(/\s+/g, ''), 'base64'));
  } catch {
    return null;
  }
}

/** The product reads the service provider key as unencrypted PKCS#8; other encodings are refused with the reason. */
function normalisePrivateKey(label: string, text: string): NormalisedSamlValue {
  if (text.length > MAX_PEM_LENGTH) return { message: `${label} is not a valid PKCS#8 private key` };
  if (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
    return { message: `${label} must not be encrypted` };
  }
  if (text.includes('-----BEGIN') && !text.includes('-----BEGIN PRIVATE KEY-----')) {
    return { message: `${label} must be in PKCS#8 format (-----BEGIN PRIVATE KEY-----)` };
  }
  const refused = { message: `${label} is not a valid PKCS#8 private key` };
  try {
    let key: KeyObject;
    if (text.includes('-----BEGIN')) key = createPrivateKey({ key: text, format: 'pem' });
    else if (BASE64_BODY.test(text)) {
      key = createPrivateKey({ key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'pkcs8' });
    } else return refused;
    return { value: key.export({ type: 'pkcs8', format: 'pem' }).toString() };
  } catch {
    return refused;
  }
}
