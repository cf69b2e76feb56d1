import type { FilterNode } from '../filter/filter.ast';
import type { ScimValue } from '../resource/scim-value.types';

export type PatchOpName = 'add' | 'replace' | 'remove';

/**
 * A resolved PATCH target (RFC 7644 §3.5.2 `path`): canonical names, the URN of the schema that owns the attribute,
 * and for `attr[filter]` paths the value filter with canonical sub-attribute names.
 */
export interface PatchPath {
  readonly schema: string;
  readonly attribute: string;
  readonly subAttribute?: string;
  readonly valueFilter?: FilterNode;
}

/**
 * One normalised operation. Every operation has a path: path-less add/replace is expanded into one operation per
 * attribute. `value` is already coerced to the target's type; for `remove` it is present only as the list of values to
 * take out of a multi-valued attribute (Entra's `remove members` dialect).
 */
export interface PatchOperation {
  readonly op: PatchOpName;
  readonly path: PatchPath;
  readonly value?: ScimValue;
}
