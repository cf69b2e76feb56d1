import { randomInt } from 'node:crypto';
import { DomainRuleError } from '@nest-scim/identity';

export const MIN_PASSWORD_LENGTH = 12;
// Long enough for any passphrase, short enough that hashing cost stays independent of the input.
export const MAX_PASSWORD_LENGTH = 1024;

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SPECIAL = '!#%+-.:=?@^_~';

/** The product's password rules for local accounts, with its wording. */
export function validatePasswordStrength(password: unknown): string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw DomainRuleError.invalid(`Password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw DomainRuleError.invalid(`Password must be at most ${MAX_PASSWORD_LENGTH} characters long`);
  }
  if (!/\p{Lu}/u.test(password))
    throw DomainRuleError.invalid('Password must contain at least one uppercase character');
  if (!/\p{Ll}/u.test(password))
    throw DomainRuleError.invalid('Password must contain at least one lowercase character');
  if (!/\p{Nd}/u.test(password)) throw DomainRuleError.invalid('Password must contain at least one digit');
  if (!/[^\p{L}\p{Nd}]/u.test(password)) {
    throw DomainRuleError.invalid('Password must contain at least one special character');
  }
  return password;
}

/**
 * A random password that meets the rules: one character of each class, the rest from all of them, shuffled with a
 * cryptographic source. Look-alike characters are left out because a person copies it from a log line.
 */
export function generatePassword(length = 24): string {
  const classes = [UPPER, LOWER, DIGITS, SPECIAL];
  const all = classes.join('');
  const chars = classes.map((set) => set[randomInt(set.length)]);
  while (chars.length < length) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
