import { MAX_NAME_LENGTH } from './identity.constants';
import { DomainRuleError } from './domain-rule.error';

// Control, format (zero-width space/joiners, BOM, bidi marks, soft hyphen), line/paragraph separators and lone
// surrogates: invisible in a UI, so two logins differing only by them would look identical.
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const EDGE_WHITESPACE = /^\s|\s$/u;

/**
 * Validates a display value (login, group name, person name): not empty, no control or invisible characters, no
 * leading or trailing whitespace, at most 255 characters. Returns it unchanged.
 */
export function validateDisplayValue(value: unknown, what: string, maxLength = MAX_NAME_LENGTH): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw DomainRuleError.invalid(`${what} must not be empty`);
  }
  if (INVISIBLE_OR_CONTROL.test(value)) {
    throw DomainRuleError.invalid(`${what} must not contain control or invisible characters`);
  }
  // Checked after NFKC too: U+3000 (ideographic space) only becomes a plain space there.
  if (EDGE_WHITESPACE.test(value) || EDGE_WHITESPACE.test(value.normalize('NFKC'))) {
    throw DomainRuleError.invalid(`${what} must not start or end with whitespace`);
  }
  if (value.length > maxLength) {
    throw DomainRuleError.invalid(`${what} is too long (${maxLength} characters max)`);
  }
  return value;
}

/**
 * The comparison key of a value: NFKC (so fullwidth `Ａlice` is `Alice`) then lower case, then NFKC again because
 * lower-casing can produce uncomposed sequences. The databases compare bytes, so this key is what unique indexes hold.
 */
export function foldCase(value: string): string {
  return value.normalize('NFKC').toLowerCase().normalize('NFKC');
}

/**
 * The case-insensitive key of a login (or an external login): `Alice`, `alice` and `Ａｌｉｃｅ` share one key.
 * Refuses values a person could not tell apart from another one, with a message naming `what`.
 */
export function normalizeLogin(login: unknown, what = 'Login'): string {
  const normalized = foldCase(validateDisplayValue(login, what));
  if (normalized.length > MAX_NAME_LENGTH) {
    throw DomainRuleError.invalid(`${what} is too long (${MAX_NAME_LENGTH} characters max)`);
  }
  return normalized;
}

/** The case-insensitive key of a group name, with the same rules as a login. */
export function normalizeGroupName(name: unknown): string {
  return normalizeLogin(name, 'Group name');
}
