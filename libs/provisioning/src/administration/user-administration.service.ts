import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LocalAccountsService, UserPasswordEntity } from '@nest-scim/auth';
import { DomainRuleError, Page, UserEntity, UsersService, UserView } from '@nest-scim/identity';
import { ScimUserEmailEntity } from '../scim-user-email.entity';
import { ScimUserLinkEntity } from '../scim-user-link.entity';
import { ScimUserProfileEntity } from '../scim-user-profile.entity';
import {
  assertInstanceNotManaged,
  assertManagedFilterAllowed,
  assertUserDeactivatable,
} from './managed-instance.policy';
import { ManagedInstance } from './managed-instance.service';
import { ScimSideCopies } from './scim-side-copies.service';

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
    private readonly copies: ScimSideCopies,
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

  /**
   * While the instance is managed every account is read-only, local ones too (only their deactivation, their
   * password and permissions stay the admin's); otherwise any account is editable, one SCIM linked before included,
   * whose SCIM copy follows.
   */
  update(login: string, changes: { name?: string; email?: string }): Promise<UserView> {
    return this.tx.run(async (m, instanceManaged) => {
      assertInstanceNotManaged(instanceManaged);
      const user = await this.tx.userByLogin(login, m);
      const updated = await this.users.update(
        user.id,
        { name: changes.name, email: changes.email === undefined ? undefined : changes.email || null },
        m,
      );
      await this.copies.userChanged(m, user.id);
      return updated;
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
      // The product's deactivation ends memberships: the SCIM groups that showed the user change too.
      const groups = await this.copies.groupsShowing(m, user.id);
      const deactivated = await this.users.deactivate(user.id, { flavour: 'product' }, m);
      await this.copies.userChanged(m, user.id);
      await this.copies.membersChanged(m, groups);
      return deactivated;
    });
  }

  /**
   * The product's anonymization of a deactivated user: its login and name become the anonymous login `newLogin`
   * draws (drawn again while taken), and its email, external identity, password and SCIM side (link, profile, emails)
   * go; the account is no longer managed. A managed user is the identity provider's while the instance is managed.
   */
  anonymize(login: string, newLogin: () => string): Promise<UserView> {
    return this.tx.run(async (m, instanceManaged) => {
      const user = await this.users.findByLogin(login, m);
      if (!user) throw DomainRuleError.notFound(`User '${login}' doesn't exist`);
      if (user.active) throw DomainRuleError.invalid(`User '${login}' is not deactivated`);
      if (instanceManaged && user.managed) throw DomainRuleError.managedInstance();
      const anonymous = await this.freeLogin(newLogin, m);
      await m.delete(ScimUserEmailEntity, { userId: user.id });
      await m.delete(ScimUserProfileEntity, { userId: user.id });
      await m.delete(ScimUserLinkEntity, { userId: user.id });
      await m.delete(UserPasswordEntity, { userId: user.id });
      if (!user.local) await this.users.update(user.id, { externalLogin: null }, m);
      await m.update(UserEntity, { id: user.id }, { local: true, externalProvider: null, managed: false });
      return this.users.update(user.id, { login: anonymous, name: anonymous, email: null }, m);
    });
  }

  private async freeLogin(draw: () => string, m: EntityManager): Promise<string> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const candidate = draw();
      if (!(await this.users.findByLogin(candidate, m))) return candidate;
    }
    throw new Error('Could not find a unique login');
  }
}
