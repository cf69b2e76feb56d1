import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptParameters } from './auth-options.interface';

/**
 * OWASP's scrypt setting with 32 MiB per hash (N=2^15, r=8, p=3): slow for a guesser, bearable for a server.
 */
export const DEFAULT_SCRYPT_PARAMETERS: ScryptParameters = { cost: 2 ** 15, blockSize: 8, parallelization: 3 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const SCHEME = 'scrypt';
// Bounds on parameters read back from storage: a tampered row must not make verification exhaust memory.
const MAX_COST = 2 ** 20;
const MAX_BLOCK_SIZE = 32;
const MAX_PARALLELIZATION = 16;

interface Encoded extends ScryptParameters {
  salt: Buffer;
  hash: Buffer;
}

function derive(password: string, salt: Buffer, p: ScryptParameters, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      length,
      { N: p.cost, r: p.blockSize, p: p.parallelization, maxmem: 256 * p.cost * p.blockSize + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

function decode(encoded: string): Encoded | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== SCHEME) return undefined;
  const [cost, blockSize, parallelization] = parts.slice(1, 4).map((v) => (/^\d{1,8}$/.test(v) ? Number(v) : NaN));
  const salt = Buffer.from(parts[4], 'base64');
  const hash = Buffer.from(parts[5], 'base64');
  const valid =
    Number.isInteger(cost) &&
    cost > 1 &&
    cost <= MAX_COST &&
    (cost & (cost - 1)) === 0 &&
    blockSize >= 1 &&
    blockSize <= MAX_BLOCK_SIZE &&
    parallelization >= 1 &&
    parallelization <= MAX_PARALLELIZATION &&
    salt.length >= 8 &&
    hash.length >= 16;
  return valid ? { cost, blockSize, parallelization, salt, hash } : undefined;
}

/**
 * Password hashing with scrypt from node:crypto: a random salt per password and the parameters inside the encoded
 * string (`scrypt$N$r$p$salt$hash`, base64), so the cost can rise without breaking stored hashes. Passwords are
 * NFC-normalised first, so the same password typed on two keyboards matches.
 */
export class PasswordHasher {
  readonly parameters: ScryptParameters;

  constructor(parameters: Partial<ScryptParameters> = {}) {
    this.parameters = { ...DEFAULT_SCRYPT_PARAMETERS, ...parameters };
    const { cost } = this.parameters;
    if (cost < 2 || (cost & (cost - 1)) !== 0 || cost > MAX_COST) {
      throw new Error('The scrypt cost must be a power of two no larger than 2^20');
    }
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, this.parameters, KEY_BYTES);
    const { cost, blockSize, parallelization } = this.parameters;
    return [SCHEME, cost, blockSize, parallelization, salt.toString('base64'), key.toString('base64')].join('$');
  }

  /** True when the password matches; false for any other password and for a malformed stored value. */
  async verify(password: string, encoded: string): Promise<boolean> {
    const stored = decode(encoded);
    if (!stored || typeof password !== 'string') return false;
    const key = await derive(password, stored.salt, stored, stored.hash.length);
    return timingSafeEqual(key, stored.hash);
  }

  /** True when a stored hash uses other parameters than the current ones. */
  needsRehash(encoded: string): boolean {
    const stored = decode(encoded);
    const p = this.parameters;
    return (
      !stored ||
      stored.cost !== p.cost ||
      stored.blockSize !== p.blockSize ||
      stored.parallelization !== p.parallelization ||
      stored.hash.length !== KEY_BYTES
    );
  }
}
