import { DomainRuleError } from '@nest-scim/identity';
import {
  assertGroupDeletable,
  assertInstanceNotManaged,
  assertManagedFilterAllowed,
  assertUserDeactivatable,
} from './managed-instance.policy';

const MESSAGE = 'Operation not allowed when the instance is externally managed.';

describe('managed-instance rules', () => {
  it('refuse creating users, changing groups and memberships while the instance is managed', () => {
    expect(() => assertInstanceNotManaged(true)).toThrow(new DomainRuleError('managed_instance', MESSAGE));
    expect(() => assertInstanceNotManaged(false)).not.toThrow();
  });

  it('still let an admin deactivate local users and delete local groups', () => {
    expect(() => assertUserDeactivatable(true, { managed: false })).not.toThrow();
    expect(() => assertGroupDeletable(true, { managed: false })).not.toThrow();
  });

  it('refuse deactivating managed users and deleting managed groups while managed', () => {
    expect(() => assertUserDeactivatable(true, { managed: true })).toThrow(MESSAGE);
    expect(() => assertGroupDeletable(true, { managed: true })).toThrow(MESSAGE);
    expect(() => assertUserDeactivatable(false, { managed: true })).not.toThrow();
    expect(() => assertGroupDeletable(false, { managed: true })).not.toThrow();
  });

  it("accept the 'managed' search filter only on a managed instance", () => {
    expect(() => assertManagedFilterAllowed(false, true)).toThrow(
      "The 'managed' parameter is only available for managed instances.",
    );
    expect(() => assertManagedFilterAllowed(false, undefined)).not.toThrow();
    expect(() => assertManagedFilterAllowed(true, false)).not.toThrow();
  });
});
