import { DomainRuleError, MANAGED_FILTER_MESSAGE } from '@nest-scim/identity';

/*
 * The product's rules for an externally managed instance (SCIM on), as SonarQube has them: refusals answer
 * "Operation not allowed when the instance is externally managed." The administration services apply them with the
 * mode read in their transaction (ManagedInstance); the SCIM stores, being the manager, never call these.
 */

/** Creating users, creating or updating groups, changing memberships: refused while the instance is managed. */
export function assertInstanceNotManaged(instanceManaged: boolean): void {
  if (instanceManaged) throw DomainRuleError.managedInstance();
}

/** A managed user is deactivated by the identity provider only; a local user can still be deactivated. */
export function assertUserDeactivatable(instanceManaged: boolean, user: { managed: boolean }): void {
  if (instanceManaged && user.managed) throw DomainRuleError.managedInstance();
}

/** A managed group is deleted by the identity provider only; a local group can still be deleted. */
export function assertGroupDeletable(instanceManaged: boolean, group: { managed: boolean }): void {
  if (instanceManaged && group.managed) throw DomainRuleError.managedInstance();
}

/** The `managed` search filter only means something on a managed instance. */
export function assertManagedFilterAllowed(instanceManaged: boolean, managed: boolean | undefined): void {
  if (managed !== undefined && !instanceManaged) throw DomainRuleError.invalid(MANAGED_FILTER_MESSAGE);
}
