export const MANAGED_INSTANCE_MESSAGE = 'Operation not allowed when the instance is externally managed.';
export const MANAGED_FILTER_MESSAGE = "The 'managed' parameter is only available for managed instances.";

/** The product's wording of the last-administrator rule, one per operation that could break it. */
export const LAST_ADMIN_MESSAGES = {
  deactivate: 'User is last administrator, and cannot be deactivated',
  removePermission: "Last user with permission 'admin'. Permission cannot be removed.",
  removeMember: 'The last administrator user cannot be removed',
  deleteGroup: 'The last system admin group cannot be deleted',
} as const;

export type DomainRuleCode =
  /** A value is malformed (empty login, control characters, too long, …). */
  | 'invalid'
  /** The user, group or link does not exist. */
  | 'not_found'
  /** A uniqueness rule: login, external login, group name, token name, or a link that may not be made. */
  | 'conflict'
  /** The instance is externally managed and the operation belongs to the identity provider. */
  | 'managed_instance'
  /** A built-in group cannot take part in the operation. */
  | 'built_in_group'
  /** The operation would leave no active administrator. */
  | 'last_admin';

/**
 * The one error of the identity domain (and of the account rules built on it). Each API renders it its own way: the
 * admin Web API as 400 `{"errors":[{"msg":…}]}` (404 for `not_found`), the SCIM layer as an RFC 7644 error (409
 * `uniqueness` for `conflict`). Messages are the product's where it has one.
 *
 * A DomainRuleError thrown by a write that was given a caller's EntityManager may leave that transaction with part
 * of the write applied: let it propagate so the whole transaction rolls back.
 */
export class DomainRuleError extends Error {
  constructor(
    readonly code: DomainRuleCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainRuleError';
  }

  static invalid(message: string): DomainRuleError {
    return new DomainRuleError('invalid', message);
  }

  static notFound(message: string): DomainRuleError {
    return new DomainRuleError('not_found', message);
  }

  static conflict(message: string): DomainRuleError {
    return new DomainRuleError('conflict', message);
  }

  static managedInstance(): DomainRuleError {
    return new DomainRuleError('managed_instance', MANAGED_INSTANCE_MESSAGE);
  }

  static defaultGroup(name: string): DomainRuleError {
    return new DomainRuleError('built_in_group', `Default group '${name}' cannot be used to perform this action`);
  }

  static builtInGroup(name: string): DomainRuleError {
    return new DomainRuleError('built_in_group', `Built-in group '${name}' cannot be used to perform this action`);
  }

  static lastAdmin(message: string): DomainRuleError {
    return new DomainRuleError('last_admin', message);
  }
}
