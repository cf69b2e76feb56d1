import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { escapeLike, LIKE_ESCAPE, withTransaction } from '@nest-scim/persistence';
import { DomainRuleError, LAST_ADMIN_MESSAGES } from './domain-rule.error';
import { GroupEntity } from './group.entity';
import { GroupMembershipEntity } from './group-membership.entity';
import { GroupView, toGroupView } from './group.view';
import { ADMIN_PERMISSION, MAX_PAGE_SIZE } from './identity.constants';
import { InjectIdentityDataSource } from './inject-identity.decorator';
import { foldCase } from './normalization.util';
import { PermissionsService } from './permissions.service';
import { chunks, Page, PageRequest, resolvePage } from './sql.util';
import { UserEntity } from './user.entity';
import { toUserView, UserView } from './user.view';

/** The default group's membership follows the user's state: it is never changed directly. */
function assertChangeable(group: Pick<GroupEntity, 'name' | 'builtIn'>): void {
  if (group.builtIn === 'default') throw DomainRuleError.defaultGroup(group.name);
}

export interface MemberSearch extends PageRequest {
  /** Part of the login, name or email, matched case-insensitively. */
  query?: string;
}

/**
 * Group memberships as set deltas: adding is an idempotent INSERT (IGNORE / OR IGNORE on the (group_id, user_id)
 * key) and removing a DELETE of the named users. Neither reads the group's members, so the cost depends on the size
 * of the change, not of the group, and concurrent changes to one group cannot undo each other.
 */
@Injectable()
export class MembershipService {
  constructor(
    @InjectIdentityDataSource() private readonly dataSource: DataSource,
    private readonly permissions: PermissionsService,
  ) {}

  /**
   * Adds users to a group; users already in it are left as they are. Every id must name an existing user (active or
   * not), otherwise nothing is added. The default group is refused: its membership follows the user's state.
   */
  async addMembers(groupId: string, userIds: readonly string[], manager?: EntityManager): Promise<void> {
    const ids = [...new Set(userIds)];
    await withTransaction(this.dataSource, manager, async (m) => {
      await this.changeableGroup(m, groupId);
      if (ids.length === 0) return;
      const now = new Date();
      for (const chunk of chunks(ids)) {
        const found = await m.find(UserEntity, { select: { id: true }, where: { id: In(chunk) } });
        if (found.length !== chunk.length) {
          const missing = chunk.length - found.length;
          throw DomainRuleError.notFound(missing === 1 ? 'User not found' : `${missing} users not found`);
        }
        await this.insertMembers(m, groupId, chunk, now);
      }
    });
  }

  private async insertMembers(m: EntityManager, groupId: string, userIds: string[], now: Date): Promise<void> {
    await m
      .createQueryBuilder()
      .insert()
      .into(GroupMembershipEntity)
      .values(userIds.map((userId) => ({ groupId, userId, createdAt: now })))
      .orIgnore()
      .execute();
  }

  /**
   * Removes users from a group; ids of users not in it are ignored. Refused when it would leave no active
   * administrator, and for the default group.
   */
  async removeMembers(groupId: string, userIds: readonly string[], manager?: EntityManager): Promise<void> {
    await withTransaction(this.dataSource, manager, async (m) => {
      await this.changeableGroup(m, groupId);
      await this.deleteMembers(m, groupId, [...new Set(userIds)]);
    });
  }

  private async deleteMembers(m: EntityManager, groupId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const remove = async () => {
      for (const chunk of chunks(ids)) await m.delete(GroupMembershipEntity, { groupId, userId: In(chunk) });
    };
    if (await this.permissions.groupHoldsPermission(groupId, ADMIN_PERMISSION, m)) {
      await this.permissions.keepingAnAdministrator(m, LAST_ADMIN_MESSAGES.removeMember, remove);
    } else {
      await remove();
    }
  }

  async isMember(groupId: string, userId: string, manager?: EntityManager): Promise<boolean> {
    return (manager ?? this.dataSource.manager).existsBy(GroupMembershipEntity, { groupId, userId });
  }

  /** A page of a group's members, ordered by login. */
  async listMembers(groupId: string, criteria: MemberSearch = {}, manager?: EntityManager): Promise<Page<UserView>> {
    const m = manager ?? this.dataSource.manager;
    const { page, pageSize, offset } = resolvePage(criteria, MAX_PAGE_SIZE);
    const qb = m
      .createQueryBuilder(UserEntity, 'u')
      .innerJoin(GroupMembershipEntity, 'gm', 'gm.userId = u.id AND gm.groupId = :groupId', { groupId });
    if (criteria.query) {
      const folded = `%${escapeLike(foldCase(criteria.query))}%`;
      const lowered = `%${escapeLike(criteria.query.toLowerCase())}%`;
      qb.andWhere(
        `(u.loginNormalized LIKE :folded ESCAPE '${LIKE_ESCAPE}' OR LOWER(u.name) LIKE :lowered ESCAPE '${LIKE_ESCAPE}')`,
        { folded, lowered },
      );
    }
    const total = await qb.clone().getCount();
    const users = await qb.orderBy('u.loginNormalized', 'ASC').offset(offset).limit(pageSize).getMany();
    return { items: users.map((u) => toUserView(u)), total, page, pageSize };
  }

  /** The groups a user belongs to, ordered by name. */
  async groupsOfUser(userId: string, manager?: EntityManager): Promise<GroupView[]> {
    const m = manager ?? this.dataSource.manager;
    const groups = await m
      .createQueryBuilder(GroupEntity, 'g')
      .innerJoin(GroupMembershipEntity, 'gm', 'gm.groupId = g.id AND gm.userId = :userId', { userId })
      .orderBy('g.nameNormalized', 'ASC')
      .getMany();
    return groups.map((g) => toGroupView(g));
  }

  private async changeableGroup(m: EntityManager, groupId: string): Promise<GroupEntity> {
    const group = await m.findOneBy(GroupEntity, { id: groupId });
    if (!group) throw DomainRuleError.notFound('Group not found');
    assertChangeable(group);
    return group;
  }
}
