import { Injectable } from '@nestjs/common';
import { GroupSearchItem, GroupsService, GroupView, MembershipService, Page } from '@nest-scim/identity';
import { assertGroupDeletable, assertInstanceNotManaged, assertManagedFilterAllowed } from './managed-instance.policy';
import { ManagedInstance } from './managed-instance.service';
import { ScimSideCopies } from './scim-side-copies.service';

/**
 * What an administrator does to groups and memberships, under the rules of an externally managed instance; changes to
 * a group SCIM links (while SCIM is off) reach its SCIM copy and move its version.
 */
@Injectable()
export class GroupAdministration {
  constructor(
    private readonly tx: ManagedInstance,
    private readonly groups: GroupsService,
    private readonly membership: MembershipService,
    private readonly copies: ScimSideCopies,
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
      const updated = await this.groups.update(group.id, { name: changes.name, description: changes.description }, m);
      if (updated.name !== group.name) await this.copies.groupRenamed(m, group.id, updated.name);
      return updated;
    });
  }

  /** A local group can still be deleted while the instance is managed; a managed one only by the identity provider. */
  delete(name: string): Promise<void> {
    return this.tx.run(async (m, instanceManaged) => {
      const group = await this.tx.groupByName(name, m);
      assertGroupDeletable(instanceManaged, group);
      await this.groups.delete(group.id, m);
      await this.copies.groupDeleted(m, group.id);
    });
  }

  addUser(groupName: string, login: string): Promise<void> {
    return this.tx.run(async (m, instanceManaged) => {
      assertInstanceNotManaged(instanceManaged);
      const group = await this.tx.groupByName(groupName, m);
      const user = await this.tx.userByLogin(login, m);
      const wasMember = await this.membership.isMember(group.id, user.id, m);
      await this.membership.addMembers(group.id, [user.id], m);
      if (!wasMember) await this.copies.memberChanged(m, group.id, user.id);
    });
  }

  removeUser(groupName: string, login: string): Promise<void> {
    return this.tx.run(async (m, instanceManaged) => {
      assertInstanceNotManaged(instanceManaged);
      const group = await this.tx.groupByName(groupName, m);
      const user = await this.tx.userByLogin(login, m);
      const wasMember = await this.membership.isMember(group.id, user.id, m);
      await this.membership.removeMembers(group.id, [user.id], m);
      if (wasMember) await this.copies.memberChanged(m, group.id, user.id);
    });
  }
}
