import type { FactoryProvider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import {
  DomainRuleError,
  foldCase,
  normalizeGroupName,
  normalizeLogin,
  validateDisplayValue,
  validateEmail,
} from '@nest-scim/identity';
import { forUpdate, isUniqueViolation } from '@nest-scim/persistence';
import {
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
  ScimDirectory,
  ScimDirectoryError,
} from '../scim-directory.port';
import type { HostEntityDirectoryOptions } from './host-entity-directory.options';

/** Ids per `IN (…)`, well below every database's limit on bound parameters. */
const CHUNK = 500;

/** One mapped property: its column, and what its metadata says a value may be. */
interface Field {
  property: string;
  column: ColumnMetadata;
}

/** An entity as the kit uses it: its metadata, its one primary key and the properties the host named. */
interface Mapped {
  metadata: EntityMetadata;
  key: ColumnMetadata;
  numericKey: boolean;
}

function single<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(what);
  return value;
}

function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(values.slice(i, i + CHUNK));
  return out;
}

/** A refusal of the identity rules' value checks, as the port's error. */
function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof DomainRuleError) throw new ScimDirectoryError('invalid', error.message);
    throw error;
  }
}

/**
 * The directory port over a product's own TypeORM entities: its user, group and membership entities and the properties
 * named in the options. SCIM's own state (ids, externalId, documents, versions) stays in the feature's side tables,
 * keyed by these entities' primary keys; the product's tables hold only what the product has columns for.
 *
 * Every statement runs on the caller's EntityManager, in its transaction. Users and groups are locked with
 * `SELECT … FOR UPDATE` on MySQL (SQLite runs one write transaction at a time), so concurrent membership changes to
 * one group, or two renames, queue instead of interleaving. Values are checked here whatever the caller checked:
 * login and group name by the identity rules (no control characters, no edge whitespace), every text against its
 * column's length, and uniqueness of logins and group names case-insensitively.
 *
 * Case-insensitive look-ups compare `LOWER(column)` with the database's own LOWER: on MySQL it folds all of Unicode,
 * on SQLite only ASCII letters. Users the feature manages are also held unique by the feature's normalized userName.
 */
export class HostEntityDirectory implements ScimDirectory {
  readonly membershipTable: DirectoryMembershipTable;

  private readonly user: Mapped & { login: Field; displayName: Field; email: Field; active: Field };
  private readonly group: Mapped & { name: Field };
  private readonly membership: { metadata: EntityMetadata; group: Field; user: Field };
  /** The handles this adapter issued, with the transaction each belongs to. */
  private readonly issued = new WeakMap<object, { manager: EntityManager; kind: 'user' | 'group' }>();

  constructor(
    dataSource: DataSource,
    private readonly options: HostEntityDirectoryOptions,
  ) {
    const userMeta = dataSource.getMetadata(options.user.entity);
    const groupMeta = dataSource.getMetadata(options.group.entity);
    const memberMeta = dataSource.getMetadata(options.membership.entity);
    this.user = {
      ...this.mapped(userMeta),
      login: this.field(userMeta, options.user.login),
      displayName: this.field(userMeta, options.user.displayName),
      email: this.field(userMeta, options.user.email),
      active: this.field(userMeta, options.user.active),
    };
    this.group = { ...this.mapped(groupMeta), name: this.field(groupMeta, options.group.name) };
    this.membership = {
      metadata: memberMeta,
      group: this.field(memberMeta, options.membership.group),
      user: this.field(memberMeta, options.membership.user),
    };
    this.membershipTable = {
      table: memberMeta.tablePath,
      groupColumn: this.membership.group.column.databaseName,
      userColumn: this.membership.user.column.databaseName,
    };
  }

  // ---- users -------------------------------------------------------------------------------------------------------

  async findUserById(m: EntityManager, id: DirectoryId): Promise<DirectoryUser | null> {
    const key = this.keyOf(this.user, id);
    if (key === undefined) return null;
    const row = await this.users(m).where(`u.${this.user.key.propertyPath} = :key`, { key }).getOne();
    return row ? this.toUser(row) : null;
  }

  async findUserByUserName(m: EntityManager, userName: string): Promise<DirectoryUser | null> {
    if (typeof userName !== 'string' || userName === '') return null;
    const rows = await this.users(m)
      .where(`LOWER(u.${this.user.login.property}) = LOWER(:userName)`, { userName })
      .getMany();
    // The login as given first, then one equal to it once case is folded.
    const exact = rows.find((row) => row[this.user.login.property] === userName);
    const folded = foldCase(userName);
    const match = exact ?? rows.find((row) => foldCase(String(row[this.user.login.property])) === folded);
    return match ? this.toUser(match) : null;
  }

  async createUser(m: EntityManager, fields: DirectoryUserInput): Promise<CreateUserResult> {
    const values = this.userValues(fields);
    const existing = await this.findUserByUserName(m, fields.userName);
    if (existing) return { outcome: 'existing', existing };
    const key = await this.insert(m, this.user, {
      [this.user.login.property]: values.userName,
      [this.user.displayName.property]: values.displayName,
      [this.user.email.property]: values.email,
      [this.user.active.property]: fields.active === true,
    });
    return { outcome: 'created', user: this.issue(m, 'user', key) as DirectoryUserHandle };
  }

  async adoptUser(m: EntityManager, id: DirectoryId, fields: DirectoryUserInput): Promise<DirectoryUserHandle> {
    const values = this.userValues(fields);
    const current = await this.lockedUser(m, id);
    if (!current) throw new ScimDirectoryError('not_found', 'User not found');
    const mayAdopt = this.options.mayAdopt ? await this.options.mayAdopt(m, current) : false;
    if (!mayAdopt) throw new ScimDirectoryError('conflict', 'This userName belongs to an account of the product');
    await this.assertLoginFree(m, values.userName, current.id);
    await this.updateRow(m, this.user, current.id, {
      [this.user.login.property]: values.userName,
      [this.user.displayName.property]: values.displayName,
      [this.user.email.property]: values.email,
      [this.user.active.property]: fields.active === true,
    });
    return this.issue(m, 'user', current.id) as DirectoryUserHandle;
  }

  async lockUser(m: EntityManager, id: DirectoryId): Promise<DirectoryUserHandle | null> {
    const current = await this.lockedUser(m, id);
    return current ? (this.issue(m, 'user', current.id) as DirectoryUserHandle) : null;
  }

  async updateUser(m: EntityManager, user: DirectoryUserHandle, changes: DirectoryUserChanges): Promise<void> {
    this.assertIssued(m, user, 'user');
    const set: ObjectLiteral = {};
    if (changes.userName !== undefined) {
      const userName = checked(() => this.text(this.user.login, changes.userName, 'userName', normalizeLogin));
      await this.assertLoginFree(m, userName, user.id);
      set[this.user.login.property] = userName;
    }
    if (changes.displayName !== undefined) {
      set[this.user.displayName.property] = checked(() =>
        this.text(this.user.displayName, changes.displayName, 'displayName', validateDisplayValue),
      );
    }
    if (changes.email !== undefined) set[this.user.email.property] = this.email(changes.email);
    if (Object.keys(set).length) await this.updateRow(m, this.user, user.id, set);
  }

  async deactivateUser(m: EntityManager, user: DirectoryUserHandle): Promise<void> {
    this.assertIssued(m, user, 'user');
    await this.updateRow(m, this.user, user.id, { [this.user.active.property]: false });
  }

  async reactivateUser(m: EntityManager, user: DirectoryUserHandle): Promise<void> {
    this.assertIssued(m, user, 'user');
    await this.updateRow(m, this.user, user.id, { [this.user.active.property]: true });
  }

  async deleteUser(m: EntityManager, user: DirectoryUserHandle): Promise<void> {
    this.assertIssued(m, user, 'user');
    const key = this.keyOf(this.user, user.id)!;
    await m.delete(this.membership.metadata.target, { [this.membership.user.property]: key });
    if (this.options.userDeletion === 'remove') {
      await m.delete(this.user.metadata.target, { [this.user.key.propertyPath]: key });
    } else {
      await this.updateRow(m, this.user, user.id, { [this.user.active.property]: false });
    }
    this.issued.delete(user);
  }

  // ---- groups ------------------------------------------------------------------------------------------------------

  async createGroup(m: EntityManager, fields: DirectoryGroupInput): Promise<DirectoryGroupHandle> {
    const name = this.groupName(fields?.displayName);
    await this.assertGroupNameFree(m, name, undefined);
    const key = await this.insert(m, this.group, { [this.group.name.property]: name });
    return this.issue(m, 'group', key) as DirectoryGroupHandle;
  }

  async findGroupByName(m: EntityManager, displayName: string): Promise<DirectoryGroup | null> {
    return (await this.groupsNamed(m, displayName))[0] ?? null;
  }

  async adoptGroup(m: EntityManager, id: DirectoryId, fields: DirectoryGroupInput): Promise<DirectoryGroupHandle> {
    const name = this.groupName(fields?.displayName);
    const handle = await this.lockGroup(m, id);
    if (!handle) throw new ScimDirectoryError('not_found', 'Group not found');
    const current = (await this.groupsNamed(m, name)).find((group) => group.id === id);
    const mayAdopt = current && this.options.mayAdoptGroup ? await this.options.mayAdoptGroup(m, current) : false;
    if (!mayAdopt) throw new ScimDirectoryError('conflict', 'This displayName belongs to a group of the product');
    await this.assertGroupNameFree(m, name, id);
    await this.updateRow(m, this.group, id, { [this.group.name.property]: name });
    return handle;
  }

  async lockGroup(m: EntityManager, id: DirectoryId): Promise<DirectoryGroupHandle | null> {
    const key = this.keyOf(this.group, id);
    if (key === undefined) return null;
    const qb = m
      .createQueryBuilder(this.group.metadata.target, 'g')
      .select(`g.${this.group.key.propertyPath}`)
      .where(`g.${this.group.key.propertyPath} = :key`, { key });
    const row = await forUpdate(qb, m).getOne();
    return row ? (this.issue(m, 'group', id) as DirectoryGroupHandle) : null;
  }

  async renameGroup(m: EntityManager, group: DirectoryGroupHandle, displayName: string): Promise<void> {
    this.assertIssued(m, group, 'group');
    const name = this.groupName(displayName);
    await this.assertGroupNameFree(m, name, group.id);
    await this.updateRow(m, this.group, group.id, { [this.group.name.property]: name });
  }

  async deleteGroup(m: EntityManager, group: DirectoryGroupHandle): Promise<void> {
    this.assertIssued(m, group, 'group');
    const key = this.keyOf(this.group, group.id)!;
    await m.delete(this.membership.metadata.target, { [this.membership.group.property]: key });
    const result = await m.delete(this.group.metadata.target, { [this.group.key.propertyPath]: key });
    if (result.affected === 0) throw new ScimDirectoryError('not_found', 'Group not found');
    this.issued.delete(group);
  }

  // ---- memberships -------------------------------------------------------------------------------------------------

  async addMembers(
    m: EntityManager,
    group: DirectoryGroupHandle,
    userIds: readonly DirectoryId[],
  ): Promise<DirectoryId[]> {
    this.assertIssued(m, group, 'group');
    const ids = await this.existingUsers(m, userIds);
    if (ids.length === 0) return [];
    const groupKey = this.keyOf(this.group, group.id)!;
    const present = await this.membersAmong(m, groupKey, ids);
    const added = ids.filter((id) => !present.has(id));
    for (const part of chunks(added)) {
      await m
        .createQueryBuilder()
        .insert()
        .into(this.membership.metadata.target)
        .values(
          part.map((id) => ({
            [this.membership.group.property]: groupKey,
            [this.membership.user.property]: this.keyOf(this.user, id),
          })),
        )
        .execute();
    }
    return added;
  }

  async removeMembers(
    m: EntityManager,
    group: DirectoryGroupHandle,
    userIds: readonly DirectoryId[],
  ): Promise<DirectoryId[]> {
    this.assertIssued(m, group, 'group');
    const ids = this.distinctKeys(userIds);
    if (ids.length === 0) return [];
    const groupKey = this.keyOf(this.group, group.id)!;
    const present = await this.membersAmong(m, groupKey, ids);
    const removed = ids.filter((id) => present.has(id));
    for (const part of chunks(removed)) {
      await m
        .createQueryBuilder()
        .delete()
        .from(this.membership.metadata.target)
        .where(`${this.membership.group.column.databaseName} = :groupKey`, { groupKey })
        .andWhere(`${this.membership.user.column.databaseName} IN (:...users)`, {
          users: part.map((id) => this.keyOf(this.user, id)),
        })
        .execute();
    }
    return removed;
  }

  async replaceMembers(
    m: EntityManager,
    group: DirectoryGroupHandle,
    userIds: readonly DirectoryId[],
  ): Promise<MemberDelta> {
    this.assertIssued(m, group, 'group');
    const wanted = new Set(await this.existingUsers(m, userIds));
    const current = await this.allMembers(m, this.keyOf(this.group, group.id)!);
    const removed = await this.removeMembers(
      m,
      group,
      current.filter((id) => !wanted.has(id)),
    );
    const added = await this.addMembers(m, group, [...wanted]);
    return { added, removed };
  }

  /** The product keeps no managed state of its own: the feature's side tables are all there is to release. */
  async releaseAll(_m: EntityManager): Promise<void> {}

  async resumeAll(_m: EntityManager): Promise<void> {}

  // ---- internals ---------------------------------------------------------------------------------------------------

  private mapped(metadata: EntityMetadata): Mapped {
    if (metadata.primaryColumns.length !== 1) {
      throw new Error(`HostEntityDirectory: ${metadata.name} must have exactly one primary key column`);
    }
    const key = metadata.primaryColumns[0];
    const numericKey = key.type === Number || /int|numeric|decimal/i.test(String(key.type));
    if (!key.isGenerated && !this.options.newId) {
      throw new Error(`HostEntityDirectory: ${metadata.name}'s primary key is not generated; pass newId`);
    }
    return { metadata, key, numericKey };
  }

  private field(metadata: EntityMetadata, property: string): Field {
    const column = single(
      metadata.findColumnWithPropertyPath(property),
      `HostEntityDirectory: ${metadata.name} has no column property '${property}'`,
    );
    return { property, column };
  }

  /** The primary key value of a DirectoryId, or undefined when it cannot name a row (`12x` for an integer key). */
  private keyOf(entity: Mapped, id: DirectoryId): number | string | undefined {
    if (typeof id !== 'string' || id === '') return undefined;
    if (!entity.numericKey) return id.length <= 255 ? id : undefined;
    if (!/^(0|[1-9][0-9]{0,15})$/.test(id)) return undefined;
    const key = Number(id);
    return Number.isSafeInteger(key) ? key : undefined;
  }

  private users(m: EntityManager): SelectQueryBuilder<ObjectLiteral> {
    return m.createQueryBuilder(this.user.metadata.target, 'u');
  }

  private toUser(row: ObjectLiteral): DirectoryUser {
    const active = row[this.user.active.property] as unknown;
    return {
      id: String(row[this.user.key.propertyPath]),
      userName: String(row[this.user.login.property]),
      displayName: String(row[this.user.displayName.property] ?? ''),
      email: (row[this.user.email.property] as string | null | undefined) ?? null,
      active: active === true || active === 1 || active === '1',
    };
  }

  private async lockedUser(m: EntityManager, id: DirectoryId): Promise<DirectoryUser | null> {
    const key = this.keyOf(this.user, id);
    if (key === undefined) return null;
    const qb = this.users(m).where(`u.${this.user.key.propertyPath} = :key`, { key });
    const row = await forUpdate(qb, m).getOne();
    return row ? this.toUser(row) : null;
  }

  private issue(m: EntityManager, kind: 'user' | 'group', id: DirectoryId): DirectoryUserHandle | DirectoryGroupHandle {
    const handle = Object.freeze({ id });
    this.issued.set(handle, { manager: m, kind });
    return handle;
  }

  /** A handle is good only in the transaction, and for the kind, it was issued for, by this adapter. */
  private assertIssued(m: EntityManager, handle: { id: DirectoryId } | undefined, kind: 'user' | 'group'): void {
    const issued = handle && typeof handle === 'object' ? this.issued.get(handle) : undefined;
    if (!issued || issued.manager !== m || issued.kind !== kind) {
      throw new Error(`HostEntityDirectory: a ${kind} handle this adapter did not issue in this transaction`);
    }
  }

  private userValues(fields: DirectoryUserInput): { userName: string; displayName: string; email: string | null } {
    if (!fields || typeof fields !== 'object') throw new ScimDirectoryError('invalid', 'User fields are missing');
    if (typeof fields.active !== 'boolean') throw new ScimDirectoryError('invalid', "'active' must be a boolean");
    return {
      userName: checked(() => this.text(this.user.login, fields.userName, 'userName', normalizeLogin)),
      displayName: checked(() =>
        this.text(this.user.displayName, fields.displayName, 'displayName', validateDisplayValue),
      ),
      email: this.email(fields.email),
    };
  }

  /** A text value for a column: a non-empty string that fits the column, checked further by `rule` if given. */
  private text(field: Field, value: unknown, what: string, rule?: (value: string, what: string) => unknown): string {
    if (typeof value !== 'string' || value === '')
      throw new ScimDirectoryError('invalid', `'${what}' must not be empty`);
    rule?.(value, `'${what}'`);
    const max = Number(field.column.length) || undefined;
    if (max !== undefined && value.length > max) {
      throw new ScimDirectoryError('invalid', `'${what}' is too long (${max} characters max)`);
    }
    return value;
  }

  private email(value: unknown): string | null {
    if (value === null || value === undefined || value === '') {
      if (this.user.email.column.isNullable) return null;
      throw new ScimDirectoryError('invalid', 'An email is required');
    }
    return this.text(this.user.email, value, 'email', (email) => {
      try {
        validateEmail(email);
      } catch (error) {
        // Identity's message quotes the address; a SCIM refusal does not echo what was sent.
        if (error instanceof DomainRuleError) throw new ScimDirectoryError('invalid', "'email' is not a valid address");
        throw error;
      }
    });
  }

  private groupName(value: unknown): string {
    return checked(() => this.text(this.group.name, value, 'displayName', normalizeGroupName));
  }

  private async assertLoginFree(m: EntityManager, userName: string, self: DirectoryId): Promise<void> {
    const holder = await this.findUserByUserName(m, userName);
    if (holder && holder.id !== self) {
      throw new ScimDirectoryError('conflict', 'A user with this userName already exists');
    }
  }

  /** The groups whose name is `name` case-insensitively, other than `self`. */
  private async groupsNamed(m: EntityManager, name: string, self?: DirectoryId): Promise<DirectoryGroup[]> {
    const rows = await m
      .createQueryBuilder(this.group.metadata.target, 'g')
      .where(`LOWER(g.${this.group.name.property}) = LOWER(:name)`, { name })
      .getMany();
    const folded = foldCase(name);
    return rows
      .map((row) => ({
        id: String(row[this.group.key.propertyPath]),
        displayName: String(row[this.group.name.property]),
      }))
      .filter((group) => group.id !== self && foldCase(group.displayName) === folded);
  }

  private async assertGroupNameFree(m: EntityManager, name: string, self: DirectoryId | undefined): Promise<void> {
    if ((await this.groupsNamed(m, name, self)).length > 0) {
      throw new ScimDirectoryError('conflict', 'A group with this displayName already exists');
    }
  }

  /** Inserts a row and answers its primary key as a DirectoryId; a unique index refusing it is a conflict. */
  private async insert(m: EntityManager, entity: Mapped, values: ObjectLiteral): Promise<DirectoryId> {
    const row = entity.key.isGenerated ? values : { ...values, [entity.key.propertyPath]: this.options.newId!() };
    try {
      const result = await m.insert(entity.metadata.target, row);
      const key = result.identifiers[0]?.[entity.key.propertyPath] ?? row[entity.key.propertyPath];
      return String(key);
    } catch (error) {
      if (isUniqueViolation(error)) throw this.taken(entity);
      throw error;
    }
  }

  /** A unique index of the product refused a value (a login or name the look-up before did not see, or a race). */
  private taken(entity: Mapped): ScimDirectoryError {
    return new ScimDirectoryError(
      'conflict',
      entity === this.user
        ? 'A user with this userName already exists'
        : 'A group with this displayName already exists',
    );
  }

  private async updateRow(m: EntityManager, entity: Mapped, id: DirectoryId, set: ObjectLiteral): Promise<void> {
    const key = this.keyOf(entity, id);
    try {
      const result = await m.update(entity.metadata.target, { [entity.key.propertyPath]: key }, set);
      if (result.affected === 0) throw new ScimDirectoryError('not_found', `The ${entity.metadata.name} is gone`);
    } catch (error) {
      if (isUniqueViolation(error)) throw this.taken(entity);
      throw error;
    }
  }

  /** The distinct ids that can name a user row, in the order given. */
  private distinctKeys(userIds: readonly DirectoryId[]): DirectoryId[] {
    const out: DirectoryId[] = [];
    const seen = new Set<DirectoryId>();
    for (const id of userIds ?? []) {
      const key = this.keyOf(this.user, id);
      if (key === undefined || seen.has(String(key))) continue;
      seen.add(String(key));
      out.push(String(key));
    }
    return out;
  }

  /** The given users, deduplicated and in order; every one must exist (`not_found` otherwise). */
  private async existingUsers(m: EntityManager, userIds: readonly DirectoryId[]): Promise<DirectoryId[]> {
    if (!Array.isArray(userIds)) throw new ScimDirectoryError('invalid', 'Members must be a list');
    const ids = this.distinctKeys(userIds);
    if (ids.length !== new Set(userIds).size) throw new ScimDirectoryError('not_found', 'A member does not exist');
    const found = new Set<string>();
    for (const part of chunks(ids)) {
      const rows = await m
        .createQueryBuilder(this.user.metadata.target, 'u')
        .select(`u.${this.user.key.propertyPath}`, 'id')
        .where(`u.${this.user.key.propertyPath} IN (:...keys)`, { keys: part.map((id) => this.keyOf(this.user, id)) })
        .getRawMany<{ id: unknown }>();
      for (const row of rows) found.add(String(row.id));
    }
    if (ids.some((id) => !found.has(id))) throw new ScimDirectoryError('not_found', 'A member does not exist');
    return ids;
  }

  /** Which of `ids` are members of the group. */
  private async membersAmong(m: EntityManager, groupKey: number | string, ids: DirectoryId[]): Promise<Set<string>> {
    const present = new Set<string>();
    for (const part of chunks(ids)) {
      const rows = await m
        .createQueryBuilder(this.membership.metadata.target, 'gm')
        .select(`gm.${this.membership.user.property}`, 'user_id')
        .where(`gm.${this.membership.group.property} = :groupKey`, { groupKey })
        .andWhere(`gm.${this.membership.user.property} IN (:...users)`, {
          users: part.map((id) => this.keyOf(this.user, id)),
        })
        .getRawMany<{ user_id: unknown }>();
      for (const row of rows) present.add(String(row.user_id));
    }
    return present;
  }

  private async allMembers(m: EntityManager, groupKey: number | string): Promise<DirectoryId[]> {
    const rows = await m
      .createQueryBuilder(this.membership.metadata.target, 'gm')
      .select(`gm.${this.membership.user.property}`, 'user_id')
      .where(`gm.${this.membership.group.property} = :groupKey`, { groupKey })
      .getRawMany<{ user_id: unknown }>();
    return rows.map((row) => String(row.user_id));
  }
}

/**
 * The kit as the provider `ScimProvisioningModule.forRootAsync({ directory })` takes: a HostEntityDirectory over the
 * host's data source named `dataSource` (the default one when unset), which must be the connection the feature's
 * tables are on, so that the product's rows and SCIM's commit in one transaction.
 */
export function hostEntityDirectory<
  User extends ObjectLiteral,
  Group extends ObjectLiteral,
  Member extends ObjectLiteral,
>(
  options: HostEntityDirectoryOptions<User, Group, Member>,
  dataSource?: string,
): Omit<FactoryProvider<ScimDirectory>, 'provide'> {
  return {
    inject: [getDataSourceToken(dataSource)],
    useFactory: (source: DataSource) => new HostEntityDirectory(source, options as HostEntityDirectoryOptions),
  };
}
