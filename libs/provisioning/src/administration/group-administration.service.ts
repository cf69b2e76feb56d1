import { Injectable } from '@nestjs/common';
import { GroupSearchItem, GroupsService, GroupView, MembershipService, Page } from '@nest-scim/identity';
import { assertGroupDeletable, assertInstanceNotManaged, assertManagedFilterAllowed } from './managed-instance.policy';
import { ManagedInstance } from './managed-instance.service';

/** What an administrator does to groups and memberships, under the rules of an externally managed instance. */
@Injectable()
export class GroupAdministration {
  constructor(
    private readonly tx: ManagedInstance,
    private readonly groups: GroupsService,
    private readonly membership: MembershipService,
  ) {}

  async search(criteria: {
    query?: string;
    managed?: boolean;
    page?: number;
    pageSize?: number;
  }): Promise<Page<GroupSearchItem>> {
    assertManagedFilterAllowed(await this.tx.instanceManaged(), criteria.managed);
    return this.groups.search(criteria);
  }

  create(input: { name: string; description?: string }): Promise<GroupView> {
    return this.tx.run(async (m, instanceManaged) => {
      assertInstanceNotManaged(instanceManaged);
      return this.groups.create({ name: input.name, description: input.description ?? null }, m);
    });
  }

  update(currentName: string, changes: { name?: string; description?: string }): Promise<GroupView> {
    return this.tx.run(async (m, instanceManaged) => {
      assertInstanceNotManaged(instanceManaged);
      const group = await this.tx.groupByName(currentName, m);
      return this.groups.update(group.id, { name: changes.name, description: changes.description }, m);
    });
  }

  /** A local group can still be deleted while the instance is managed; a managed one only by the identity provider. */
  delete(name: string): Promise<void> {
    return this.tx.run(async (m, instanceManaged) => {
      const group = await this.tx.groupByName(name, m);
      assertGroupDeletable(instanceManaged, group);
      await this.groups.delete(group.id, m);
    });
  }

  addUser(groupName: string, login: string): Promise<void> {
    return this.tx.run(async (m, instanceManaged) => {
      assertInstanceNotManaged(instanceManaged);
      const group = await this.tx.groupByName(groupName, m);
      const user = await this.tx.userByLogin(login, m);
      await this.membership.addMembers(group.id, [user.id], m);
    });
  }

  removeUser(groupName: string, login: string): Promise<void> {
    return this.tx.run(async (m, instanceManaged) => {
      assertInstanceNotManaged(instanceManaged);
      const group = await this.tx.groupByName(groupName, m);
      const user = await this.tx.userByLogin(login, m);
      await this.membership.removeMembers(group.id, [user.id], m);
    });
  }
}
