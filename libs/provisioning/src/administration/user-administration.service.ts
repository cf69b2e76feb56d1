import { Injectable } from '@nestjs/common';
import { LocalAccountsService } from '@app/auth';
import { DomainRuleError, Page, UsersService, UserView } from '@app/identity';
import {
  assertInstanceNotManaged,
  assertManagedFilterAllowed,
  assertUserDeactivatable,
} from './managed-instance.policy';
import { ManagedInstance } from './managed-instance.service';

export interface NewUser {
  login: string;
  name: string;
  email?: string;
  local: boolean;
  password?: string;
}

/** What an administrator does to users, under the rules of an externally managed instance. */
@Injectable()
export class UserAdministration {
  constructor(
    private readonly tx: ManagedInstance,
    private readonly users: UsersService,
    private readonly accounts: LocalAccountsService,
  ) {}

  async search(criteria: {
    query?: string;
    managed?: boolean;
    active: boolean;
    page?: number;
    pageSize?: number;
  }): Promise<Page<UserView>> {
    assertManagedFilterAllowed(await this.tx.instanceManaged(), criteria.managed);
    return this.users.search(criteria);
  }

  /** Users come from the identity provider while the instance is managed. */
  create(input: NewUser): Promise<UserView> {
    if (input.local && !input.password) throw DomainRuleError.invalid('Password is mandatory and must not be empty');
    if (!input.local && input.password) throw DomainRuleError.invalid('Password should only be set on local user');
    return this.tx.run(async (m, instanceManaged) => {
      assertInstanceNotManaged(instanceManaged);
      const profile = { login: input.login, name: input.name, email: input.email ?? null };
      return input.local
        ? this.accounts.createLocalUser({ ...profile, password: input.password! }, m)
        : this.users.create({ ...profile, local: false }, m);
    });
  }

  /** A managed user's profile belongs to the identity provider while the instance is managed; local users stay editable. */
  update(login: string, changes: { name?: string; email?: string }): Promise<UserView> {
    return this.tx.run(async (m, instanceManaged) => {
      const user = await this.tx.userByLogin(login, m);
      if (instanceManaged && user.managed) throw DomainRuleError.managedInstance();
      return this.users.update(
        user.id,
        { name: changes.name, email: changes.email === undefined ? undefined : changes.email || null },
        m,
      );
    });
  }

  /**
   * The product's deactivation: tokens, sessions, memberships and permissions go with it. Refused for oneself, for
   * a managed user while the instance is managed, and for the last administrator.
   */
  deactivate(login: string, actingUserId: string): Promise<UserView> {
    return this.tx.run(async (m, instanceManaged) => {
      const user = await this.tx.userByLogin(login, m);
      if (user.id === actingUserId) throw DomainRuleError.invalid('Self-deactivation is not possible');
      assertUserDeactivatable(instanceManaged, user);
      return this.users.deactivate(user.id, { flavour: 'product' }, m);
    });
  }
}
