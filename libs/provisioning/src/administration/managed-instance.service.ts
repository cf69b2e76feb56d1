import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@nest-scim/persistence';
import {
  DomainRuleError,
  GroupsService,
  GroupView,
  InjectIdentityDataSource,
  UsersService,
  UserView,
} from '@nest-scim/identity';
import { ProvisioningModeService } from '@nest-scim/saml';

/**
 * Whether the instance is externally managed (SCIM mode on), for the product's own writes: one transaction per admin
 * write, which reads the mode inside it, so on MySQL a switch of the mode waits for the write to finish instead of
 * changing the rules under it; SQLite runs one transaction at a time anyway. The administration services build on
 * it; a host's own writes to users and groups can too.
 */
@Injectable()
export class ManagedInstance {
  constructor(
    @InjectIdentityDataSource() private readonly dataSource: DataSource,
    private readonly provisioningMode: ProvisioningModeService,
    private readonly users: UsersService,
    private readonly groups: GroupsService,
  ) {}

  run<T>(work: (manager: EntityManager, instanceManaged: boolean) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, async (manager) =>
      work(manager, await this.provisioningMode.isScimEnabled(manager)),
    );
  }

  /** For reads: whether the instance is externally managed now. */
  instanceManaged(): Promise<boolean> {
    return this.provisioningMode.isScimEnabled();
  }

  /** The user of a login (case-insensitive), or a 404 in the product's words. */
  async userByLogin(login: string, manager?: EntityManager): Promise<UserView> {
    const user = await this.users.findByLogin(login, manager);
    if (!user) throw DomainRuleError.notFound(`User '${login}' has not been found`);
    return user;
  }

  /** The group of a name (case-insensitive), or a 404 in the product's words. */
  async groupByName(name: string, manager?: EntityManager): Promise<GroupView> {
    const group = await this.groups.findByName(name, manager);
    if (!group) throw DomainRuleError.notFound(`No group with name '${name}'`);
    return group;
  }
}
