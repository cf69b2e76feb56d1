import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { forUpdate, readBoolean, sqlTable, withTransaction } from '@nest-scim/persistence';
import { DomainRuleError, LAST_ADMIN_MESSAGES } from './domain-rule.error';
import { GroupEntity } from './group.entity';
import { GroupMembershipEntity } from './group-membership.entity';
import { GroupPermissionEntity } from './group-permission.entity';
import { ADMIN_PERMISSION, GLOBAL_PERMISSIONS, GlobalPermission } from './identity.constants';
import { InjectIdentityDataSource } from './inject-identity.decorator';
import { UserPermissionEntity } from './user-permission.entity';
import { UserEntity } from './user.entity';

function checkPermission(permission: string): GlobalPermission {
  if (!(GLOBAL_PERMISSIONS as readonly string[]).includes(permission)) {
    throw DomainRuleError.invalid(`Unknown global permission '${permission}'`);
  }
  return permission as GlobalPermission;
}

/**
 * SQL condition: the user whose id is `userId` (a column or expression) holds the permission bound at `placeholder`
 * (both places), directly or through one of its groups.
 */
export function holdsPermissionCondition(
  source: DataSource | EntityManager,
  userId: string,
  placeholder: string,
): string {
  const [userPermissions, memberships, groupPermissions] = [
    UserPermissionEntity,
    GroupMembershipEntity,
    GroupPermissionEntity,
  ].map((entity) => sqlTable(source, entity));
  return `(EXISTS (SELECT 1 FROM ${userPermissions} up WHERE up.user_id = ${userId} AND up.permission = ${placeholder})
  OR EXISTS (SELECT 1 FROM ${memberships} gm INNER JOIN ${groupPermissions} gp ON gp.group_id = gm.group_id
             WHERE gm.user_id = ${userId} AND gp.permission = ${placeholder}))`;
}

/** Alias of the users table in a statement `joinAccountStanding` extended; unlikely to clash with the caller's. */
const ACCOUNT = 'identity_account';

/** What `joinAccountStanding` reads of an account, beside the caller's own columns. */
export interface AccountStanding {
  userId: string;
  login: string;
  active: boolean;
  /** Whether it holds the permission asked about, directly or through a group; false when none was asked about. */
  holdsPermission: boolean;
}

/** The raw columns `joinAccountStanding` adds to a row. */
const STANDING_COLUMNS = {
  userId: 'identity_account_id',
  login: 'identity_account_login',
  active: 'identity_account_active',
  holds: 'identity_account_holds',
} as const;

/**
 * Global permissions of users and groups, and the rule that protects them: an instance always keeps at least one
 * active administrator.
 */
@Injectable()
export class PermissionsService {
  constructor(@InjectIdentityDataSource() private readonly dataSource: DataSource) {}

  /**
   * Extends a caller's statement over its own table with the standing of the account whose id is in `userIdColumn`
   * (login, active, and whether it holds `permission`), so that a check such as token authentication reads the
   * account in the same statement as its own row without knowing identity's tables. Read the result of each raw row
   * with `readAccountStanding`.
   */
  joinAccountStanding<T extends ObjectLiteral>(
    query: SelectQueryBuilder<T>,
    userIdColumn: string,
    permission?: GlobalPermission,
  ): SelectQueryBuilder<T> {
    query
      .leftJoin(UserEntity, ACCOUNT, `${ACCOUNT}.id = ${userIdColumn}`)
      .addSelect(`${ACCOUNT}.id`, STANDING_COLUMNS.userId)
      .addSelect(`${ACCOUNT}.login`, STANDING_COLUMNS.login)
      .addSelect(`${ACCOUNT}.active`, STANDING_COLUMNS.active);
    if (permission === undefined) return query.addSelect('0', STANDING_COLUMNS.holds);
    return query
      .addSelect(
        `CASE WHEN ${holdsPermissionCondition(query.connection, `${ACCOUNT}.id`, ':identityPermission')} THEN 1 ELSE 0 END`,
        STANDING_COLUMNS.holds,
      )
      .setParameter('identityPermission', checkPermission(permission));
  }

  /** The account standing of a raw row of a statement `joinAccountStanding` extended; null when no account matched. */
  readAccountStanding(row: Record<string, unknown>): AccountStanding | null {
    const userId = row[STANDING_COLUMNS.userId];
    if (typeof userId !== 'string') return null;
    return {
      userId,
      login: String(row[STANDING_COLUMNS.login]),
      active: readBoolean(row[STANDING_COLUMNS.active]),
      holdsPermission: readBoolean(row[STANDING_COLUMNS.holds]),
    };
  }

  /** The user is active and holds `admin`, directly or through a group. */
  isAdmin(userId: string, manager?: EntityManager): Promise<boolean> {
    return this.hasPermission(userId, ADMIN_PERMISSION, manager);
  }

  /** The user is active and holds the permission, directly or through a group. */
  hasPermission(userId: string, permission: GlobalPermission, manager?: EntityManager): Promise<boolean> {
    return this.holds(userId, permission, true, manager);
  }

  /** The user is granted the permission, directly or through a group, whether active or not. */
  isGranted(userId: string, permission: GlobalPermission, manager?: EntityManager): Promise<boolean> {
    return this.holds(userId, permission, false, manager);
  }

  private async holds(
    userId: string,
    permission: GlobalPermission,
    activeOnly: boolean,
    manager: EntityManager | undefined,
  ): Promise<boolean> {
    const source = manager ?? this.dataSource.manager;
    const qb = source
      .createQueryBuilder(UserEntity, 'u')
      .select('u.id', 'id')
      .where('u.id = :userId', { userId })
      .andWhere(holdsPermissionCondition(source, 'u.id', ':permission'), { permission: checkPermission(permission) })
      .limit(1);
    if (activeOnly) qb.andWhere('u.active = :active', { active: true });
    return (await qb.getRawOne<{ id: string }>()) !== undefined;
  }

  /** The permissions a user holds directly (not through groups). */
  async userPermissions(userId: string, manager?: EntityManager): Promise<GlobalPermission[]> {
    const rows = await (manager ?? this.dataSource.manager).find(UserPermissionEntity, {
      where: { userId },
      order: { permission: 'ASC' },
    });
    return rows.map((r) => r.permission);
  }

  async groupPermissions(groupId: string, manager?: EntityManager): Promise<GlobalPermission[]> {
    const rows = await (manager ?? this.dataSource.manager).find(GroupPermissionEntity, {
      where: { groupId },
      order: { permission: 'ASC' },
    });
    return rows.map((r) => r.permission);
  }

  async groupHoldsPermission(groupId: string, permission: GlobalPermission, manager?: EntityManager): Promise<boolean> {
    return (await (manager ?? this.dataSource.manager).countBy(GroupPermissionEntity, { groupId, permission })) > 0;
  }

  async addUserPermission(userId: string, permission: GlobalPermission, manager?: EntityManager): Promise<void> {
    checkPermission(permission);
    await withTransaction(this.dataSource, manager, async (m) => {
      if (!(await m.existsBy(UserEntity, { id: userId }))) throw DomainRuleError.notFound('User not found');
      await m
        .createQueryBuilder()
        .insert()
        .into(UserPermissionEntity)
        .values({ userId, permission, createdAt: new Date() })
        .orIgnore()
        .execute();
    });
  }

  async removeUserPermission(userId: string, permission: GlobalPermission, manager?: EntityManager): Promise<void> {
    checkPermission(permission);
    await withTransaction(this.dataSource, manager, async (m) => {
      const remove = () => m.delete(UserPermissionEntity, { userId, permission });
      if (permission === ADMIN_PERMISSION) {
        await this.keepingAnAdministrator(m, LAST_ADMIN_MESSAGES.removePermission, remove);
      } else {
        await remove();
      }
    });
  }

  async addGroupPermission(groupId: string, permission: GlobalPermission, manager?: EntityManager): Promise<void> {
    checkPermission(permission);
    await withTransaction(this.dataSource, manager, async (m) => {
      if (!(await m.existsBy(GroupEntity, { id: groupId }))) throw DomainRuleError.notFound('Group not found');
      await m
        .createQueryBuilder()
        .insert()
        .into(GroupPermissionEntity)
        .values({ groupId, permission, createdAt: new Date() })
        .orIgnore()
        .execute();
    });
  }

  async removeGroupPermission(groupId: string, permission: GlobalPermission, manager?: EntityManager): Promise<void> {
    checkPermission(permission);
    await withTransaction(this.dataSource, manager, async (m) => {
      const group = await m.findOneBy(GroupEntity, { id: groupId });
      if (!group) throw DomainRuleError.notFound('Group not found');
      // Holding admin is what the administrators group is for.
      if (group.builtIn === 'administrators' && permission === ADMIN_PERMISSION) {
        throw DomainRuleError.builtInGroup(group.name);
      }
      const remove = () => m.delete(GroupPermissionEntity, { groupId, permission });
      if (permission === ADMIN_PERMISSION) {
        await this.keepingAnAdministrator(m, LAST_ADMIN_MESSAGES.removePermission, remove);
      } else {
        await remove();
      }
    });
  }

  /**
   * Applies a change that may take `admin` away from someone, then refuses it (throwing, so the transaction rolls
   * back) if no active administrator is left. On MySQL, such changes first lock the administrators group row, so two
   * of them never run side by side; each then sees the other's committed result (locking reads ignore the snapshot).
   * SQLite runs one transaction at a time anyway.
   */
  async keepingAnAdministrator<T>(manager: EntityManager, message: string, change: () => Promise<T>): Promise<T> {
    await forUpdate(
      manager
        .createQueryBuilder(GroupEntity, 'g')
        .select('g.id', 'id')
        .where('g.builtIn = :role', { role: 'administrators' }),
      manager,
    ).getRawMany();
    const result = await change();
    if (!(await this.anyActiveAdministrator(manager))) throw DomainRuleError.lastAdmin(message);
    return result;
  }

  /** True when at least one active user holds `admin`; reads the latest committed rows on MySQL. */
  async anyActiveAdministrator(manager?: EntityManager): Promise<boolean> {
    return (await this.firstActiveAdministrator(manager)) !== undefined;
  }

  /**
   * The id of an active user holding `admin` (directly first, else through a group; the earliest created of each),
   * undefined when there is none; reads the latest committed rows on MySQL.
   */
  async firstActiveAdministrator(manager?: EntityManager): Promise<string | undefined> {
    const m = manager ?? this.dataSource.manager;
    const direct = m
      .createQueryBuilder(UserPermissionEntity, 'up')
      .innerJoin(UserEntity, 'u', 'u.id = up.userId')
      .select('u.id', 'id')
      .where('up.permission = :permission AND u.active = :active', { permission: ADMIN_PERMISSION, active: true })
      .orderBy('u.createdAt', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(1);
    const directly = await forUpdate(direct, m).getRawOne<{ id: string }>();
    if (directly) return directly.id;
    const viaGroup = m
      .createQueryBuilder(GroupPermissionEntity, 'gp')
      .innerJoin(GroupMembershipEntity, 'gm', 'gm.groupId = gp.groupId')
      .innerJoin(UserEntity, 'u', 'u.id = gm.userId')
      .select('u.id', 'id')
      .where('gp.permission = :permission AND u.active = :active', { permission: ADMIN_PERMISSION, active: true })
      .orderBy('u.createdAt', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(1);
    return (await forUpdate(viaGroup, m).getRawOne<{ id: string }>())?.id;
  }
}
