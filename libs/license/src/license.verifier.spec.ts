import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { LicenseKeyRejectedError } from './license-key-rejected.error';
import { LicenseVerifier } from './license.verifier';
import { makeLicenseKeyPair, signLicense } from './testing';

const vendor = makeLicenseKeyPair();
const stranger = makeLicenseKeyPair();

function enterpriseKey(privateKey = vendor.privateKey, extra: { keyId?: string | false } = {}): string {
  return signLicense(privateKey, {
    licensee: 'Acme Corp',
    edition: 'enterprise',
    features: ['scim', 'saml'],
    expiresAt: '2099-12-31',
    ...extra,
  });
}

/** Flips one bit of one byte of the decoded part, then encodes it again: a change the signature must catch. */
function alterByte(key: string, part: 0 | 1, index: number): string {
  const parts = key.split('.');
  const bytes = Buffer.from(parts[part], 'base64url');
  bytes[index] ^= 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

function rejection(run: () => unknown): LicenseKeyRejectedError {
  try {
    run();
  } catch (error) {
    if (error instanceof LicenseKeyRejectedError) return error;
    throw error;
  }
  throw new Error('expected the key to be rejected');
}

describe('LicenseVerifier', () => {
  const verifier = new LicenseVerifier([vendor.publicKey]);

  it('returns the signed statement of a key from a trusted signer', () => {
    expect(verifier.verify(enterpriseKey())).toEqual({
      licensee: 'Acme Corp',
      edition: 'enterprise',
      features: ['scim', 'saml'],
      issuedAt: expect.any(String),
      expiresAt: '2099-12-31T23:59:59.999Z',
      keyId: vendor.keyId,
    });
  });

  it('judges a key it has verified before by its exact text: an altered copy is still refused', () => {
    const key = enterpriseKey();
    const first = verifier.verify(key);
    first.features.push('datacenter-only');
    expect(verifier.verify(key).features).toEqual(['scim', 'saml']);
    expect(rejection(() => verifier.verify(alterByte(key, 0, 14))).reason).toBe('tampered');
    expect(verifier.verify(key).licensee).toBe('Acme Corp');
  });

  it('accepts a key wrapped over several lines, as pasted from an e-mail', () => {
    const key = enterpriseKey();
    const wrapped = key.match(/.{1,40}/g)!.join('\n  ');
    expect(verifier.verify(wrapped).licensee).toBe('Acme Corp');
  });

  it('refuses a key with one byte of the payload changed as tampered', () => {
    const key = enterpriseKey();
    // Byte 14 lies inside the licensee's name, so the JSON stays well formed and only the signature can tell.
    const altered = alterByte(key, 0, 14);
    expect(Buffer.from(altered.split('.')[0], 'base64url').toString()).toContain('"licensee":"Abme Corp"');
    const error = rejection(() => verifier.verify(altered));
    expect(error.reason).toBe('tampered');
    expect(error.message).toBe('The license key signature is invalid: the key was altered after it was signed');
  });

  it('refuses a key with one byte of the signature changed as tampered', () => {
    for (const index of [0, 31, 63]) {
      const error = rejection(() => verifier.verify(alterByte(enterpriseKey(), 1, index)));
      expect(error.reason).toBe('tampered');
    }
  });

  it('refuses a key with an upgraded edition spliced in as tampered', () => {
    const developer = signLicense(vendor.privateKey, { licensee: 'A', edition: 'developer', expiresAt: '2099-01-01' });
    const payload = Buffer.from(developer.split('.')[0], 'base64url').toString().replace('developer', 'datacenter');
    const forged = `${Buffer.from(payload).toString('base64url')}.${developer.split('.')[1]}`;
    expect(rejection(() => verifier.verify(forged)).reason).toBe('tampered');
  });

  it('refuses a key signed by a key it does not trust as untrusted', () => {
    const error = rejection(() => verifier.verify(enterpriseKey(stranger.privateKey)));
    expect(error.reason).toBe('untrusted');
    expect(error.message).toBe('The license key is not signed by a trusted key');
  });

  it('calls a stranger key without a key id a bad signature, since nothing tells the two cases apart', () => {
    expect(rejection(() => verifier.verify(enterpriseKey(stranger.privateKey, { keyId: false }))).reason).toBe(
      'tampered',
    );
  });

  it('refuses everything as untrusted when no key is trusted', () => {
    expect(
      rejection(() => new LicenseVerifier([]).verify(enterpriseKey(vendor.privateKey, { keyId: false }))).reason,
    ).toBe('untrusted');
  });

  it.each([
    ['empty', '', 'it is empty'],
    ['blank', '  \n ', 'it is empty'],
    ['in one part', 'abc', "expected two base64url parts separated by '.'"],
    ['in three parts', 'a.b.c', "expected two base64url parts separated by '.'"],
    ['standard base64', 'ab+c.de/f', "expected two base64url parts separated by '.'"],
    [
      'with a short signature',
      `${Buffer.from('{}').toString('base64url')}.${Buffer.alloc(10).toString('base64url')}`,
      'the signature is not an Ed25519 signature',
    ],
    ['non-canonical base64url', 'eyJ9.AB', 'a part is not canonical base64url'],
    ['too long', 'a'.repeat(20000) + '.b', 'it is too long'],
  ])('refuses a key that is %s as malformed', (_case, key, detail) => {
    const error = rejection(() => verifier.verify(key));
    expect(error.reason).toBe('malformed');
    expect(error.message).toBe(`The license key is malformed: ${detail}`);
  });

  it('refuses a correctly signed payload that is not a license statement as malformed', () => {
    const signed = (payload: string) =>
      `${Buffer.from(payload).toString('base64url')}.${sign(null, Buffer.from(payload), vendor.privateKey).toString('base64url')}`;
    const base = {
      licensee: 'A',
      edition: 'enterprise',
      features: [],
      issuedAt: '2024-01-01',
      expiresAt: '2099-01-01',
    };
    const cases: [string, string][] = [
      ['not json', 'its content is not JSON'],
      [JSON.stringify([1]), 'its content is not a license statement'],
      [
        JSON.stringify({ ...base, edition: 'ultimate' }),
        "'edition' must be one of community, developer, enterprise, datacenter",
      ],
      [JSON.stringify({ ...base, licensee: '' }), "'licensee' must be a non-empty text of at most 200 characters"],
      [JSON.stringify({ ...base, features: ['SCIM'] }), "'features' must be a list of lower-case feature names"],
      [JSON.stringify({ ...base, expiresAt: 'next year' }), "'expiresAt' must be an ISO 8601 date"],
      [JSON.stringify({ ...base, issuedAt: 1 }), "'issuedAt' must be an ISO 8601 date"],
      [JSON.stringify({ ...base, expiresAt: '2023-01-01' }), "'expiresAt' must be after 'issuedAt'"],
    ];
    for (const [payload, detail] of cases) {
      expect(rejection(() => verifier.verify(signed(payload))).message).toBe(`The license key is malformed: ${detail}`);
    }
  });

  it('trusts several keys at once, so the vendor can rotate its signing key', () => {
    const next = makeLicenseKeyPair();
    const rotating = new LicenseVerifier([vendor.publicKey, next.publicKey]);
    expect(rotating.verify(enterpriseKey(vendor.privateKey)).keyId).toBe(vendor.keyId);
    expect(rotating.verify(enterpriseKey(next.privateKey)).keyId).toBe(next.keyId);
  });

  it('takes trusted keys as PEM or as base64 DER', () => {
    const der = createPublicKey(vendor.publicKey).export({ type: 'spki', format: 'der' }).toString('base64');
    expect(new LicenseVerifier([der]).verify(enterpriseKey()).licensee).toBe('Acme Corp');
  });

  it('refuses to start with a trusted key that is not an Ed25519 public key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' });
    expect(() => new LicenseVerifier([vendor.publicKey, rsa.toString()])).toThrow(
      /Trusted license public key #2 is not a usable Ed25519 public key/,
    );
    expect(() => new LicenseVerifier(['not a key'])).toThrow(/Trusted license public key #1/);
  });
});

describe('signLicense', () => {
  it('refuses to issue a statement a server would refuse', () => {
    expect(() =>
      signLicense(vendor.privateKey, {
        licensee: 'A',
        edition: 'enterprise',
        expiresAt: '2020-01-01',
        issuedAt: '2021-01-01',
      }),
    ).toThrow("Cannot sign this license: 'expiresAt' must be after 'issuedAt'");
  });

  it('reads a bare expiry day as the end of that day, UTC', () => {
    const key = signLicense(vendor.privateKey, { licensee: 'A', edition: 'developer', expiresAt: '2030-06-30' });
    expect(new LicenseVerifier([vendor.publicKey]).verify(key).expiresAt).toBe('2030-06-30T23:59:59.999Z');
  });
});
