import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import {
  dialectOf,
  forUpdate,
  isUniqueViolation,
  namedParameters,
  sharedLockClause,
  sqlTable,
} from '@nest-scim/persistence';
import {
  ADMIN_PERMISSION,
  DomainRuleError,
  GroupEntity,
  GroupMembershipEntity,
  GroupPermissionEntity,
  InjectIdentityDataSource,
  LAST_ADMIN_MESSAGES,
  normalizeGroupName,
  normalizeLogin,
  PermissionsService,
  UserEntity,
  UserLifecycleEvents,
  UserPermissionEntity,
  validateDisplayValue,
  validateEmail,
} from '@nest-scim/identity';
import {
  applyUserUpdate,
  changedRows,
  checkExternalLoginFree,
  checkGroupNameFree,
  checkLoginFree,
  chunks,
  deactivateManagedUnlessHolding,
  deactivateUserRow,
  findUserByLoginOrExternalLogin,
  insertGroup,
  insertNewUser,
  joinDefaultGroup,
  newUserRow,
  removeGroup,
  updateGroupRow,
  validateGroupName,
} from '@nest-scim/identity/rows';
import type {
  CreateUserResult,
  DirectoryGroup,
  DirectoryGroupHandle,
  DirectoryGroupInput,
  DirectoryId,
  DirectoryMembershipTable,
  DirectoryUser,
  DirectoryUserChanges,
  DirectoryUserHandle,
  DirectoryUserInput,
  MemberDelta,
  MemberKeys,
  ScimDirectory,
} from './scim-directory.port';

type HandleKind = 'user' | 'group';

const USER_NOT_FOUND = 'User not found';
const GROUP_NOT_FOUND = 'Group not found';

function toDirectoryUser(user: UserEntity): DirectoryUser {
  return { id: user.id, userName: user.login, displayName: user.name, email: user.email, active: user.active };
}

/**
 * The directory over identity's own tables: the default adapter, and the standalone server's. It writes only the
 * accounts and groups it provisioned (`managed`), applies identity's rules to each change, and never trusts a value
 * it did not read itself: a handle is only the id of a row, checked by every statement that changes it.
 *
 * - A user is created as an external (SAML) account whose external login is its login, in the default group.
 * - An existing account is taken over only when it is a just-in-time account: no password (not local) and no
 *   administrator permission.
 * - Deactivation keeps memberships; the last active administrator cannot be deactivated; the lifecycle listeners
 *   (the auth lib) end tokens and sessions in the same transaction.
 * - SCIM DELETE keeps the account, deactivated, without memberships and direct permissions, and no longer managed.
 *
 * Locks: handles are lazy. Each write names its row and takes its lock as it changes it; the feature's own side rows
 * serialize concurrent SCIM requests on one resource, and the last-administrator rule takes its own lock.
 */
@Injectable()
export class IdentityDirectoryAdapter implements ScimDirectory {
  readonly membershipTable: DirectoryMembershipTable;

  /** The handles this adapter issued, with the transaction each belongs to. */
  private readonly issued = new WeakMap<object, { manager: EntityManager; kind: HandleKind }>();

  constructor(
    private readonly permissions: PermissionsService,
    private readonly events: UserLifecycleEvents,
    @InjectIdentityDataSource() dataSource: DataSource,
  ) {
    this.membershipTable = {
      table: dataSource.getMetadata(GroupMembershipEntity).tablePath,
      groupColumn: 'group_id',
      userColumn: 'user_id',
    };
  }

  async findUserById(m: EntityManager, id: DirectoryId): Promise<DirectoryUser | null> {
    const user = await m.findOneBy(UserEntity, { id });
    return user ? toDirectoryUser(user) : null;
  }

  async findUserByUserName(m: EntityManager, userName: string): Promise<DirectoryUser | null> {
    // userName is also the SAML login value, so a just-in-time account is found by its external login when its
    // product login differs (only external accounts have one: no local account is found this way).
    const user = await findUserByLoginOrExternalLogin(m, userName);
    return user ? toDirectoryUser(user) : null;
  }

  async createUser(m: EntityManager, fields: DirectoryUserInput): Promise<CreateUserResult> {
    const row = newUserRow(
      { login: fields.userName, name: fields.displayName, email: fields.email, local: false },
      true,
    );
    // A new user can be an administrator only through its default group (it has no permission of its own and no other
    // group yet), when an admin granted that group `admin`: the membership's insert says whether the group does, and
    // only then is the user's standing read, to refuse it.
    let grantsAdmin: boolean;
    try {
      grantsAdmin = await insertNewUser(m, row, ADMIN_PERMISSION);
    } catch (error) {
      // The row's login and external login are both the userName: the unique indexes refuse it exactly when a user
      // holds either, the one the look-up finds. The insert is tried first, as most users are new; a refused one
      // changed nothing, and the account found is answered (a SCIM user already, or one to adopt). Found none (it
      // went meanwhile): the refusal stands.
      if (!(error instanceof DomainRuleError && error.code === 'conflict')) throw error;
      const existing = await findUserByLoginOrExternalLogin(m, fields.userName);
      if (existing) return { outcome: 'existing', existing: toDirectoryUser(existing) };
      throw error;
    }
    if (grantsAdmin) await this.refuseAdministrator(m, row);
    if (!fields.active) await deactivateUserRow(m, this.permissions, this.events, row, 'provisioning', new Date());
    return { outcome: 'created', user: this.issue(m, 'user', row.id) };
  }

  async adoptUser(m: EntityManager, id: DirectoryId, fields: DirectoryUserInput): Promise<DirectoryUserHandle> {
    const user = await forUpdate(m.createQueryBuilder(UserEntity, 'u').where('u.id = :id', { id }), m).getOne();
    if (!user) throw DomainRuleError.notFound(USER_NOT_FOUND);
    if (user.managed) throw DomainRuleError.conflict('A user with this userName already exists');
    // Only a just-in-time SAML account may be taken over; anything else would hand a local account to the identity
    // provider.
    if (user.local || (await this.permissions.isGranted(user.id, ADMIN_PERMISSION, m))) {
      throw DomainRuleError.conflict('This userName belongs to a local account of the product');
    }
    await applyUserUpdate(m, user, {
      login: fields.userName,
      name: fields.displayName,
      email: fields.email,
      externalLogin: fields.userName,
    });
    const now = new Date();
    const reactivate = fields.active && !user.active;
    await m.update(UserEntity, { id }, { managed: true, ...(reactivate ? { active: true } : {}), updatedAt: now });
    if (reactivate) await joinDefaultGroup(m, id);
    if (!fields.active) {
      await deactivateUserRow(m, this.permissions, this.events, { id, active: user.active }, 'provisioning', now);
    }
    return this.issue(m, 'user', id);
  }

  async lockUser(m: EntityManager, id: DirectoryId): Promise<DirectoryUserHandle> {
    return this.issue(m, 'user', id);
  }

  async updateUser(m: EntityManager, handle: DirectoryUserHandle, changes: DirectoryUserChanges): Promise<void> {
    const id = this.check(m, handle, 'user');
    const values: Partial<UserEntity> = {};
    if (changes.userName !== undefined) {
      // A rename: the login and the external login (the SAML value) follow userName. Both keys are checked against
      // every other user; a managed account is never local, which the WHERE below holds it to.
      const login = validateDisplayValue(changes.userName, 'Login');
      const key = normalizeLogin(login);
      await checkLoginFree(m, key, login, id);
      await checkExternalLoginFree(m, key, login, id);
      Object.assign(values, { login, loginNormalized: key, externalLogin: login, externalLoginNormalized: key });
    }
    if (changes.displayName !== undefined) values.name = validateDisplayValue(changes.displayName, 'Name');
    if (changes.email !== undefined) values.email = validateEmail(changes.email);
    if (Object.keys(values).length === 0) return;
    values.updatedAt = new Date();
    let changed: number;
    try {
      changed = (await m.update(UserEntity, { id, managed: true, local: false }, values)).affected ?? 0;
    } catch (error) {
      // A concurrent rename to the same login won.
      if (isUniqueViolation(error))
        throw DomainRuleError.conflict(`A user with login '${values.login}' already exists`);
      throw error;
    }
    if (changed === 0) throw DomainRuleError.notFound(USER_NOT_FOUND);
  }

  async deactivateUser(m: EntityManager, handle: DirectoryUserHandle): Promise<void> {
    const id = this.check(m, handle, 'user');
    const now = new Date();
    // The usual case in one statement: an active managed user who is not an administrator, which the UPDATE's own
    // condition reads. When it changes nothing, the rule is applied as below, in full.
    let changed = await deactivateManagedUnlessHolding(m, id, ADMIN_PERMISSION, now);
    if (changed === 0) {
      const apply = async () => {
        changed = (await m.update(UserEntity, { id, managed: true, active: true }, { active: false, updatedAt: now }))
          .affected!;
      };
      if (await this.permissions.isAdmin(id, m)) {
        await this.permissions.keepingAnAdministrator(m, LAST_ADMIN_MESSAGES.deactivate, apply);
      } else {
        await apply();
      }
      // Nothing changed: the user was inactive already (harmless), or is not one this adapter may change.
      if (changed === 0) await this.mustBeManagedUser(m, id);
    }
    await this.events.userDeactivated(id, m);
  }

  async reactivateUser(m: EntityManager, handle: DirectoryUserHandle): Promise<void> {
    const id = this.check(m, handle, 'user');
    const changed = await m.update(
      UserEntity,
      { id, managed: true, active: false },
      { active: true, updatedAt: new Date() },
    );
    if (changed.affected === 0) await this.mustBeManagedUser(m, id);
    else await joinDefaultGroup(m, id);
  }

  async deleteUser(m: EntityManager, handle: DirectoryUserHandle): Promise<void> {
    const id = this.check(m, handle, 'user');
    let changed = 0;
    const apply = async () => {
      changed = (
        await m.update(UserEntity, { id, managed: true }, { active: false, managed: false, updatedAt: new Date() })
      ).affected!;
      await m.delete(GroupMembershipEntity, { userId: id });
      await m.delete(UserPermissionEntity, { userId: id });
    };
    if (await this.permissions.isAdmin(id, m)) {
      await this.permissions.keepingAnAdministrator(m, LAST_ADMIN_MESSAGES.deactivate, apply);
    } else {
      await apply();
    }
    if (changed === 0) throw DomainRuleError.notFound(USER_NOT_FOUND);
    await this.events.userDeactivated(id, m);
  }

  async createGroup(m: EntityManager, fields: DirectoryGroupInput): Promise<DirectoryGroupHandle> {
    const { name, key } = validateGroupName(fields.displayName);
    const now = new Date();
    const group = Object.assign(new GroupEntity(), {
      id: randomUUID(),
      name,
      nameNormalized: key,
      description: null,
      builtIn: null,
      managed: true,
      createdAt: now,
      updatedAt: now,
    });
    // A name taken by any group (built-in, local or managed) is refused by the unique index, worded as a look would.
    await insertGroup(m, group);
    return this.issue(m, 'group', group.id);
  }

  async findGroupByName(m: EntityManager, displayName: string): Promise<DirectoryGroup | null> {
    const group = await m.findOne(GroupEntity, {
      select: { id: true, name: true },
      where: { nameNormalized: normalizeGroupName(displayName) },
    });
    return group ? { id: group.id, displayName: group.name } : null;
  }

  async adoptGroup(m: EntityManager, id: DirectoryId, fields: DirectoryGroupInput): Promise<DirectoryGroupHandle> {
    const group = await forUpdate(m.createQueryBuilder(GroupEntity, 'g').where('g.id = :id', { id }), m).getOne();
    if (!group) throw DomainRuleError.notFound(GROUP_NOT_FOUND);
    if (group.managed) throw DomainRuleError.conflict('A group with this displayName already exists');
    // The built-in groups stay the product's, and so does a group through which someone is an administrator: the
    // identity provider would then choose administrators (an account holding the permission is not adopted either).
    if (group.builtIn) {
      throw DomainRuleError.conflict('This displayName belongs to a built-in group of the product');
    }
    if (await this.permissions.groupHoldsPermission(group.id, ADMIN_PERMISSION, m)) {
      throw DomainRuleError.conflict(
        'This displayName belongs to a group of the product that holds the Administer permission',
      );
    }
    const { name, key } = validateGroupName(fields.displayName);
    await checkGroupNameFree(m, key, name, id);
    await updateGroupRow(m, { id }, { name, nameNormalized: key, managed: true, updatedAt: new Date() }, name);
    return this.issue(m, 'group', id);
  }

  async lockGroup(m: EntityManager, id: DirectoryId): Promise<DirectoryGroupHandle> {
    return this.issue(m, 'group', id);
  }

  async renameGroup(m: EntityManager, handle: DirectoryGroupHandle, displayName: string): Promise<void> {
    const id = this.check(m, handle, 'group');
    const { name, key } = validateGroupName(displayName);
    await checkGroupNameFree(m, key, name, id);
    // A built-in group is never managed, so the WHERE keeps built-in names as they are.
    const changed = await updateGroupRow(
      m,
      { id, managed: true },
      { name, nameNormalized: key, updatedAt: new Date() },
      name,
    );
    if (changed === 0) throw DomainRuleError.notFound(GROUP_NOT_FOUND);
  }

  async deleteGroup(m: EntityManager, handle: DirectoryGroupHandle): Promise<void> {
    const id = this.check(m, handle, 'group');
    if (!(await removeGroup(m, this.permissions, id, { managed: true }))) {
      throw DomainRuleError.notFound(GROUP_NOT_FOUND);
    }
  }

  async addMembers(
    m: EntityManager,
    handle: DirectoryGroupHandle,
    userIds: readonly DirectoryId[],
  ): Promise<DirectoryId[]> {
    const groupId = this.check(m, handle, 'group');
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return [];
    const now = new Date();
    let inserted = 0;
    for (const chunk of chunks(ids)) inserted += await this.insertMembers(m, groupId, chunk, now);
    if (inserted === ids.length) return ids;
    // Some were members already, or could not be added: find which rows this call inserted (they carry its time).
    const rows = await this.membershipsOfAll(m, groupId, ids);
    // None inserted: a row an earlier call wrote in the same millisecond must not read as this call's.
    if (inserted === 0) return [];
    return ids.filter((id) => rows.get(id)!.getTime() === now.getTime());
  }

  async addMembersByKey(
    m: EntityManager,
    handle: DirectoryGroupHandle,
    keys: MemberKeys,
    resolve: () => Promise<readonly DirectoryId[]>,
  ): Promise<number> {
    const groupId = this.check(m, handle, 'group');
    const unique = [...new Set(keys.keys)];
    if (unique.length === 0) return 0;
    const now = new Date();
    let inserted = 0;
    for (const chunk of chunks(unique)) inserted += await this.insertMembersByKey(m, groupId, keys, chunk, now);
    if (inserted === unique.length) return inserted;
    // A key unknown, a user already a member or one that cannot be: the caller's look-up refuses unknown keys, then
    // the users it finds must all be members now (as `addMembers` checks them).
    await this.membershipsOfAll(m, groupId, [...new Set(await resolve())]);
    return inserted;
  }

  async removeMembers(
    m: EntityManager,
    handle: DirectoryGroupHandle,
    userIds: readonly DirectoryId[],
  ): Promise<DirectoryId[]> {
    const groupId = this.check(m, handle, 'group');
    let ids = [...new Set(userIds)];
    if (ids.length === 0) return [];
    // With several ids, which of them are members is read first, so the answer names exactly those removed.
    if (ids.length > 1) {
      const rows = await this.membershipsOf(m, groupId, ids);
      ids = ids.filter((id) => rows.has(id));
      if (ids.length === 0) {
        await this.mustBeManagedGroup(m, groupId);
        return [];
      }
    }
    const removed = await this.deleteMembers(m, groupId, ids);
    if (removed === 0) {
      await this.mustBeManagedGroup(m, groupId);
      return [];
    }
    return ids;
  }

  async replaceMembers(
    m: EntityManager,
    handle: DirectoryGroupHandle,
    userIds: readonly DirectoryId[],
  ): Promise<MemberDelta> {
    const groupId = this.check(m, handle, 'group');
    const wanted = [...new Set(userIds)];
    const rows = await forUpdate(
      m
        .createQueryBuilder(GroupEntity, 'g')
        .leftJoin(GroupMembershipEntity, 'gm', 'gm.groupId = g.id')
        .select('g.managed', 'managed')
        .addSelect('gm.userId', 'user_id')
        .where('g.id = :groupId', { groupId }),
      m,
    ).getRawMany<{ managed: number | boolean; user_id: string | null }>();
    if (rows.length === 0 || !(rows[0].managed === true || Number(rows[0].managed) === 1)) {
      throw DomainRuleError.notFound(GROUP_NOT_FOUND);
    }
    const current = new Set(rows.flatMap((row) => (row.user_id === null ? [] : [row.user_id])));
    const keep = new Set(wanted);
    const removed = [...current].filter((id) => !keep.has(id));
    const added = wanted.filter((id) => !current.has(id));
    if (removed.length) await this.deleteMembers(m, groupId, removed);
    if (added.length) {
      const now = new Date();
      let inserted = 0;
      for (const chunk of chunks(added)) inserted += await this.insertMembers(m, groupId, chunk, now);
      const missing = added.length - inserted;
      if (missing > 0) throw DomainRuleError.notFound(missing === 1 ? USER_NOT_FOUND : `${missing} users not found`);
    }
    return { added, removed };
  }

  async releaseAll(m: EntityManager): Promise<void> {
    await m.update(UserEntity, { managed: true }, { managed: false });
    await m.update(GroupEntity, { managed: true }, { managed: false });
  }

  async resumeAll(m: EntityManager, linked: { users: readonly DirectoryId[]; groups: readonly DirectoryId[] }) {
    // A built-in group is never managed; a local account (a password) never is either.
    for (const chunk of chunks([...linked.users])) {
      await m.update(UserEntity, { id: In(chunk), local: false }, { managed: true });
    }
    for (const chunk of chunks([...linked.groups])) {
      await m.update(GroupEntity, { id: In(chunk), builtIn: IsNull() }, { managed: true });
    }
  }

  /**
   * One INSERT … SELECT that adds only managed users to a managed group (so never to a built-in one), skipping those
   * already in it; answers how many rows it inserted.
   */
  private insertMembers(m: EntityManager, groupId: string, userIds: string[], now: Date): Promise<number> {
    return this.insertMembersFound(
      m,
      groupId,
      now,
      `INNER JOIN ${sqlTable(m, UserEntity)} u ON u.id IN (:...userIds)`,
      '',
      { userIds },
    );
  }

  /**
   * `insertMembers` for users named by keys of the caller's table, found by the INSERT … SELECT itself, whose select
   * takes the shared lock of the caller's own read on MySQL (whatever the isolation level): a key's row deleted by a
   * transaction that committed first is not found, and one deleted later waits for this transaction.
   */
  private insertMembersByKey(
    m: EntityManager,
    groupId: string,
    keys: MemberKeys,
    chunk: string[],
    now: Date,
  ): Promise<number> {
    return this.insertMembersFound(
      m,
      groupId,
      now,
      `INNER JOIN ${keys.table} k ON k.${keys.keyColumn} IN (:...chunk)
       INNER JOIN ${sqlTable(m, UserEntity)} u ON u.id = k.${keys.userColumn}`,
      sharedLockClause(m),
      { chunk },
    );
  }

  /** The INSERT … SELECT of both: the managed users `u` that `usersJoin` finds, into the managed group. */
  private insertMembersFound(
    m: EntityManager,
    groupId: string,
    now: Date,
    usersJoin: string,
    lock: string,
    parameters: Record<string, unknown>,
  ): Promise<number> {
    const ignore = dialectOf(m) === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE';
    const [sql, bound] = namedParameters(
      m,
      `${ignore} INTO ${sqlTable(m, GroupMembershipEntity)} (group_id, user_id, created_at)
       SELECT g.id, u.id, :now FROM ${sqlTable(m, GroupEntity)} g ${usersJoin}
       WHERE g.id = :groupId AND g.managed = 1 AND u.managed = 1${lock}`,
      { ...parameters, groupId, now },
    );
    return changedRows(m, sql, bound);
  }

  /** Deletes the named memberships under the last-administrator rule; answers how many rows it deleted. */
  private async deleteMembers(m: EntityManager, groupId: string, userIds: string[]): Promise<number> {
    let deleted = 0;
    const remove = async (unlessAdmin: boolean) => {
      for (const chunk of chunks(userIds)) {
        const query = m
          .createQueryBuilder()
          .delete()
          .from(GroupMembershipEntity)
          .where('group_id = :groupId AND user_id IN (:...chunk)', { groupId, chunk })
          .andWhere(`EXISTS (SELECT 1 FROM ${sqlTable(m, GroupEntity)} g WHERE g.id = :groupId AND g.managed = 1)`);
        if (unlessAdmin) {
          query.andWhere(
            `NOT EXISTS (SELECT 1 FROM ${sqlTable(m, GroupPermissionEntity)} gp
                         WHERE gp.group_id = :groupId AND gp.permission = :permission)`,
            { permission: ADMIN_PERMISSION },
          );
        }
        deleted += (await query.execute()).affected ?? 0;
      }
    };
    // The usual group grants no administration: the DELETE's own condition reads so. A group that does deletes nothing
    // that way; only then is the permission read, and the memberships deleted under the last-administrator rule.
    await remove(true);
    if (deleted === 0 && (await this.permissions.groupHoldsPermission(groupId, ADMIN_PERMISSION, m))) {
      await this.permissions.keepingAnAdministrator(m, LAST_ADMIN_MESSAGES.removeMember, () => remove(false));
    }
    return deleted;
  }

  /**
   * After an insert that added fewer than named: the group must still be a managed one and every named user a member of
   * it now (one that could not be added is refused as not found); answers their memberships with the time of each.
   */
  private async membershipsOfAll(m: EntityManager, groupId: string, userIds: string[]): Promise<Map<string, Date>> {
    await this.mustBeManagedGroup(m, groupId);
    const rows = await this.membershipsOf(m, groupId, userIds);
    const missing = userIds.filter((id) => !rows.has(id)).length;
    if (missing > 0) throw DomainRuleError.notFound(missing === 1 ? USER_NOT_FOUND : `${missing} users not found`);
    return rows;
  }

  /** The named users' memberships of the group, with the time each was made. */
  private async membershipsOf(m: EntityManager, groupId: string, userIds: string[]): Promise<Map<string, Date>> {
    const found = new Map<string, Date>();
    for (const chunk of chunks(userIds)) {
      const rows = await m.find(GroupMembershipEntity, {
        select: { userId: true, createdAt: true },
        where: { groupId, userId: In(chunk) },
      });
      for (const row of rows) found.set(row.userId, row.createdAt);
    }
    return found;
  }

  private async refuseAdministrator(m: EntityManager, user: Pick<UserEntity, 'id' | 'login'>): Promise<void> {
    if (await this.permissions.isGranted(user.id, ADMIN_PERMISSION, m)) {
      throw DomainRuleError.conflict(`Administrator '${user.login}' cannot be managed by the identity provider`);
    }
  }

  private async mustBeManagedUser(m: EntityManager, id: string): Promise<void> {
    if (!(await m.existsBy(UserEntity, { id, managed: true }))) throw DomainRuleError.notFound(USER_NOT_FOUND);
  }

  private async mustBeManagedGroup(m: EntityManager, id: string): Promise<void> {
    if (!(await m.existsBy(GroupEntity, { id, managed: true }))) throw DomainRuleError.notFound(GROUP_NOT_FOUND);
  }

  private issue(m: EntityManager, kind: HandleKind, id: string): { readonly id: string } {
    const handle = Object.freeze({ id });
    this.issued.set(handle, { manager: m, kind });
    return handle;
  }

  /** The id of a handle this adapter issued in this transaction; anything else is a programming error. */
  private check(m: EntityManager, handle: { id: string }, kind: HandleKind): string {
    const issued = this.issued.get(handle);
    if (!issued || issued.kind !== kind || issued.manager !== m) {
      throw new Error(`Not a ${kind} handle this directory issued in this transaction`);
    }
    return handle.id;
  }
}
