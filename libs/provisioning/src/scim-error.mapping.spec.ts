import { DomainRuleError } from '@nest-scim/identity';
import { ScimError } from '@nest-scim/scim';
import { domainToScimError, scimDetailOf } from './scim-error.mapping';

describe('SCIM details of domain refusals', () => {
  it('never quote the values the request sent', () => {
    const cases: [DomainRuleError, number, string][] = [
      [
        DomainRuleError.conflict("A user with login 'ADMIN' already exists"),
        409,
        'A user with this userName already exists',
      ],
      [
        DomainRuleError.conflict("A user with external login 'bob@contoso.com' already exists"),
        409,
        'A user with this userName already exists',
      ],
      [DomainRuleError.conflict("Group 'Sales' already exists"), 409, 'A group with this displayName already exists'],
      [
        DomainRuleError.conflict("Local account 'admin' cannot be managed by the identity provider"),
        409,
        'A local account with this userName exists and cannot be managed by the identity provider',
      ],
      [
        DomainRuleError.conflict("Administrator 'root' cannot be managed by the identity provider"),
        409,
        'A local account with this userName exists and cannot be managed by the identity provider',
      ],
      [DomainRuleError.invalid("Email 'x@y' is not valid"), 400, 'Email is not valid'],
      [DomainRuleError.builtInGroup('sonar-users'), 409, 'Built-in group cannot be used to perform this action'],
    ];
    for (const [error, status, detail] of cases) {
      const scim = domainToScimError(error) as ScimError;
      expect(scim).toBeInstanceOf(ScimError);
      expect([scim.status, scim.detail]).toEqual([status, detail]);
    }
  });

  it('keep messages that quote nothing as they are', () => {
    expect(scimDetailOf('User is last administrator, and cannot be deactivated')).toBe(
      'User is last administrator, and cannot be deactivated',
    );
  });
});
