import { ScimError } from '../errors/scim-error';
import type { FilterNode } from '../filter/filter.ast';
import { isPlainObject } from '../resource/safe-object.util';
import type { ScimValue } from '../resource/scim-value.types';
import type { PatchOperation } from './patch.types';

/**
 * Group membership deltas of one PATCH, to be written as idempotent inserts and targeted deletes (never
 * read-all/diff/write-all: Entra runs concurrent PATCHes on one group).
 *
 * Apply as: if `removeAll`, delete every member; then delete `remove`; then insert `add` (ignoring duplicates).
 * `replaceWith` is present when the request fixes the complete final set (a `replace members`, or a remove-all):
 * it then equals `add`, `remove` is empty and `removeAll` is true.
 */
export interface MembershipChanges {
  add: string[];
  remove: string[];
  removeAll: boolean;
  replaceWith?: string[];
}

const MEMBERS = 'members';

/**
 * Folds the `members` operations of a Group PATCH, in order, into one delta: add u1 then remove u1 removes u1; a
 * remove-all then add u2 leaves exactly {u2}. Supports every Entra shape: `add members [{value}]` (with `"$ref": null`),
 * `remove members` with a value list (only those go), `remove members[value eq "x"]`,
 * `remove members` without value (all go), and `replace members`.
 */
export function membershipChanges(operations: readonly PatchOperation[]): MembershipChanges {
  let removeAll = false;
  let add = new Set<string>();
  const remove = new Set<string>();

  for (const operation of operations) {
    const { op, path, value } = operation;
    if (path.attribute.toLowerCase() !== MEMBERS) continue;
    if (path.subAttribute !== undefined) {
      throw ScimError.invalidPath(
        "Members can only be changed as whole records, not through 'members.<sub-attribute>'",
      );
    }
    if (op === 'remove') {
      const ids = path.valueFilter
        ? idsSelectedBy(path.valueFilter)
        : value === undefined
          ? undefined
          : memberIds(value);
      if (ids === undefined) {
        removeAll = true;
        add = new Set();
        remove.clear();
        continue;
      }
      for (const id of ids) {
        add.delete(id);
        if (!removeAll) remove.add(id);
      }
      continue;
    }
    if (path.valueFilter) {
      // Changing a member record in place would change its immutable `value` (RFC 7643 §4.2, §7).
      throw ScimError.mutability('Member records are immutable: add or remove members instead of changing one');
    }
    const ids = memberIds(value);
    if (op === 'replace') {
      removeAll = true;
      add = new Set(ids);
      remove.clear();
      continue;
    }
    for (const id of ids) {
      remove.delete(id);
      add.add(id);
    }
  }

  const result: MembershipChanges = { add: [...add], remove: [...remove], removeAll };
  if (removeAll) result.replaceWith = [...add];
  return result;
}

/** The `value` of each member record; each must be a non-empty string. */
function memberIds(value: ScimValue | undefined): string[] {
  const records = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return records.map((record) => {
    const id = isPlainObject(record) ? record.value : undefined;
    if (typeof id !== 'string' || id.trim() === '') {
      throw ScimError.invalidValue("Attribute 'members.value' must be a non-empty string");
    }
    return id;
  });
}

/** `value eq "x"`, or several joined by `or`: the ids a remove filter names. Other filters cannot become deltas. */
function idsSelectedBy(filter: FilterNode): string[] {
  if (filter.kind === 'or') return [...idsSelectedBy(filter.left), ...idsSelectedBy(filter.right)];
  if (
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    filter.path.attribute === 'value' &&
    typeof filter.value === 'string'
  ) {
    if (filter.value.trim() === '')
      throw ScimError.invalidValue("Attribute 'members.value' must be a non-empty string");
    return [filter.value];
  }
  throw ScimError.invalidPath("Members can only be selected with 'value eq' filters");
}
