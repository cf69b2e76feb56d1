import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { foldCase, InjectIdentityDataSource } from '@nest-scim/identity';
import {
  dialectOf,
  forUpdateClause,
  isUniqueViolation,
  persistentValue,
  readTimestamp,
  runFixedStatement,
  sharedLockClause,
  sqlTable,
} from '@nest-scim/persistence';
import { ProvisioningModeService } from '@nest-scim/saml';
import {
  applyPatch,
  assertIfMatch,
  GROUP_RESOURCE_TYPE,
  membershipChanges,
  MembershipChanges,
  PatchOperation,
  ScimError,
  ScimListRequest,
  ScimListResult,
  ScimObject,
  ScimRequestContext,
  ScimResourceData,
  ScimResourceStore,
  StoredResource,
} from '@nest-scim/scim';
import { compileFilter } from './filter';
import {
  DirectoryGroupHandle,
  DirectoryId,
  DirectoryMembershipTable,
  MemberDelta,
  MemberKeys,
  SCIM_DIRECTORY,
  ScimDirectory,
} from './directory/scim-directory.port';
import { ScimHookGroup } from './directory/scim-provisioning.hooks';
import { ScimHookRunner } from './directory/scim-hook.runner';
import { groupFilterTargets } from './group-filter.targets';
import { ScimGroupLinkEntity } from './scim-group-link.entity';
import { ScimUserLinkEntity } from './scim-user-link.entity';
import { ScimUserProfileEntity } from './scim-user-profile.entity';
import { ScimGroupProfileEntity } from './scim-group-profile.entity';
import { ScimAuditTrail } from './scim-audit-trail.service';
import { ScimTransactions } from './scim-transactions';
import { dateParameter, readPage } from './scim-sql.util';

/** Ids per `IN (…)` when resolving members. */
const LOOKUP_CHUNK = 500;

/**
 * Members read per statement when an answer shows them: a group with more is answered page by page (the SCIM layer
 * streams the answer), so the memory a read takes does not grow with the group.
 */
export const MEMBER_PAGE = 1000;

/** How many times a read starts again when the group changes between its row and its first page of members. */
const MEMBER_READ_ATTEMPTS = 3;

/** A member as the membership query reads it; `member_key` is the directory's user id, the pages' order. */
interface MemberRow {
  group_id: string | number;
  member_key: string | number;
  scim_id: string;
  display_name: string | null;
  user_name: string;
  version: number | string;
}

/** The group's version moved while its members were read in pages: the answer would mix two versions. */
class GroupChangedWhileRead extends ScimError {
  constructor() {
    super(503, 'The group changed while its members were read; send the request again', undefined, {
      'Retry-After': '1',
    });
  }
}

interface GroupRow {
  scim_id: string;
  group_id: string;
  name: string;
  external_id: string | null;
  version: number;
  created_at: unknown;
  updated_at: unknown;
}

/** A group as a write holds it: its side row locked, and the directory's handle. */
interface LockedGroupRow extends GroupRow {
  handle: DirectoryGroupHandle;
}

/** Text the databases do not store as given: each turns a lone surrogate into replacement characters. */
const LONE_SURROGATE = /\p{Cs}/u;

const GROUP_NAME_TAKEN = 'A group with this displayName already exists';

/** A group another SCIM group links already, found by the link table's unique index. */
async function uniqueGroupLink<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw ScimError.uniqueness(GROUP_NAME_TAKEN);
    throw error;
  }
}

function hookGroup(row: GroupRow): ScimHookGroup {
  return { id: row.group_id, scimId: row.scim_id, displayName: row.name };
}

/** The SCIM ids named in a `members` list (POST/PUT bodies). */
function memberIds(data: ScimResourceData): string[] {
  const members = data.core.members;
  if (!Array.isArray(members)) return [];
  return members.map((member) => {
    const value = (member as ScimObject).value;
    if (typeof value !== 'string' || value === '') throw ScimError.invalidValue("Each member needs a 'value'");
    return value;
  });
}

/**
 * /Groups mapped onto the product's groups through the directory port. Memberships change as deltas (the directory
 * adds and removes the named members only), so their cost does not grow with the group, and two PATCH requests to one
 * group never lose each other's members: the group's side rows are locked first, which orders them.
 */
@Injectable()
export class ScimGroupsStore implements ScimResourceStore {
  private readonly tx: ScimTransactions;
  private readonly targets: ReturnType<typeof groupFilterTargets>;
  /** The directory's membership table (its columns escaped for SQL). */
  private readonly membership: DirectoryMembershipTable;
  /**
   * The statements of a membership PATCH, written once (the table prefix is the data source's): built through the
   * query builder on every request, they cost more than they take to run.
   */
  private readonly sql: { row: string; links: string; touch: string };
  /** The side table of SCIM users as `addMembersByKey` names it. */
  private readonly memberKeys: Omit<MemberKeys, 'keys'>;

  constructor(
    @InjectIdentityDataSource() private readonly dataSource: DataSource,
    @Inject(SCIM_DIRECTORY) private readonly directory: ScimDirectory,
    mode: ProvisioningModeService,
    private readonly audit: ScimAuditTrail,
    private readonly hooks: ScimHookRunner,
  ) {
    this.tx = new ScimTransactions(dataSource, mode);
    const links = sqlTable(dataSource, ScimGroupLinkEntity);
    const profiles = sqlTable(dataSource, ScimGroupProfileEntity);
    this.sql = {
      row:
        'SELECT sg.scim_id AS scim_id, sg.group_id AS group_id, p.display_name AS name, p.external_id AS external_id, ' +
        'p.version AS version, p.created_at AS created_at, p.updated_at AS updated_at ' +
        `FROM ${links} sg INNER JOIN ${profiles} p ON p.group_id = sg.group_id WHERE sg.scim_id = ?`,
      links: `SELECT su.scim_id AS scim_id, su.user_id AS user_id FROM ${sqlTable(dataSource, ScimUserLinkEntity)} su`,
      touch:
        `UPDATE ${profiles} SET display_name = ?, display_name_normalized = ?, external_id = ?, version = ?, ` +
        'updated_at = ? WHERE group_id = ?',
    };
    const escape = (name: string) => dataSource.driver.escape(name);
    this.memberKeys = {
      table: sqlTable(dataSource, ScimUserLinkEntity),
      keyColumn: escape('scim_id'),
      userColumn: escape('user_id'),
    };
    const table = directory.membershipTable;
    this.membership = {
      table: table.table,
      groupColumn: escape(table.groupColumn),
      userColumn: escape(table.userColumn),
    };
    this.targets = groupFilterTargets(
      { ...this.membership, table: escape(table.table) },
      sqlTable(dataSource, ScimUserLinkEntity),
    );
  }

  list(request: ScimListRequest, context: ScimRequestContext): Promise<ScimListResult> {
    return this.tx.read((m) => this.listWith(m, request, context));
  }

  private async listWith(
    m: EntityManager,
    request: ScimListRequest,
    context: ScimRequestContext,
  ): Promise<ScimListResult> {
    const dialect = dialectOf(this.dataSource);
    const base = () => {
      const qb = this.from(m);
      if (request.filter) {
        const compiled = compileFilter(request.filter, this.targets, { formatDate: dateParameter(dialect) });
        qb.where(compiled.where, compiled.params);
      }
      return qb;
    };
    const { totalResults, rows } = await readPage<GroupRow, ReturnType<typeof base>>(
      base,
      (qb) => this.selectRows(qb),
      ['p.created_at', 'sg.scim_id'],
      request,
      this.targets,
    );
    // Each group's members are read page by page as the answer is written, never the whole page's at once.
    return {
      totalResults,
      resources: rows.map((row) =>
        request.withMembers ? this.pagedMembers(row, context) : this.toStored(row, undefined),
      ),
    };
  }

  /**
   * The group, and when the answer shows them its members: whole when they fit in one page (one answer like any
   * other), otherwise the first page read here and the others as the answer is written.
   */
  async get(id: string, context: ScimRequestContext): Promise<StoredResource | undefined> {
    for (let attempt = 1; ; attempt++) {
      const row = await this.tx.read((m) => this.row(m, id, false));
      if (!row || !context.withMembers) return row && this.toStored(row, undefined);
      try {
        const first = await this.memberPage(row, context, undefined);
        if (first.members.length < MEMBER_PAGE) return this.toStored(row, first.members);
        return this.pagedMembers(row, context, first);
      } catch (error) {
        if (!(error instanceof GroupChangedWhileRead) || attempt >= MEMBER_READ_ATTEMPTS) throw error;
      }
    }
  }

  /** The group with its members to be read in pages, starting with `first` when it was read already. */
  private pagedMembers(
    row: GroupRow,
    context: ScimRequestContext,
    first?: { members: ScimObject[]; last?: string | number },
  ): StoredResource {
    const pages = async function* (this: ScimGroupsStore): AsyncGenerator<ScimObject[]> {
      let page = first ?? (await this.memberPage(row, context, undefined));
      for (;;) {
        yield page.members;
        if (page.members.length < MEMBER_PAGE) return;
        page = await this.memberPage(row, context, page.last);
      }
    };
    return { ...this.toStored(row, undefined), paged: { attribute: 'members', pages: () => pages.call(this) } };
  }

  /**
   * One page of the group's members after `after` (the directory's user id, in its order), in one statement that also
   * reads the group's version: a page read once the group has changed fails (GroupChangedWhileRead). The checks hold
   * for every change made through SCIM, as each moves the version.
   */
  private memberPage(
    row: GroupRow,
    context: ScimRequestContext,
    after: string | number | undefined,
  ): Promise<{ members: ScimObject[]; last?: string | number }> {
    return this.tx.read(async (m) => {
      const qb = this.memberQuery(m, row.group_id)
        .innerJoin(ScimGroupProfileEntity, 'p', `p.group_id = gm.${this.membership.groupColumn}`)
        .addSelect('p.version', 'version')
        .limit(MEMBER_PAGE);
      if (after !== undefined) qb.andWhere(`gm.${this.membership.userColumn} > :after`, { after });
      const rows = await qb.getRawMany<MemberRow>();
      // An empty page shows no version: the group's row says whether it is still the one being answered.
      const version =
        rows.length > 0
          ? rows[0].version
          : (
              await m
                .createQueryBuilder(ScimGroupProfileEntity, 'p')
                .select('p.version', 'version')
                .where('p.group_id = :groupId', { groupId: row.group_id })
                .getRawOne<{ version: number | string }>()
            )?.version;
      if (Number(version) !== Number(row.version)) throw new GroupChangedWhileRead();
      return { members: rows.map((member) => this.member(member, context)), last: rows.at(-1)?.member_key };
    });
  }

  create(data: ScimResourceData, context: ScimRequestContext): Promise<StoredResource> {
    const members = memberIds(data);
    const externalId = this.externalId(data);
    return this.write(async (m) => {
      const displayName = data.core.displayName as string;
      // Entra looks groups up by displayName among SCIM groups only: a product group of that name that SCIM does not
      // manage yet is adopted (the directory refuses built-in groups and groups it keeps), as users are, rather than
      // answered 409 on every cycle. One SCIM manages already is a 409.
      const existing = await this.directory.findGroupByName(m, displayName);
      if (existing && (await m.existsBy(ScimGroupLinkEntity, { groupId: existing.id }))) {
        throw ScimError.uniqueness(GROUP_NAME_TAKEN);
      }
      const handle = existing
        ? await this.directory.adoptGroup(m, existing.id, { displayName })
        : await this.directory.createGroup(m, { displayName });
      const adopted = existing !== null;
      const scimId = randomUUID();
      const now = new Date();
      // A concurrent create that adopted the same group first wins.
      await uniqueGroupLink(() => m.insert(ScimGroupLinkEntity, { scimId, groupId: handle.id, createdAt: now }));
      await m.insert(ScimGroupProfileEntity, {
        groupId: handle.id,
        displayName,
        displayNameNormalized: foldCase(displayName),
        externalId,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      const row: GroupRow = {
        scim_id: scimId,
        group_id: handle.id,
        name: displayName,
        external_id: externalId,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      // userIds found every member through its side row, read with a shared lock.
      const added = members.length ? await this.directory.addMembers(m, handle, await this.userIds(m, members)) : [];
      await this.audit.record(m, {
        context,
        action: adopted ? 'adopt' : 'create',
        resourceType: 'Group',
        resourceId: scimId,
        internalId: handle.id,
        after: data,
        members: { added: members },
      });
      await this.hooks.emit('created', m, { resourceType: 'Group', group: hookGroup(row), adopted });
      await this.emitMembers(m, row, { added, removed: [] });
      // A new group's members are those just added: none to read when none were sent (an adopted one keeps its own).
      return this.answer(m, row, context, members.length === 0 && !adopted);
    });
  }

  replace(id: string, data: ScimResourceData, context: ScimRequestContext): Promise<StoredResource> {
    const members = memberIds(data);
    return this.write(async (m) => {
      const current = await this.mustLock(m, id, context);
      const userIds = await this.userIds(m, members);
      const before = this.dataOf(current);
      await this.rename(m, current, data);
      const delta = await this.directory.replaceMembers(m, current.handle, userIds);
      if (!this.changes(before, data) && delta.added.length + delta.removed.length === 0) {
        return this.answer(m, current, context);
      }
      const written = await this.touch(m, current, data);
      await this.audit.record(m, {
        context,
        action: 'replace',
        resourceType: 'Group',
        resourceId: id,
        internalId: current.group_id,
        before,
        after: data,
        members: { added: members, removedAll: true },
      });
      await this.emitChanges(m, current, written);
      await this.emitMembers(m, written, delta);
      return this.answer(m, written, context);
    });
  }

  patch(id: string, operations: PatchOperation[], context: ScimRequestContext): Promise<StoredResource> {
    const delta = membershipChanges(operations);
    return this.write(async (m) => {
      const current = await this.mustLock(m, id, context);
      const before = this.dataOf(current);
      const result = applyPatch(before, operations, GROUP_RESOURCE_TYPE, { handledElsewhere: ['members'] });
      if (typeof result.resource.core.displayName !== 'string') {
        throw ScimError.invalidValue("Attribute 'displayName' is required");
      }
      let changedMembers: MemberDelta = { added: [], removed: [] };
      // Entra's add-only PATCH: the directory finds the members as it adds them (undefined: not such a PATCH). No hook
      // listens for memberships then, so how many it added is all the rest needs.
      const addedByKey = await this.addOnly(m, current, delta, result.resource);
      if (addedByKey === undefined) {
        // Every named member is resolved before anything is written: an unknown one refuses the whole request.
        const additions = await this.userIds(m, delta.replaceWith ?? delta.add);
        await this.rename(m, current, result.resource);
        if (delta.removeAll) {
          changedMembers = await this.directory.replaceMembers(m, current.handle, additions);
        } else {
          // The group's side row is locked above and userIds found the additions through theirs.
          if (delta.remove.length) {
            const removable = await this.knownUserIds(m, delta.remove);
            if (removable.length)
              changedMembers.removed = await this.directory.removeMembers(m, current.handle, removable);
          }
          if (additions.length) changedMembers.added = await this.directory.addMembers(m, current.handle, additions);
        }
      }
      const membersChanged = (addedByKey ?? 0) + changedMembers.added.length + changedMembers.removed.length > 0;
      // A PATCH that changes nothing (removing non-members, adding members again) leaves the version as it is.
      if (!result.changed && !membersChanged) return this.answer(m, current, context);
      const written = await this.touch(m, current, result.resource);
      await this.audit.record(m, {
        context,
        action: 'patch',
        resourceType: 'Group',
        resourceId: id,
        internalId: current.group_id,
        before,
        after: result.resource,
        members: { added: delta.replaceWith ?? delta.add, removed: delta.remove, removedAll: delta.removeAll },
      });
      if (result.changed) await this.emitChanges(m, current, written);
      await this.emitMembers(m, written, changedMembers);
      // Entra's PATCH answers 204 and uses only the version; with `excludedAttributes=members` the answer is the row.
      return this.answer(m, written, context);
    });
  }

  delete(id: string, context: ScimRequestContext): Promise<void> {
    return this.write(async (m) => {
      const current = await this.mustLock(m, id, context);
      await this.directory.deleteGroup(m, current.handle);
      await m.delete(ScimGroupProfileEntity, { groupId: current.group_id });
      await m.delete(ScimGroupLinkEntity, { groupId: current.group_id });
      await this.audit.record(m, {
        context,
        action: 'delete',
        resourceType: 'Group',
        resourceId: id,
        internalId: current.group_id,
      });
      await this.hooks.emit('deleted', m, { resourceType: 'Group', group: hookGroup(current) });
    });
  }

  /**
   * A PATCH that only adds members (no removal, no rename: nothing before the additions can refuse it), when the
   * directory can add users named by their SCIM ids and no hook listens for memberships: one INSERT … SELECT through
   * the side rows finds and adds them. When it adds fewer than named, `userIds` reads them as any other PATCH does,
   * so an unknown member is refused with the same error and the request rolls back. Answers how many it added, or
   * undefined when the PATCH is not of that kind (nothing done).
   */
  private async addOnly(
    m: EntityManager,
    current: LockedGroupRow,
    delta: MembershipChanges,
    after: ScimResourceData,
  ): Promise<number | undefined> {
    if (
      !this.directory.addMembersByKey ||
      delta.removeAll ||
      delta.remove.length > 0 ||
      delta.add.length === 0 ||
      after.core.displayName !== current.name ||
      this.hooks.listens('memberAdded') ||
      this.hooks.listens('memberRemoved')
    ) {
      return undefined;
    }
    return this.directory.addMembersByKey(m, current.handle, { ...this.memberKeys, keys: delta.add }, () =>
      this.userIds(m, delta.add),
    );
  }

  /** The group's non-member attributes, as a PATCH or an audit record sees them. */
  private dataOf(current: GroupRow): ScimResourceData {
    const data: ScimResourceData = { core: { displayName: current.name }, extensions: {} };
    if (current.external_id !== null) data.core.externalId = current.external_id;
    return data;
  }

  /** Whether the group's own attributes differ (members aside). */
  private changes(before: ScimResourceData, after: ScimResourceData): boolean {
    const externalId = (data: ScimResourceData) => this.externalId(data);
    return before.core.displayName !== after.core.displayName || externalId(before) !== externalId(after);
  }

  /** `updated`, then `renamed` when the displayName changed. */
  private async emitChanges(m: EntityManager, before: GroupRow, after: GroupRow): Promise<void> {
    const group = hookGroup(after);
    await this.hooks.emit('updated', m, { resourceType: 'Group', group, before: hookGroup(before) });
    if (before.name !== after.name) {
      await this.hooks.emit('renamed', m, { resourceType: 'Group', group, from: before.name, to: after.name });
    }
  }

  /** `memberRemoved` / `memberAdded` for each membership the directory changed (nothing read when none listens). */
  private async emitMembers(m: EntityManager, row: GroupRow, delta: MemberDelta): Promise<void> {
    if (!this.hooks.listens('memberAdded') && !this.hooks.listens('memberRemoved')) return;
    const scimIds = await this.scimIdsOf(m, [...delta.added, ...delta.removed]);
    const group = hookGroup(row);
    // In the order the directory applies them: removals first.
    for (const id of delta.removed) {
      await this.hooks.emit('memberRemoved', m, { group, user: { id, scimId: scimIds.get(id)! } });
    }
    for (const id of delta.added) {
      await this.hooks.emit('memberAdded', m, { group, user: { id, scimId: scimIds.get(id)! } });
    }
  }

  /** The SCIM ids of product users (all of them SCIM users: only they can be members of a SCIM group). */
  private async scimIdsOf(m: EntityManager, userIds: readonly DirectoryId[]): Promise<Map<DirectoryId, string>> {
    const found = new Map<DirectoryId, string>();
    for (let i = 0; i < userIds.length; i += LOOKUP_CHUNK) {
      const links = await m.find(ScimUserLinkEntity, { where: { userId: In(userIds.slice(i, i + LOOKUP_CHUNK)) } });
      for (const link of links) found.set(link.userId, link.scimId);
    }
    return found;
  }

  private async rename(m: EntityManager, current: LockedGroupRow, data: ScimResourceData): Promise<void> {
    const name = data.core.displayName as string;
    if (name !== current.name) await this.directory.renameGroup(m, current.handle, name);
  }

  /**
   * New version and timestamp, and the externalId as now sent; returns the row as a read would now find it (the name is
   * the one `rename` wrote).
   */
  private async touch(m: EntityManager, current: GroupRow, data: ScimResourceData): Promise<GroupRow> {
    const externalId = this.externalId(data);
    const version = Number(current.version) + 1;
    const updatedAt = new Date();
    const displayName = data.core.displayName as string;
    await runFixedStatement(m, this.sql.touch, [
      displayName,
      foldCase(displayName),
      externalId,
      version,
      persistentValue(m, ScimGroupProfileEntity, 'updatedAt', updatedAt),
      current.group_id,
    ]);
    return {
      ...current,
      name: data.core.displayName as string,
      external_id: externalId,
      version,
      updated_at: updatedAt,
    };
  }

  /** The externalId to store; the SCIM layer refused one longer than its column (MAX_STRING_LENGTH code points). */
  private externalId(data: ScimResourceData): string | null {
    const value = data.core.externalId;
    if (typeof value !== 'string' || value === '') return null;
    return value;
  }

  /**
   * Internal ids of the SCIM users named as members. Only users the identity provider manages can be named: an
   * unknown id, or a local account's, is 400 invalidValue and nothing changes.
   */
  private async userIds(m: EntityManager, scimIds: readonly string[]): Promise<string[]> {
    if (scimIds.length === 0) return [];
    const unique = [...new Set(scimIds)];
    const found = await this.lockedLinks(m, unique);
    // Matched by key, not by count: a case-insensitive collation would find `ABC…` for `abc…` (ids are exact).
    const missing = unique.filter((id) => !found.has(id)).length;
    if (missing > 0) {
      throw ScimError.invalidValue(missing === 1 ? 'A member does not exist' : `${missing} members do not exist`);
    }
    return unique.map((id) => found.get(id)!);
  }

  /**
   * SCIM id → internal id of the named SCIM users, read with a shared lock on MySQL: a user whose DELETE committed
   * first is not found (no membership for a deleted user), and a DELETE arriving later waits for this request and
   * then removes the membership it added (a user deleted while Entra adds it to groups). SQLite runs one write at a time.
   */
  private async lockedLinks(m: EntityManager, scimIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const lock = sharedLockClause(m);
    for (let i = 0; i < scimIds.length; i += LOOKUP_CHUNK) {
      const ids = scimIds.slice(i, i + LOOKUP_CHUNK);
      const rows: { scim_id: string; user_id: string }[] = await m.query(
        `${this.sql.links} WHERE su.scim_id IN (${ids.map(() => '?').join(', ')})${lock}`,
        ids,
      );
      for (const row of rows) found.set(row.scim_id, row.user_id);
    }
    return found;
  }

  /** Internal ids of the named SCIM users that exist; removing one that does not is a no-op (RFC 7644 §3.5.2.2). */
  private async knownUserIds(m: EntityManager, scimIds: readonly string[]): Promise<string[]> {
    const found = new Map<string, string>();
    const unique = [...new Set(scimIds)];
    for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
      const links = await m.find(ScimUserLinkEntity, { where: { scimId: In(unique.slice(i, i + LOOKUP_CHUNK)) } });
      for (const link of links) found.set(link.scimId, link.userId);
    }
    return unique.filter((id) => found.has(id)).map((id) => found.get(id)!);
  }

  private from(m: EntityManager) {
    return m
      .createQueryBuilder()
      .from(ScimGroupLinkEntity, 'sg')
      .innerJoin(ScimGroupProfileEntity, 'p', 'p.group_id = sg.group_id');
  }

  private selectRows(qb: ReturnType<ScimGroupsStore['from']>) {
    return qb.select([
      'sg.scim_id AS scim_id',
      'sg.group_id AS group_id',
      'p.display_name AS name',
      'p.external_id AS external_id',
      'p.version AS version',
      'p.created_at AS created_at',
      'p.updated_at AS updated_at',
    ]);
  }

  private async row(m: EntityManager, scimId: string, lock: boolean): Promise<GroupRow | undefined> {
    if (scimId.length > 64) return undefined;
    const rows = await runFixedStatement<GroupRow[]>(m, this.sql.row + (lock ? forUpdateClause(m) : ''), [scimId]);
    return rows[0];
  }

  /**
   * Locks the group's side rows first: concurrent writes to one group queue here, whatever they change; then the
   * directory's handle on the product's group.
   */
  private async mustLock(m: EntityManager, scimId: string, context: ScimRequestContext): Promise<LockedGroupRow> {
    const row = await this.row(m, scimId, true);
    if (!row) throw ScimError.notFound('Group not found');
    assertIfMatch(context.ifMatch, Number(row.version));
    const handle = await this.directory.lockGroup(m, row.group_id);
    if (!handle) throw ScimError.notFound('Group not found');
    return { ...row, handle };
  }

  private async read(
    m: EntityManager,
    scimId: string,
    context: ScimRequestContext,
    lock: boolean,
  ): Promise<StoredResource | undefined> {
    const row = await this.row(m, scimId, lock);
    if (!row) return undefined;
    const members = context.withMembers ? await this.membersOf(m, row, context) : undefined;
    return this.toStored(row, members);
  }

  /**
   * The answer to a write, from the row it holds as written rather than read back (DATETIME(3) keeps the millisecond
   * Dates written exactly); members are read only when the answer shows them, unless the group is known to have none.
   * An externalId with a lone surrogate is read back, as the database changed it.
   */
  private async answer(
    m: EntityManager,
    row: GroupRow,
    context: ScimRequestContext,
    noMembers = false,
  ): Promise<StoredResource> {
    if (row.external_id !== null && LONE_SURROGATE.test(row.external_id)) return this.mustRead(m, row.scim_id, context);
    if (!context.withMembers) return this.toStored(row, undefined);
    const members = noMembers ? [] : await this.membersOf(m, row, context);
    return this.toStored(row, members);
  }

  private async mustRead(m: EntityManager, scimId: string, context: ScimRequestContext): Promise<StoredResource> {
    const stored = await this.read(m, scimId, context, false);
    if (!stored) throw ScimError.notFound('Group not found');
    return stored;
  }

  /** Every member of the group in one query (a write's answer, read in its transaction), in the pages' order. */
  private async membersOf(m: EntityManager, row: GroupRow, context: ScimRequestContext): Promise<ScimObject[]> {
    const members = await this.memberQuery(m, row.group_id).getRawMany<MemberRow>();
    return members.map((member) => this.member(member, context));
  }

  /**
   * The group's members in the order of the directory's membership key (group, user), which its primary key or index
   * serves: a page after a given user is a range read with no sort, however large the group (one group by equality:
   * with `IN` or an order on the group column too, MariaDB sorts every remaining member for each page). Memberships
   * are the product's (the directory's membership table); only SCIM users are shown.
   */
  private memberQuery(m: EntityManager, groupId: string) {
    const { table, groupColumn, userColumn } = this.membership;
    return m
      .createQueryBuilder()
      .from(table, 'gm')
      .innerJoin(ScimUserLinkEntity, 'su', `su.user_id = gm.${userColumn}`)
      .innerJoin(ScimUserProfileEntity, 'up', 'up.user_id = su.user_id')
      .select([
        `gm.${groupColumn} AS group_id`,
        `gm.${userColumn} AS member_key`,
        'su.scim_id AS scim_id',
        'up.display_name AS display_name',
        'up.user_name AS user_name',
      ])
      .where(`gm.${groupColumn} = :groupId`, { groupId })
      .orderBy(`gm.${userColumn}`, 'ASC');
  }

  /** A member as answers show it: `value` (the user's SCIM id), `$ref` and `display` (displayName, else userName). */
  private member(member: MemberRow, context: ScimRequestContext): ScimObject {
    return {
      value: member.scim_id,
      $ref: `${context.baseUrl}/Users/${member.scim_id}`,
      display: member.display_name ?? member.user_name,
      type: 'User',
    };
  }

  private toStored(row: GroupRow, members: ScimObject[] | undefined): StoredResource {
    const core: ScimObject = { displayName: row.name };
    if (row.external_id !== null) core.externalId = row.external_id;
    // A group without members shows none rather than an empty list.
    if (members?.length) core.members = members;
    return {
      id: row.scim_id,
      data: { core, extensions: {} },
      created: readTimestamp(row.created_at),
      lastModified: readTimestamp(row.updated_at),
      version: Number(row.version),
    };
  }

  private write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.tx.write(work);
  }
}
