import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { DomainRuleError } from './domain-rule.error';
import { GroupEntity } from './group.entity';
import { GroupPermissionEntity } from './group-permission.entity';
import { toGroupView, GroupView } from './group.view';
import { builtInGroupError } from './groups.service';
import { ADMIN_PERMISSION } from './identity.constants';
import { InjectIdentityDataSource } from './inject-identity.decorator';
import { PermissionsService } from './permissions.service';
import { ScimGroupLinkEntity } from './scim-group-link.entity';
import { ScimUserLinkEntity } from './scim-user-link.entity';
import { chunks, forUpdate, withTransaction } from './sql.util';
import { UserEntity } from './user.entity';
import { toUserView, UserView } from './user.view';

export interface ManagedUser {
  scimId: string;
  user: UserView;
}

export interface ManagedGroup {
  scimId: string;
  group: GroupView;
}

/**
 * The managed state: which users and groups the identity provider owns, through links holding a SCIM id of their own
 * (a random UUID, never an internal id). Knows nothing of SCIM's wire format.
 */
@Injectable()
export class ManagedStateService {
  constructor(
    @InjectIdentityDataSource() private readonly dataSource: DataSource,
    private readonly permissions: PermissionsService,
  ) {}

  /**
   * Links a user and returns its SCIM id; linking a linked user returns the id it has. Refuses accounts the identity
   * provider must never take over: local accounts (they have a password) and administrators.
   */
  linkUser(userId: string, manager?: EntityManager): Promise<string> {
    return withTransaction(this.dataSource, manager, async (m) => {
      const user = await m.findOneBy(UserEntity, { id: userId });
      if (!user) throw DomainRuleError.notFound('User not found');
      const existing = await m.findOneBy(ScimUserLinkEntity, { userId });
      if (existing) return existing.scimId;
      await this.refuseUser(m, user);
      await m
        .createQueryBuilder()
        .insert()
        .into(ScimUserLinkEntity)
        .values({ scimId: randomUUID(), userId, createdAt: new Date() })
        .orIgnore()
        .execute();
      // A locking read on MySQL, so a link a concurrent transaction just committed is seen.
      const link = await forUpdate(
        m.createQueryBuilder(ScimUserLinkEntity, 'su').where('su.userId = :userId', { userId }),
        m,
      ).getOne();
      return link!.scimId;
    });
  }

  /**
   * Links a user created in this transaction (by `UsersService.create`) and returns its new SCIM id. Nothing else can
   * have linked it, so the link is a plain INSERT, with nothing read again; the refusals stay, and a new user can be
   * an administrator: through its default group, when an admin granted that group `admin`.
   */
  async linkNewUser(user: UserView, manager: EntityManager): Promise<string> {
    await this.refuseUser(manager, user);
    const scimId = randomUUID();
    await manager.insert(ScimUserLinkEntity, { scimId, userId: user.id, createdAt: new Date() });
    return scimId;
  }

  private async refuseUser(m: EntityManager, user: Pick<UserView, 'id' | 'login' | 'local'>): Promise<void> {
    if (user.local) {
      throw DomainRuleError.conflict(`Local account '${user.login}' cannot be managed by the identity provider`);
    }
    if (await this.permissions.isGranted(user.id, ADMIN_PERMISSION, m)) {
      throw DomainRuleError.conflict(`Administrator '${user.login}' cannot be managed by the identity provider`);
    }
  }

  /**
   * Links a group and returns its SCIM id. Refuses the built-in groups and groups holding global permissions: the
   * identity provider must not gain control of who is an administrator by adopting such a group.
   */
  linkGroup(groupId: string, manager?: EntityManager): Promise<string> {
    return withTransaction(this.dataSource, manager, async (m) => {
      const group = await m.findOneBy(GroupEntity, { id: groupId });
      if (!group) throw DomainRuleError.notFound('Group not found');
      const existing = await m.findOneBy(ScimGroupLinkEntity, { groupId });
      if (existing) return existing.scimId;
      if (group.builtIn) throw builtInGroupError(group);
      if (await m.existsBy(GroupPermissionEntity, { groupId })) {
        throw DomainRuleError.conflict(
          `Group '${group.name}' holds global permissions and cannot be managed by the identity provider`,
        );
      }
      await m
        .createQueryBuilder()
        .insert()
        .into(ScimGroupLinkEntity)
        .values({ scimId: randomUUID(), groupId, createdAt: new Date() })
        .orIgnore()
        .execute();
      const link = await forUpdate(
        m.createQueryBuilder(ScimGroupLinkEntity, 'sg').where('sg.groupId = :groupId', { groupId }),
        m,
      ).getOne();
      return link!.scimId;
    });
  }

  /**
   * Links a group created in this transaction (by `GroupsService.create`) and returns its new SCIM id. Such a group is
   * not a built-in one, and holds no permission unless this transaction granted one (no other can name it before this
   * one commits): for a caller that granted none, the link is a plain INSERT, with nothing read again.
   */
  async linkNewGroup(group: GroupView, manager: EntityManager): Promise<string> {
    if (group.builtIn) throw builtInGroupError(group);
    const scimId = randomUUID();
    await manager.insert(ScimGroupLinkEntity, { scimId, groupId: group.id, createdAt: new Date() });
    return scimId;
  }

  /** Makes a user local again. */
  async unlinkUser(userId: string, manager?: EntityManager): Promise<void> {
    await withTransaction(this.dataSource, manager, (m) => m.delete(ScimUserLinkEntity, { userId }));
  }

  /** Makes a group local again. */
  async unlinkGroup(groupId: string, manager?: EntityManager): Promise<void> {
    await withTransaction(this.dataSource, manager, (m) => m.delete(ScimGroupLinkEntity, { groupId }));
  }

  /** Drops every link, making all users and groups local: the switch back to just-in-time provisioning. */
  async dropAllLinks(manager?: EntityManager): Promise<void> {
    await withTransaction(this.dataSource, manager, async (m) => {
      // DELETE rather than TRUNCATE: TRUNCATE commits implicitly on MySQL.
      await m.createQueryBuilder().delete().from(ScimUserLinkEntity).execute();
      await m.createQueryBuilder().delete().from(ScimGroupLinkEntity).execute();
    });
  }

  /** The managed user a SCIM id names; the match is exact (ids are lower-case UUIDs). */
  async findUserByScimId(scimId: string, manager?: EntityManager): Promise<ManagedUser | null> {
    const m = manager ?? this.dataSource.manager;
    const link = await m.findOne(ScimUserLinkEntity, { where: { scimId }, relations: { user: true } });
    return link?.user ? { scimId: link.scimId, user: toUserView(link.user, true) } : null;
  }

  async findGroupByScimId(scimId: string, manager?: EntityManager): Promise<ManagedGroup | null> {
    const m = manager ?? this.dataSource.manager;
    const link = await m.findOne(ScimGroupLinkEntity, { where: { scimId }, relations: { group: true } });
    return link?.group ? { scimId: link.scimId, group: toGroupView(link.group, true) } : null;
  }

  async scimIdOfUser(userId: string, manager?: EntityManager): Promise<string | null> {
    const link = await (manager ?? this.dataSource.manager).findOneBy(ScimUserLinkEntity, { userId });
    return link?.scimId ?? null;
  }

  async scimIdOfGroup(groupId: string, manager?: EntityManager): Promise<string | null> {
    const link = await (manager ?? this.dataSource.manager).findOneBy(ScimGroupLinkEntity, { groupId });
    return link?.scimId ?? null;
  }

  /** SCIM ids of the given users that are managed, keyed by user id (for listing a group's members). */
  async scimIdsOfUsers(userIds: readonly string[], manager?: EntityManager): Promise<Map<string, string>> {
    const m = manager ?? this.dataSource.manager;
    const found = new Map<string, string>();
    for (const chunk of chunks([...new Set(userIds)])) {
      for (const l of await m.find(ScimUserLinkEntity, { where: { userId: In(chunk) } })) found.set(l.userId, l.scimId);
    }
    return found;
  }

  /** Internal user ids of the given SCIM ids that exist, keyed by SCIM id (for resolving group members). */
  async userIdsOfScimIds(scimIds: readonly string[], manager?: EntityManager): Promise<Map<string, string>> {
    const m = manager ?? this.dataSource.manager;
    const found = new Map<string, string>();
    for (const chunk of chunks([...new Set(scimIds)])) {
      for (const l of await m.find(ScimUserLinkEntity, { where: { scimId: In(chunk) } })) found.set(l.scimId, l.userId);
    }
    return found;
  }

  async isUserManaged(userId: string, manager?: EntityManager): Promise<boolean> {
    return (manager ?? this.dataSource.manager).existsBy(ScimUserLinkEntity, { userId });
  }

  async isGroupManaged(groupId: string, manager?: EntityManager): Promise<boolean> {
    return (manager ?? this.dataSource.manager).existsBy(ScimGroupLinkEntity, { groupId });
  }
}
