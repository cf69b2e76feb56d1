import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import {
  escapeLike,
  forUpdate,
  isUniqueViolation,
  LIKE_ESCAPE,
  namedParameters,
  sqlTable,
  withTransaction,
} from '@nest-scim/persistence';
import { DomainRuleError, LAST_ADMIN_MESSAGES } from './domain-rule.error';
import { BuiltInGroupRole, GroupEntity } from './group.entity';
import { GroupMembershipEntity } from './group-membership.entity';
import { GroupPermissionEntity } from './group-permission.entity';
import { GroupView, toGroupView } from './group.view';
import { ADMIN_PERMISSION, MAX_GROUP_DESCRIPTION_LENGTH, MAX_PAGE_SIZE } from './identity.constants';
import type { ResolvedIdentityOptions } from './identity-options.interface';
import { InjectIdentityDataSource, InjectIdentityOptions } from './inject-identity.decorator';
import { foldCase, normalizeGroupName } from './normalization.util';
import { PermissionsService } from './permissions.service';
import { UserEntity } from './user.entity';
import { Page, PageRequest, resolvePage } from './sql.util';

export interface CreateGroupInput {
  name: string;
  description?: string | null;
}

export interface UpdateGroupInput {
  name?: string;
  description?: string | null;
}

export interface GroupSearch extends PageRequest {
  /** Part of the name, matched case-insensitively. */
  query?: string;
  /** Only managed (true) or only local (false) groups. */
  managed?: boolean;
}

export interface GroupSearchItem extends GroupView {
  membersCount: number;
}

export interface BuiltInGroups {
  defaultGroup: GroupView;
  administratorsGroup: GroupView;
}

/** The product reserves this name for "everyone, signed in or not". */
const RESERVED_GROUP_NAME = 'anyone';

function validateDescription(description: string | null | undefined): string | null {
  if (description === undefined || description === null || description === '') return null;
  if (typeof description !== 'string') throw DomainRuleError.invalid('Description must be a string');
  if (description.length > MAX_GROUP_DESCRIPTION_LENGTH) {
    throw DomainRuleError.invalid(`Description is too long (${MAX_GROUP_DESCRIPTION_LENGTH} characters max)`);
  }
  return description;
}

export function validateGroupName(name: unknown): { name: string; key: string } {
  const key = normalizeGroupName(name);
  if (key === RESERVED_GROUP_NAME) throw DomainRuleError.invalid('Anyone group cannot be used');
  return { name: name as string, key };
}

/** The refusal for a built-in group, worded as the product words it for its default group. */
export function builtInGroupError(group: Pick<GroupEntity, 'name' | 'builtIn'>): DomainRuleError {
  return group.builtIn === 'default'
    ? DomainRuleError.defaultGroup(group.name)
    : DomainRuleError.builtInGroup(group.name);
}

/** Groups: the two built-ins, local groups created by an admin, and groups the identity provider manages. */
@Injectable()
export class GroupsService {
  constructor(
    @InjectIdentityDataSource() private readonly dataSource: DataSource,
    @InjectIdentityOptions() private readonly options: ResolvedIdentityOptions,
    private readonly permissions: PermissionsService,
  ) {}

  /**
   * Creates the default and administrators groups if they are missing (or marks existing groups of those names as
   * the built-ins), grants `admin` to the administrators group and, when the default group is new, puts every
   * active user in it. Safe to call at every start, from several instances at once.
   */
  ensureBuiltIns(manager?: EntityManager): Promise<BuiltInGroups> {
    return withTransaction(this.dataSource, manager, async (m) => {
      const defaults = await this.ensureBuiltIn(m, 'default', this.options.defaultGroupName);
      const admins = await this.ensureBuiltIn(m, 'administrators', this.options.administratorsGroupName);
      await m
        .createQueryBuilder()
        .insert()
        .into(GroupPermissionEntity)
        .values({ groupId: admins.group.id, permission: ADMIN_PERMISSION, createdAt: new Date() })
        .orIgnore()
        .execute();
      if (defaults.created) await this.enrolActiveUsers(m, defaults.group.id);
      return { defaultGroup: toGroupView(defaults.group), administratorsGroup: toGroupView(admins.group) };
    });
  }

  private async ensureBuiltIn(
    m: EntityManager,
    role: BuiltInGroupRole,
    name: string,
  ): Promise<{ group: GroupEntity; created: boolean }> {
    const existing = await this.findBuiltIn(m, role);
    if (existing) return { group: existing, created: false };
    const key = normalizeGroupName(name);
    const now = new Date();
    const sameName = await forUpdate(
      m.createQueryBuilder(GroupEntity, 'g').where('g.nameNormalized = :key', { key }),
      m,
    ).getOne();
    if (sameName) {
      if (sameName.builtIn) {
        throw new Error(`The default and administrators groups cannot both be named '${name}'`);
      }
      // A built-in group is never the identity provider's.
      await m.update(GroupEntity, { id: sameName.id }, { builtIn: role, managed: false, updatedAt: now });
    } else {
      // Another instance starting at the same time may win the insert: the unique index on built_in decides.
      await m
        .createQueryBuilder()
        .insert()
        .into(GroupEntity)
        .values({
          id: randomUUID(),
          name,
          nameNormalized: key,
          description: null,
          builtIn: role,
          managed: false,
          createdAt: now,
          updatedAt: now,
        })
        .orIgnore()
        .execute();
    }
    const group = await this.findBuiltIn(m, role);
    if (!group) throw new Error(`The built-in group '${name}' could not be created`);
    return { group, created: true };
  }

  // A locking read on MySQL: it sees a row another instance committed after this transaction's snapshot.
  private findBuiltIn(m: EntityManager, role: BuiltInGroupRole): Promise<GroupEntity | null> {
    return forUpdate(m.createQueryBuilder(GroupEntity, 'g').where('g.builtIn = :role', { role }), m).getOne();
  }

  /** One INSERT … SELECT: the default group is new, so active users are not in it yet. */
  private async enrolActiveUsers(m: EntityManager, groupId: string): Promise<void> {
    const [sql, parameters] = namedParameters(
      m,
      `INSERT INTO ${sqlTable(m, GroupMembershipEntity)} (group_id, user_id, created_at)
       SELECT :groupId, u.id, :now FROM ${sqlTable(m, UserEntity)} u
       WHERE u.active = :active
         AND NOT EXISTS (SELECT 1 FROM ${sqlTable(m, GroupMembershipEntity)} gm
                         WHERE gm.group_id = :groupId AND gm.user_id = u.id)`,
      { groupId, now: new Date(), active: true },
    );
    await m.query(sql, parameters);
  }

  /** The default group; throws when `ensureBuiltIns()` has not run. */
  async defaultGroup(manager?: EntityManager): Promise<GroupView> {
    return this.builtIn('default', manager);
  }

  /** The administrators group; throws when `ensureBuiltIns()` has not run. */
  async administratorsGroup(manager?: EntityManager): Promise<GroupView> {
    return this.builtIn('administrators', manager);
  }

  private async builtIn(role: BuiltInGroupRole, manager?: EntityManager): Promise<GroupView> {
    const m = manager ?? this.dataSource.manager;
    const group = await m.findOneBy(GroupEntity, { builtIn: role });
    if (!group) throw new Error('The built-in groups are missing: call GroupsService.ensureBuiltIns() at start');
    return toGroupView(group);
  }

  async create(input: CreateGroupInput, manager?: EntityManager): Promise<GroupView> {
    const { name, key } = validateGroupName(input.name);
    const description = validateDescription(input.description);
    return withTransaction(this.dataSource, manager, async (m) => {
      const now = new Date();
      const group = m.create(GroupEntity, {
        id: randomUUID(),
        name,
        nameNormalized: key,
        description,
        builtIn: null,
        managed: false,
        createdAt: now,
        updatedAt: now,
      });
      await insertGroup(m, group);
      return toGroupView(group);
    });
  }

  /** Renames a group or changes its description. Built-in groups keep their names. */
  async update(groupId: string, input: UpdateGroupInput, manager?: EntityManager): Promise<GroupView> {
    return withTransaction(this.dataSource, manager, async (m) => {
      const group = await m.findOneBy(GroupEntity, { id: groupId });
      if (!group) throw DomainRuleError.notFound('Group not found');
      const changes: Partial<GroupEntity> = {};
      if (input.name !== undefined && input.name !== group.name) {
        if (group.builtIn) throw builtInGroupError(group);
        const { name, key } = validateGroupName(input.name);
        if (key !== group.nameNormalized) await checkGroupNameFree(m, key, name, groupId);
        changes.name = name;
        changes.nameNormalized = key;
      }
      if (input.description !== undefined) changes.description = validateDescription(input.description);
      if (Object.keys(changes).length > 0) {
        changes.updatedAt = new Date();
        await updateGroupRow(m, { id: groupId }, changes, changes.name ?? group.name);
      }
      return toGroupView({ ...group, ...changes });
    });
  }

  /**
   * Deletes a group with its memberships, permissions and link. Built-in groups cannot be deleted, nor the last
   * group through which someone is an administrator.
   */
  async delete(groupId: string, manager?: EntityManager): Promise<void> {
    await withTransaction(this.dataSource, manager, async (m) => {
      const group = await m.findOneBy(GroupEntity, { id: groupId });
      if (!group) throw DomainRuleError.notFound('Group not found');
      if (group.builtIn) throw builtInGroupError(group);
      await removeGroup(m, this.permissions, groupId);
    });
  }

  async findById(groupId: string, manager?: EntityManager): Promise<GroupView | null> {
    const m = manager ?? this.dataSource.manager;
    const group = await m.findOneBy(GroupEntity, { id: groupId });
    return group ? toGroupView(group) : null;
  }

  /** Finds a group by name, case-insensitively. */
  async findByName(name: string, manager?: EntityManager): Promise<GroupView | null> {
    const m = manager ?? this.dataSource.manager;
    const group = await m.findOneBy(GroupEntity, { nameNormalized: foldCase(name) });
    return group ? toGroupView(group) : null;
  }

  /** A page of groups ordered by name, with member counts; the filtering, counting and paging happen in SQL. */
  async search(criteria: GroupSearch = {}, manager?: EntityManager): Promise<Page<GroupSearchItem>> {
    const m = manager ?? this.dataSource.manager;
    const { page, pageSize, offset } = resolvePage(criteria, MAX_PAGE_SIZE);
    const qb = m.createQueryBuilder(GroupEntity, 'g');
    if (criteria.query) {
      qb.andWhere(`g.nameNormalized LIKE :query ESCAPE '${LIKE_ESCAPE}'`, {
        query: `%${escapeLike(foldCase(criteria.query))}%`,
      });
    }
    if (criteria.managed !== undefined) {
      qb.andWhere('g.managed = :managed', { managed: criteria.managed });
    }
    const total = await qb.clone().getCount();
    const groups = await qb
      .orderBy('g.nameNormalized', 'ASC')
      .addOrderBy('g.id', 'ASC')
      .offset(offset)
      .limit(pageSize)
      .getMany();
    const ids = groups.map((g) => g.id);
    const counts = new Map<string, number>();
    if (ids.length > 0) {
      const rows = await m
        .createQueryBuilder(GroupMembershipEntity, 'gm')
        .select('gm.groupId', 'groupId')
        .addSelect('COUNT(*)', 'count')
        .where('gm.groupId IN (:...ids)', { ids })
        .groupBy('gm.groupId')
        .getRawMany<{ groupId: string; count: number | string }>();
      for (const row of rows) counts.set(row.groupId, Number(row.count));
    }
    return {
      items: groups.map((g) => ({ ...toGroupView(g), membersCount: counts.get(g.id) ?? 0 })),
      total,
      page,
      pageSize,
    };
  }
}

/** Inserts a new group's row; a name another group holds is refused as a look would word it. */
export async function insertGroup(m: EntityManager, group: GroupEntity): Promise<void> {
  // No look for the name first: the unique index on name_normalized decides (it is the only unique key a new group can
  // collide on); both databases keep the transaction usable after the failed INSERT.
  try {
    await m.insert(GroupEntity, group);
  } catch (error) {
    if (isUniqueViolation(error)) throw groupNameTaken(group.name);
    throw error;
  }
}

/** Refuses a name (its folded key) that a group other than `exceptId` holds. */
export async function checkGroupNameFree(
  m: EntityManager,
  key: string,
  name: string,
  exceptId: string | null,
): Promise<void> {
  const holder = await m.findOne(GroupEntity, { select: { id: true }, where: { nameNormalized: key } });
  if (holder && holder.id !== exceptId) throw groupNameTaken(name);
}

/** Writes a group's changes; answers how many rows matched `where`. */
export async function updateGroupRow(
  m: EntityManager,
  where: FindOptionsWhere<GroupEntity>,
  changes: Partial<GroupEntity>,
  name: string,
): Promise<number> {
  try {
    return (await m.update(GroupEntity, where, changes)).affected ?? 0;
  } catch (error) {
    if (isUniqueViolation(error)) throw groupNameTaken(name);
    throw error;
  }
}

/**
 * Deletes a group's memberships, permissions and row, held to the last-administrator rule when it holds `admin`.
 * Children are deleted explicitly rather than through ON DELETE CASCADE, which SQLite applies only with its
 * foreign_keys pragma on. `where` narrows the group's row (the directory adapter deletes only managed groups);
 * answers whether it was deleted.
 */
export async function removeGroup(
  m: EntityManager,
  permissions: PermissionsService,
  groupId: string,
  where: FindOptionsWhere<GroupEntity> = {},
): Promise<boolean> {
  let deleted = 0;
  const remove = async () => {
    await m.delete(GroupMembershipEntity, { groupId });
    await m.delete(GroupPermissionEntity, { groupId });
    deleted = (await m.delete(GroupEntity, { ...where, id: groupId })).affected ?? 0;
  };
  if (await permissions.groupHoldsPermission(groupId, ADMIN_PERMISSION, m)) {
    await permissions.keepingAnAdministrator(m, LAST_ADMIN_MESSAGES.deleteGroup, remove);
  } else {
    await remove();
  }
  return deleted > 0;
}

function groupNameTaken(name: string): DomainRuleError {
  return DomainRuleError.conflict(`Group '${name}' already exists`);
}
