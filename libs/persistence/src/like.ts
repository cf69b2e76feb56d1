/**
 * `!` is the LIKE escape character everywhere in this project: unlike a backslash it is written the same in MySQL and
 * SQLite string literals, so one `ESCAPE '!'` clause serves both dialects.
 */
export const LIKE_ESCAPE = '!';

/** Escapes LIKE metacharacters so that a user-supplied value only ever matches itself. */
export function escapeLike(value: string): string {
  return value.replace(/[!%_]/g, (c) => LIKE_ESCAPE + c);
}
