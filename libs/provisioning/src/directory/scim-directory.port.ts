import type { EntityManager } from 'typeorm';

/**
 * The directory port: the only way the SCIM stores reach the product's users, groups and memberships. The feature
 * defines it; an adapter implements it over the product's own tables (`libs/identity` is the default adapter; a host
 * may write one over its own entities).
 *
 * Rules every adapter follows:
 * - Every call takes the caller's transaction (`m`) and runs all its statements on it, never on another connection
 *   and never in a transaction of its own: the SCIM request commits or rolls back as a whole.
 * - Product ids are strings. An adapter over numeric keys turns them into decimal strings and back.
 * - A refusal is thrown as a {@link ScimDirectoryError} (or, for `libs/identity`, its `DomainRuleError`), never as a
 *   driver error: the feature answers it as a SCIM error and rolls the request back. A refusal changes nothing the
 *   caller can observe once the transaction is rolled back, so an adapter need not undo its own partial writes.
 * - Nothing the caller passes skips a check: an adapter validates every value and decides every rule itself (the
 *   uniqueness of a login, which accounts may be taken over, the last administrator, built-in groups).
 * - The SCIM side (SCIM ids, externalId, the stored document, versions, the normalized userName, the managed flag)
 *   is the feature's: it lives in the feature's side tables keyed by the product's ids. An adapter knows nothing of it.
 *
 * Locks: the feature serializes its own writers on one resource by locking its side row first. The adapter takes the
 * product-side locks its rules need: `lockUser` / `lockGroup` return a handle that the later calls of the same
 * transaction take. An adapter may take the row lock at once or with the first call that uses the handle (a plain
 * `UPDATE` locks the row it changes); either way the lock holds until the transaction ends. A handle is valid only in
 * the transaction (`m`) it was issued in, and only for the adapter that issued it: any other is refused.
 */
export interface ScimDirectory {
  /**
   * Where the product keeps its memberships, for the feature's read-only queries (the `members` filter, the members
   * of a group on GET). `table` is the table's name as SQL names it; the columns hold the product's group and user
   * ids (compared with the side tables' string ids: equal values must compare equal on both databases).
   */
  readonly membershipTable: DirectoryMembershipTable;

  /** The user whose id this is, or null. No lock. */
  findUserById(m: EntityManager, id: DirectoryId): Promise<DirectoryUser | null>;

  /**
   * The product user whose login is `userName`, compared case-insensitively, or null. An adapter may also match an
   * alternative sign-in name of the product (identity: the SAML external login), preferring the login. No lock.
   */
  findUserByUserName(m: EntityManager, userName: string): Promise<DirectoryUser | null>;

  /**
   * Creates an active or inactive product user with these fields, unless the product already holds a user that
   * `findUserByUserName(fields.userName)` would find: then nothing is written and that user is answered as
   * `existing`, for the feature to decide (a user it manages: 409; else `adoptUser`). The created user is locked for
   * the rest of the transaction. Invalid values are refused (`invalid`); a concurrent duplicate is refused (`conflict`).
   */
  createUser(m: EntityManager, fields: DirectoryUserInput): Promise<CreateUserResult>;

  /**
   * Takes over an existing product user that the feature does not manage yet (found by `findUserByUserName`), and
   * makes its fields these. The adapter refuses (`conflict`) any account the identity provider must never take over:
   * identity refuses local accounts (they have a password) and administrators. The user is locked for the rest of
   * the transaction.
   */
  adoptUser(m: EntityManager, id: DirectoryId, fields: DirectoryUserInput): Promise<DirectoryUserHandle>;

  /**
   * Locks a product user for the rest of the transaction (see Locks). Resolves null when the adapter knows the user is
   * gone; an adapter that defers its read may resolve a handle and refuse (`not_found`) at its first use instead.
   */
  lockUser(m: EntityManager, id: DirectoryId): Promise<DirectoryUserHandle | null>;

  /**
   * Changes the fields present in `changes` and nothing else: the display name, the email, and the login when
   * `userName` is present (a rename keeps the id, memberships and everything else attached to the account). A login
   * taken by another user, compared case-insensitively, is refused (`conflict`); invalid values (`invalid`); a user
   * that is gone, or that the adapter will not change for the identity provider, is refused (`not_found`).
   */
  updateUser(m: EntityManager, user: DirectoryUserHandle, changes: DirectoryUserChanges): Promise<void>;

  /**
   * The identity provider disabled the user: it can no longer sign in, its memberships stay (Entra counts them and
   * does not add them again on re-enabling). Harmless on an inactive user. The adapter applies its own rules (identity
   * refuses to deactivate the last administrator and ends the user's tokens and sessions in this transaction).
   */
  deactivateUser(m: EntityManager, user: DirectoryUserHandle): Promise<void>;

  /** The identity provider enabled the user again. Harmless on an active user. */
  reactivateUser(m: EntityManager, user: DirectoryUserHandle): Promise<void>;

  /**
   * SCIM DELETE of a user: what it does to the product's account is the adapter's choice (identity keeps the account,
   * deactivated, without memberships or permissions, and no longer managed). Afterwards the user must be in no group
   * the feature reports. The feature deletes its own side rows itself.
   */
  deleteUser(m: EntityManager, user: DirectoryUserHandle): Promise<void>;

  /** The product group whose name is `displayName`, compared case-insensitively, or null. No lock. */
  findGroupByName(m: EntityManager, displayName: string): Promise<DirectoryGroup | null>;

  /**
   * Creates a product group with this name, locked for the rest of the transaction. A name taken by any product group,
   * compared case-insensitively, is refused (`conflict`): the feature looks the name up first (`findGroupByName`) and
   * adopts instead; a group created concurrently under the same name is refused.
   */
  createGroup(m: EntityManager, fields: DirectoryGroupInput): Promise<DirectoryGroupHandle>;

  /**
   * Takes over an existing product group that the feature does not manage yet (found by `findGroupByName`), as users
   * are adopted, and gives it the name as the identity provider spells it. The adapter refuses (`conflict`, with a
   * message saying why) any group the identity provider must never take over: identity refuses its built-in groups
   * and groups holding the administrator permission. The group is locked for the rest of the transaction; its
   * memberships stay as they are.
   */
  adoptGroup(m: EntityManager, id: DirectoryId, fields: DirectoryGroupInput): Promise<DirectoryGroupHandle>;

  /** Locks a product group for the rest of the transaction, under the terms of `lockUser`. */
  lockGroup(m: EntityManager, id: DirectoryId): Promise<DirectoryGroupHandle | null>;

  /** Renames the group; a name taken by another group, compared case-insensitively, is refused (`conflict`). */
  renameGroup(m: EntityManager, group: DirectoryGroupHandle, displayName: string): Promise<void>;

  /** Deletes the group and its memberships (the adapter may refuse, e.g. identity's last administrators group). */
  deleteGroup(m: EntityManager, group: DirectoryGroupHandle): Promise<void>;

  /**
   * Adds users to the group; users already in it stay as they are. Answers the ids actually added, in the order given,
   * without duplicates. The caller found every user through a row that holds it in place in this transaction (the
   * feature's side row, read with a shared lock): the adapter need not read the users again, but may.
   */
  addMembers(m: EntityManager, group: DirectoryGroupHandle, userIds: readonly DirectoryId[]): Promise<DirectoryId[]>;

  /**
   * Optional, `addMembers` for users the caller names by keys of one of its tables (`keys.table`, where the
   * `keys.keyColumn` value names the user whose product id is in `keys.userColumn`), found by the statement that adds
   * them, which holds the rows it reads as the caller's own shared-lock read would. Answers how many memberships it
   * made. When that is fewer than the distinct keys (a key unknown, a user already a member, one that cannot be), it
   * calls `resolve` — the caller's own look-up of the users, which refuses unknown keys — and then applies the same
   * checks as `addMembers` to the users it answers. An adapter without it gets `addMembers`.
   */
  addMembersByKey?(
    m: EntityManager,
    group: DirectoryGroupHandle,
    keys: MemberKeys,
    resolve: () => Promise<readonly DirectoryId[]>,
  ): Promise<number>;

  /**
   * Removes users from the group; ids of users not in it are ignored. Answers the ids actually removed. The adapter
   * applies its rules (identity: the last administrator stays).
   */
  removeMembers(m: EntityManager, group: DirectoryGroupHandle, userIds: readonly DirectoryId[]): Promise<DirectoryId[]>;

  /** Makes `userIds` the group's whole membership; answers who was added and who removed. Same rules as above. */
  replaceMembers(m: EntityManager, group: DirectoryGroupHandle, userIds: readonly DirectoryId[]): Promise<MemberDelta>;

  /**
   * The switch back to just-in-time provisioning: the product treats every user and group as its own, editable
   * (identity clears its managed flags). The feature keeps its side tables, so that a switch back on resumes with
   * the identity provider's ids (`resumeAll`). An adapter that keeps no such state does nothing.
   */
  releaseAll(m: EntityManager): Promise<void>;

  /**
   * The switch (back) on: the users and groups the feature still links are the identity provider's again (identity
   * sets their managed flags). Ids the product no longer has are ignored. An adapter that keeps no such state does
   * nothing.
   */
  resumeAll(m: EntityManager, linked: { users: readonly DirectoryId[]; groups: readonly DirectoryId[] }): Promise<void>;
}

/** The product's id of a user or a group, as a string. */
export type DirectoryId = string;

/** A product user as the feature sees it. */
export interface DirectoryUser {
  id: DirectoryId;
  /** The login, as the product stores it. */
  userName: string;
  displayName: string;
  email: string | null;
  active: boolean;
}

/** The product fields of a SCIM user (see the User mapping: display name, main email). */
export interface DirectoryUserInput {
  userName: string;
  displayName: string;
  email: string | null;
  active: boolean;
}

/** The fields an update changes; an absent field stays as it is. */
export type DirectoryUserChanges = Partial<Omit<DirectoryUserInput, 'active'>>;

export interface DirectoryGroupInput {
  displayName: string;
}

/** A product group as the feature sees it. */
export interface DirectoryGroup {
  id: DirectoryId;
  displayName: string;
}

/** Users named by keys of a caller's table, for `addMembersByKey`: table and column names as SQL writes them. */
export interface MemberKeys {
  table: string;
  keyColumn: string;
  userColumn: string;
  keys: readonly string[];
}

export interface DirectoryMembershipTable {
  table: string;
  groupColumn: string;
  userColumn: string;
}

/**
 * A user the adapter locked (or will lock with the first call that uses it, see Locks) in one transaction. Only the
 * adapter that issued it accepts it, and only in that transaction: it is not a value a caller can make up.
 */
export interface DirectoryUserHandle {
  readonly id: DirectoryId;
}

/** A group the adapter locked (or will lock), under the same terms as a user handle. */
export interface DirectoryGroupHandle {
  readonly id: DirectoryId;
}

export type CreateUserResult =
  { outcome: 'created'; user: DirectoryUserHandle } | { outcome: 'existing'; existing: DirectoryUser };

export interface MemberDelta {
  added: DirectoryId[];
  removed: DirectoryId[];
}

/** How an adapter refuses a change; the feature answers it as the SCIM error of the same meaning. */
export type ScimDirectoryErrorCode =
  /** A value is malformed: 400 invalidValue. */
  | 'invalid'
  /** The user or group is gone: 404. */
  | 'not_found'
  /** A uniqueness rule, or an account that may not be taken over: 409 uniqueness. */
  | 'conflict'
  /** A product rule refuses the change (last administrator, built-in group, …): 409 with the message. */
  | 'refused';

/** A refusal from an adapter (or a hook); the message is shown to the SCIM client as `detail`. */
export class ScimDirectoryError extends Error {
  constructor(
    readonly code: ScimDirectoryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ScimDirectoryError';
  }
}

/** The injection token of the directory the SCIM stores use. */
export const SCIM_DIRECTORY = Symbol('SCIM_DIRECTORY');
