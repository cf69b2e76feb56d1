import { ScimError } from '../errors/scim-error';

/**
 * A syntax error at a character offset (0-based). The detail says what was expected and where, never what was found:
 * filter text is client input and may carry personal data.
 */
export function filterSyntaxError(problem: string, position: number): ScimError {
  return ScimError.invalidFilter(`Invalid filter: ${problem} at position ${position}`);
}

/** A semantic refusal that is not tied to one offset (unsupported attribute, wrong value type, limits). */
export function filterError(problem: string): ScimError {
  return ScimError.invalidFilter(`Invalid filter: ${problem}`);
}

const UNSUPPORTED_ATTRIBUTE = 'Unsupported filter attribute';

/** The filter names an attribute outside the resource type's allow-list. */
export function unsupportedAttributeError(): ScimError {
  return filterError(UNSUPPORTED_ATTRIBUTE);
}

/** Whether `error` says the filter names an attribute the resource type cannot filter on (and nothing else). */
export function isUnsupportedAttributeError(error: unknown): boolean {
  return error instanceof ScimError && error.detail === `Invalid filter: ${UNSUPPORTED_ATTRIBUTE}`;
}
