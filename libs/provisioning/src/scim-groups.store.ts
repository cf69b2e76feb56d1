import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  ADMIN_PERMISSION,
  BuiltInGroupRole,
  GroupEntity,
  GroupMembershipEntity,
  GroupsService,
  InjectIdentityDataSource,
  LAST_ADMIN_MESSAGES,
  ManagedStateService,
  MembershipService,
  PermissionsService,
  ScimGroupLinkEntity,
  ScimUserLinkEntity,
  UserEntity,
} from '@app/identity';
import { dialectOf, forUpdate, readTimestamp } from '@app/persistence';
import { ProvisioningModeService } from '@app/saml';
import {
  applyPatch,
  assertIfMatch,
  compileFilter,
  GROUP_RESOURCE_TYPE,
  membershipChanges,
  PatchOperation,
  ScimError,
  ScimListRequest,
  ScimListResult,
  ScimObject,
  ScimRequestContext,
  ScimResourceData,
  ScimResourceStore,
  StoredResource,
} from '@app/scim';
import { groupFilterTargets } from './group-filter.targets';
import { ScimGroupProfileEntity } from './scim-group-profile.entity';
import { ScimAuditTrail } from './scim-audit-trail.service';
import { ScimTransactions } from './scim-transactions';
import { dateParameter, readPage } from './scim-sql.util';

/** Ids per `IN (…)` when resolving members. */
const LOOKUP_CHUNK = 500;

interface GroupRow {
  scim_id: string;
  group_id: string;
  name: string;
  external_id: string | null;
  version: number;
  created_at: unknown;
  updated_at: unknown;
}

/** The row a write locks: also what the membership rules decide on, so the group need not be read again. */
interface LockedGroupRow extends GroupRow {
  built_in: BuiltInGroupRole | null;
}

/** Text the databases do not store as given: each turns a lone surrogate into replacement characters. */
const LONE_SURROGATE = /\p{Cs}/u;

/** The group as the membership rules see it, from its locked row (a rename is refused for a built-in group). */
function lockedGroup(row: LockedGroupRow): { id: string; name: string; builtIn: BuiltInGroupRole | null } {
  return { id: row.group_id, name: row.name, builtIn: row.built_in };
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
 * /Groups mapped onto the product's groups. Memberships change as deltas against the unique (group, user) key —
 * idempotent inserts and targeted deletes — so their cost does not grow with the group, and two PATCH requests to
 * one group never lose each other's members: the group's profile row is locked first, which orders them.
 */
@Injectable()
export class ScimGroupsStore implements ScimResourceStore {
  private readonly tx: ScimTransactions;
  private readonly targets = groupFilterTargets();

  constructor(
    @InjectIdentityDataSource() private readonly dataSource: DataSource,
    private readonly groups: GroupsService,
    private readonly memberships: MembershipService,
    private readonly managed: ManagedStateService,
    private readonly permissions: PermissionsService,
    mode: ProvisioningModeService,
    private readonly audit: ScimAuditTrail,
  ) {
    this.tx = new ScimTransactions(dataSource, mode);
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
    const members = request.withMembers ? await this.membersOf(m, rows, context) : undefined;
    return { totalResults, resources: rows.map((row) => this.toStored(row, members?.get(row.group_id))) };
  }

  get(id: string, context: ScimRequestContext): Promise<StoredResource | undefined> {
    return this.tx.read((m) => this.read(m, id, context, false));
  }

  create(data: ScimResourceData, context: ScimRequestContext): Promise<StoredResource> {
    const members = memberIds(data);
    const externalId = this.externalId(data);
    return this.write(async (m) => {
      // A name taken by any group — built-in, local or managed — is 409: a SCIM group never merges into a local one.
      const group = await this.groups.create({ name: data.core.displayName as string }, m);
      const scimId = await this.managed.linkNewGroup(group, m);
      const now = new Date();
      await m.insert(ScimGroupProfileEntity, {
        groupId: group.id,
        externalId,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      // The group was created above, and userIds found every member through its link: neither is read again.
      if (members.length) await this.memberships.addMembersToLockedGroup(group, await this.userIds(m, members), m);
      await this.audit.record(m, {
        context,
        action: 'create',
        resourceType: 'Group',
        resourceId: scimId,
        internalId: group.id,
        after: data,
        members: { added: members },
      });
      const row: GroupRow = {
        scim_id: scimId,
        group_id: group.id,
        name: group.name,
        external_id: externalId,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      // A new group's members are those just added: none to read when none were sent.
      return this.answer(m, row, context, members.length === 0);
    });
  }

  replace(id: string, data: ScimResourceData, context: ScimRequestContext): Promise<StoredResource> {
    const members = memberIds(data);
    return this.write(async (m) => {
      const current = await this.mustLock(m, id, context);
      const userIds = await this.userIds(m, members);
      await this.rename(m, current, data);
      await this.setMembers(m, current, userIds);
      const written = await this.touch(m, current, data);
      await this.audit.record(m, {
        context,
        action: 'replace',
        resourceType: 'Group',
        resourceId: id,
        internalId: current.group_id,
        before: this.dataOf(current),
        after: data,
        members: { added: members, removedAll: true },
      });
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
      // Every named member is resolved before anything is written: an unknown one refuses the whole request.
      const additions = await this.userIds(m, delta.replaceWith ?? delta.add);
      await this.rename(m, current, result.resource);
      if (delta.removeAll) {
        await this.setMembers(m, current, additions);
      } else {
        // The group's row is locked above and userIds found the additions through their links: the membership service
        // need not read the group or the users again.
        const group = lockedGroup(current);
        if (delta.remove.length)
          await this.memberships.removeMembersFromLockedGroup(group, await this.knownUserIds(m, delta.remove), m);
        if (additions.length) await this.memberships.addMembersToLockedGroup(group, additions, m);
      }
      const membersChanged =
        delta.removeAll || delta.replaceWith !== undefined || delta.remove.length + delta.add.length > 0;
      let written: GroupRow = current;
      if (result.changed || membersChanged) {
        written = await this.touch(m, current, result.resource);
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
      }
      // Entra's PATCH answers 204 and uses only the version; with `excludedAttributes=members` the answer is the row.
      return this.answer(m, written, context);
    });
  }

  delete(id: string, context: ScimRequestContext): Promise<void> {
    return this.write(async (m) => {
      const current = await this.mustLock(m, id, context);
      await m.delete(ScimGroupProfileEntity, { groupId: current.group_id });
      await this.groups.delete(current.group_id, m);
      await this.audit.record(m, {
        context,
        action: 'delete',
        resourceType: 'Group',
        resourceId: id,
        internalId: current.group_id,
      });
    });
  }

  /** The group's non-member attributes, as a PATCH or an audit record sees them. */
  private dataOf(current: GroupRow): ScimResourceData {
    const data: ScimResourceData = { core: { displayName: current.name }, extensions: {} };
    if (current.external_id !== null) data.core.externalId = current.external_id;
    return data;
  }

  /**
   * Makes `userIds` the group's whole membership (PUT, `replace members`, `remove members` without a value). Held to
   * the same last-administrator rule as a targeted removal, checked once the new set is in place, because an admin
   * may have granted `admin` to the group.
   */
  private async setMembers(m: EntityManager, current: LockedGroupRow, userIds: string[]): Promise<void> {
    const groupId = current.group_id;
    const apply = async () => {
      await m.delete(GroupMembershipEntity, { groupId });
      // Callers locked the group's row and found the users through their links (see patch).
      if (userIds.length) await this.memberships.addMembersToLockedGroup(lockedGroup(current), userIds, m);
    };
    if (await this.permissions.groupHoldsPermission(groupId, ADMIN_PERMISSION, m)) {
      await this.permissions.keepingAnAdministrator(m, LAST_ADMIN_MESSAGES.removeMember, apply);
    } else {
      await apply();
    }
  }

  private async rename(m: EntityManager, current: GroupRow, data: ScimResourceData): Promise<void> {
    const name = data.core.displayName as string;
    if (name !== current.name) await this.groups.update(current.group_id, { name }, m);
  }

  /**
   * New version and timestamp, and the externalId as now sent; returns the row as a read would now find it (the name is
   * the one `rename` wrote).
   */
  private async touch(m: EntityManager, current: GroupRow, data: ScimResourceData): Promise<GroupRow> {
    const externalId = this.externalId(data);
    const version = Number(current.version) + 1;
    const updatedAt = new Date();
    await m.update(ScimGroupProfileEntity, { groupId: current.group_id }, { externalId, version, updatedAt });
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
   * unknown id, or a local account's, is 400 invalidValue and nothing changes (security-cases 13, 16).
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
   * then removes the membership it added (entra-client 63 under concurrency). SQLite runs one write at a time.
   */
  private async lockedLinks(m: EntityManager, scimIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < scimIds.length; i += LOOKUP_CHUNK) {
      const qb = m
        .createQueryBuilder(ScimUserLinkEntity, 'su')
        .select('su.scimId', 'scim_id')
        .addSelect('su.userId', 'user_id')
        .where('su.scimId IN (:...ids)', { ids: scimIds.slice(i, i + LOOKUP_CHUNK) });
      if (dialectOf(m) === 'mysql') qb.setLock('pessimistic_read');
      for (const row of await qb.getRawMany<{ scim_id: string; user_id: string }>())
        found.set(row.scim_id, row.user_id);
    }
    return found;
  }

  /** Internal ids of the named SCIM users that exist; removing one that does not is a no-op (RFC 7644 §3.5.2.2). */
  private async knownUserIds(m: EntityManager, scimIds: readonly string[]): Promise<string[]> {
    const found = await this.managed.userIdsOfScimIds(scimIds, m);
    return scimIds.filter((id) => found.has(id)).map((id) => found.get(id)!);
  }

  private from(m: EntityManager) {
    return m
      .createQueryBuilder()
      .from(ScimGroupLinkEntity, 'sg')
      .innerJoin(GroupEntity, 'g', 'g.id = sg.group_id')
      .innerJoin(ScimGroupProfileEntity, 'p', 'p.group_id = sg.group_id');
  }

  private selectRows(qb: ReturnType<ScimGroupsStore['from']>) {
    return qb.select([
      'sg.scim_id AS scim_id',
      'sg.group_id AS group_id',
      'g.name AS name',
      'p.external_id AS external_id',
      'p.version AS version',
      'p.created_at AS created_at',
      'p.updated_at AS updated_at',
    ]);
  }

  private async row(m: EntityManager, scimId: string, lock: false): Promise<GroupRow | undefined>;
  private async row(m: EntityManager, scimId: string, lock: true): Promise<LockedGroupRow | undefined>;
  private async row(m: EntityManager, scimId: string, lock: boolean): Promise<GroupRow | undefined>;
  private async row(m: EntityManager, scimId: string, lock: boolean): Promise<GroupRow | undefined> {
    if (scimId.length > 64) return undefined;
    let qb = this.selectRows(this.from(m).where('sg.scim_id = :scimId', { scimId }));
    if (lock) qb = forUpdate(qb.addSelect('g.built_in AS built_in'), m);
    return qb.getRawOne<GroupRow>();
  }

  /** Locks the group's row first: concurrent writes to one group queue here, whatever they change. */
  private async mustLock(m: EntityManager, scimId: string, context: ScimRequestContext): Promise<LockedGroupRow> {
    const row = await this.row(m, scimId, true);
    if (!row) throw ScimError.notFound('Group not found');
    assertIfMatch(context.ifMatch, Number(row.version));
    return row;
  }

  private async read(
    m: EntityManager,
    scimId: string,
    context: ScimRequestContext,
    lock: boolean,
  ): Promise<StoredResource | undefined> {
    const row = await this.row(m, scimId, lock);
    if (!row) return undefined;
    const members = context.withMembers ? await this.membersOf(m, [row], context) : undefined;
    return this.toStored(row, members?.get(row.group_id));
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
    const members = noMembers ? [] : (await this.membersOf(m, [row], context)).get(row.group_id);
    return this.toStored(row, members);
  }

  private async mustRead(m: EntityManager, scimId: string, context: ScimRequestContext): Promise<StoredResource> {
    const stored = await this.read(m, scimId, context, false);
    if (!stored) throw ScimError.notFound('Group not found');
    return stored;
  }

  /** Members of the given groups in one query: `value` (the user's SCIM id), `$ref` and `display`. */
  private async membersOf(
    m: EntityManager,
    rows: GroupRow[],
    context: ScimRequestContext,
  ): Promise<Map<string, ScimObject[]>> {
    const result = new Map<string, ScimObject[]>(rows.map((row) => [row.group_id, []]));
    if (rows.length === 0) return result;
    const members = await m
      .createQueryBuilder()
      .from(GroupMembershipEntity, 'gm')
      .innerJoin(ScimUserLinkEntity, 'su', 'su.user_id = gm.user_id')
      .innerJoin(UserEntity, 'u', 'u.id = gm.user_id')
      .select(['gm.group_id AS group_id', 'su.scim_id AS scim_id', 'u.name AS name'])
      .where({ groupId: In(rows.map((row) => row.group_id)) })
      .orderBy('su.scim_id', 'ASC')
      .getRawMany<{ group_id: string; scim_id: string; name: string }>();
    for (const member of members) {
      result.get(member.group_id)!.push({
        value: member.scim_id,
        $ref: `${context.baseUrl}/Users/${member.scim_id}`,
        display: member.name,
        type: 'User',
      });
    }
    return result;
  }

  private toStored(row: GroupRow, members: ScimObject[] | undefined): StoredResource {
    const core: ScimObject = { displayName: row.name };
    if (row.external_id !== null) core.externalId = row.external_id;
    if (members) core.members = members;
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
