import { ScimError } from '../errors/scim-error';

/** How many ignored names one request keeps for the audit; a body of thousands of unknown keys is not a list to store. */
export const MAX_IGNORED_NAMES = 50;
/** A name longer than any schema's (URN included) is kept cut to this. */
export const MAX_IGNORED_NAME_LENGTH = 200;

/**
 * What a write does with an attribute its schema does not declare: an attribute of an extension the resource type does
 * not have (`urn:…:CustomExt:2.0:User:costCenter`), an unknown attribute or sub-attribute. One rule for POST, PUT and
 * PATCH: by default it is ignored and its name noted (for the audit trail); in strict mode the write is refused with a
 * 400 that never echoes the name: `invalidPath` for a PATCH path, `invalidValue` for a key of a
 * body or of an operation's value.
 */
export class UndeclaredAttributes {
  private readonly seen: string[] = [];

  constructor(readonly strict = false) {}

  /** The names ignored so far, first seen first, at most {@link MAX_IGNORED_NAMES}. */
  get names(): readonly string[] {
    return this.seen;
  }

  /** An undeclared attribute named by a key of a resource or of a PATCH value. */
  inValue(name: string): void {
    if (this.strict) throw ScimError.invalidValue('The value names an attribute the schema does not declare');
    this.note(name);
  }

  /** An undeclared attribute named by a PATCH path. */
  inPath(name: string): void {
    if (this.strict) throw ScimError.invalidPath('The path names an attribute the schema does not declare');
    this.note(name);
  }

  private note(name: string): void {
    const kept = name.slice(0, MAX_IGNORED_NAME_LENGTH);
    if (this.seen.length < MAX_IGNORED_NAMES && !this.seen.includes(kept)) this.seen.push(kept);
  }
}
