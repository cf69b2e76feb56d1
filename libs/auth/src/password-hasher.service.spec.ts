// The module object itself (not an ES namespace copy), so a spy sees the services' calls.
import crypto from 'node:crypto';
import { PasswordHasher } from './password-hasher.service';
import { generatePassword, validatePasswordStrength } from './password-policy.util';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher({ cost: 1024, blockSize: 8, parallelization: 1 });

  it('encodes scrypt$N$r$p$salt$hash with a fresh salt each time', async () => {
    const a = await hasher.hash('Secret-Password-1');
    const b = await hasher.hash('Secret-Password-1');
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('Secret-Password-1');
  });

  it('verifies the password, in constant time, and nothing else', async () => {
    const encoded = await hasher.hash('Secret-Password-1');
    const compare = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      expect(await hasher.verify('Secret-Password-1', encoded)).toBe(true);
      expect(compare).toHaveBeenCalled();
    } finally {
      compare.mockRestore();
    }
    expect(await hasher.verify('Secret-Password-2', encoded)).toBe(false);
    expect(await hasher.verify('', encoded)).toBe(false);
  });

  it('matches a password typed in another Unicode form', async () => {
    const encoded = await hasher.hash('Caf\u00e9-Password-1');
    expect(await hasher.verify('Cafe\u0301-Password-1', encoded)).toBe(true);
  });

  it('answers false for malformed or hostile stored values', async () => {
    for (const stored of [
      '',
      'plain',
      'scrypt$1024$8$1$abc',
      'scrypt$1000$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==',
      `scrypt$${2 ** 30}$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==`,
    ]) {
      expect(await hasher.verify('anything', stored)).toBe(false);
    }
  });

  it('knows when a stored hash uses other parameters', async () => {
    const stronger = new PasswordHasher();
    expect(stronger.parameters).toEqual({ cost: 32768, blockSize: 8, parallelization: 3 });
    expect(stronger.needsRehash(await hasher.hash('x'))).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('x'))).toBe(false);
  });

  it('generates passwords that meet the rules', () => {
    for (let i = 0; i < 50; i++) expect(() => validatePasswordStrength(generatePassword())).not.toThrow();
  });
});
