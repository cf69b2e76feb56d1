import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainRuleError, InjectIdentityDataSource } from '@nest-scim/identity';
import { dialectOf, sqlTable } from '@nest-scim/persistence';
import { ScimProvisioningDisabledError } from '@nest-scim/saml';
import type { ScimRequestContext, ScimResourceData } from '@nest-scim/scim';
import { changedAttributes } from './scim-audit.changes';
import { ScimAuditEventEntity } from './scim-audit-event.entity';
import { dateParameter } from './scim-sql.util';
import { pendingModeCondition } from './scim-transactions';

/** `adopt`: a create that took over a user or group the product already had. */
export type ScimAuditAction = 'create' | 'adopt' | 'replace' | 'patch' | 'delete';
export type ScimAuditResourceType = 'User' | 'Group';

/** What a store tells the audit trail about one write, inside that write's transaction. */
export interface ScimAuditEvent {
  /** The request's context: the principal (token id and owner) and the request id. */
  context: Pick<ScimRequestContext, 'principal' | 'requestId' | 'ignoredAttributes'>;
  action: ScimAuditAction;
  resourceType: ScimAuditResourceType;
  /** The SCIM id. */
  resourceId: string;
  /** The product's user or group id. */
  internalId?: string;
  /** The resource before and after the write; attribute names are derived from them, values are not kept. */
  before?: ScimResourceData;
  after?: ScimResourceData;
  /** A group's membership change, as asked for: member SCIM ids added and removed, or all removed. */
  members?: { added?: readonly string[]; removed?: readonly string[]; removedAll?: boolean };
}

export interface ScimAuditMembers {
  addedCount: number;
  removedCount: number;
  removedAll: boolean;
  /** The first member ids of each list (SCIM ids, no personal data); the counts say whether more were named. */
  added: string[];
  removed: string[];
}

/** An audit record as the admin reads it. */
export interface ScimAuditEntry {
  id: string;
  occurredAt: Date;
  requestId: string | null;
  tokenId: string | null;
  actorUserId: string | null;
  actorLogin: string | null;
  action: ScimAuditAction;
  resourceType: ScimAuditResourceType;
  resourceId: string;
  internalId: string | null;
  attributes: string[];
  members: ScimAuditMembers | null;
  /** Attributes the request named that the schema does not declare, ignored (empty when none). */
  ignored: string[];
}

export interface ScimAuditQuery {
  resourceType?: ScimAuditResourceType;
  resourceId?: string;
  tokenId?: string;
  actorUserId?: string;
  /** Inclusive lower and exclusive upper bound on `occurredAt`. */
  since?: Date;
  until?: Date;
  /** 1-based. */
  page?: number;
  /** At most MAX_AUDIT_PAGE_SIZE; 100 by default. */
  pageSize?: number;
}

/** The audit criteria as an admin API receives them. */
export interface ScimAuditReadRequest {
  resourceType?: string;
  resourceId?: string;
  tokenId?: string;
  /** ISO 8601: inclusive lower and exclusive upper bound. */
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
}

export interface ScimAuditPage {
  total: number;
  page: number;
  pageSize: number;
  /** Newest first. */
  entries: ScimAuditEntry[];
}

export const MAX_AUDIT_PAGE_SIZE = 500;
/** Member ids kept per list in one record; a 10,000-member PUT keeps its counts and this many ids. */
export const AUDIT_MEMBER_IDS_KEPT = 100;

function text(value: unknown, max: number): string | null {
  return typeof value === 'string' && value !== '' ? value.slice(0, max) : null;
}

/**
 * The audit trail of SCIM writes. `record` runs inside the store's own transaction, so a change and its record are
 * committed together or not at all; `search` is what the admin Web API serves.
 */
@Injectable()
export class ScimAuditTrail {
  constructor(@InjectIdentityDataSource() private readonly dataSource: DataSource) {}

  async record(manager: EntityManager, event: ScimAuditEvent): Promise<void> {
    const principal = event.context.principal;
    const members = event.members;
    const row: ScimAuditEventEntity = {
      id: randomUUID(),
      occurredAt: new Date(),
      requestId: text(event.context.requestId, 64),
      tokenId: text(principal.tokenId, 36),
      actorUserId: text(principal.userId, 36),
      actorLogin: text(principal.login, 255),
      action: event.action,
      resourceType: event.resourceType,
      resourceId: event.resourceId.slice(0, 64),
      internalId: text(event.internalId, 36),
      attributes: JSON.stringify(
        event.action === 'delete' ? [] : changedAttributes(event.before, event.after, members ? ['members'] : []),
      ),
      members: members
        ? JSON.stringify({
            addedCount: members.added?.length ?? 0,
            removedCount: members.removed?.length ?? 0,
            removedAll: members.removedAll === true,
            added: (members.added ?? []).slice(0, AUDIT_MEMBER_IDS_KEPT),
            removed: (members.removed ?? []).slice(0, AUDIT_MEMBER_IDS_KEPT),
          } satisfies ScimAuditMembers)
        : null,
      ignored: event.context.ignoredAttributes?.length ? JSON.stringify(event.context.ignoredAttributes) : null,
    };
    const condition = pendingModeCondition(manager);
    if (!condition) {
      await manager.insert(ScimAuditEventEntity, row);
      return;
    }
    // The write's check of the provisioning mode rides on its record: the row is inserted only while SCIM is on (the
    // mode read with its shared lock on MySQL), and none inserted means SCIM was switched off since the access check.
    const { sql, parameters } = guardedInsert(manager, row, condition);
    const result = await manager.queryRunner!.query(sql, parameters, true);
    condition.settle();
    if ((result.affected ?? 0) === 0) throw new ScimProvisioningDisabledError();
  }

  /**
   * `search` for an admin API: the criteria as a request gives them (dates as ISO 8601 text), checked first; a bad
   * one is a DomainRuleError (400) naming the parameter, and nothing is read.
   */
  async read(request: ScimAuditReadRequest): Promise<ScimAuditPage> {
    const date = (value: string | undefined, name: string) => {
      if (value === undefined) return undefined;
      const parsed = new Date(value);
      if (Number.isNaN(parsed.getTime())) throw DomainRuleError.invalid(`'${name}' must be an ISO 8601 date`);
      return parsed;
    };
    const { resourceType } = request;
    if (resourceType !== undefined && resourceType !== 'User' && resourceType !== 'Group') {
      throw DomainRuleError.invalid("'resourceType' must be User or Group");
    }
    return this.search({
      resourceType,
      resourceId: request.resourceId,
      tokenId: request.tokenId,
      since: date(request.from, 'from'),
      until: date(request.to, 'to'),
      page: request.page,
      pageSize: request.pageSize,
    });
  }

  async search(query: ScimAuditQuery = {}): Promise<ScimAuditPage> {
    const page = Math.max(1, Math.floor(query.page ?? 1));
    const pageSize = Math.min(MAX_AUDIT_PAGE_SIZE, Math.max(1, Math.floor(query.pageSize ?? 100)));
    const date = dateParameter(dialectOf(this.dataSource));
    const qb = this.dataSource.manager.createQueryBuilder(ScimAuditEventEntity, 'a');
    if (query.resourceType) qb.andWhere('a.resourceType = :resourceType', { resourceType: query.resourceType });
    if (query.resourceId) qb.andWhere('a.resourceId = :resourceId', { resourceId: query.resourceId });
    if (query.tokenId) qb.andWhere('a.tokenId = :tokenId', { tokenId: query.tokenId });
    if (query.actorUserId) qb.andWhere('a.actorUserId = :actorUserId', { actorUserId: query.actorUserId });
    if (query.since) qb.andWhere('a.occurredAt >= :since', { since: date(query.since) });
    if (query.until) qb.andWhere('a.occurredAt < :until', { until: date(query.until) });
    const [rows, total] = await qb
      .orderBy('a.occurredAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { total, page, pageSize, entries: rows.map(toEntry) };
  }

  /** Deletes records older than `before` (a retention policy); returns how many went. */
  async purgeBefore(before: Date): Promise<number> {
    const result = await this.dataSource.manager
      .createQueryBuilder()
      .delete()
      .from(ScimAuditEventEntity)
      .where('occurred_at < :before', { before: dateParameter(dialectOf(this.dataSource))(before) })
      .execute();
    return result.affected ?? 0;
  }
}

function toEntry(row: ScimAuditEventEntity): ScimAuditEntry {
  return {
    id: row.id,
    occurredAt: row.occurredAt,
    requestId: row.requestId,
    tokenId: row.tokenId,
    actorUserId: row.actorUserId,
    actorLogin: row.actorLogin,
    action: row.action as ScimAuditAction,
    resourceType: row.resourceType as ScimAuditResourceType,
    resourceId: row.resourceId,
    internalId: row.internalId,
    attributes: JSON.parse(row.attributes) as string[],
    members: row.members === null ? null : (JSON.parse(row.members) as ScimAuditMembers),
    ignored: row.ignored === null ? [] : (JSON.parse(row.ignored) as string[]),
  };
}

/**
 * `INSERT … SELECT` of one audit row under a condition, written from the entity's metadata (column names, and values
 * as the driver stores them) so the table prefix and both dialects apply as to any other insert.
 */
/** The head of guardedInsert's statement per data source (its dialect and table prefix), written once. */
const guardedInsertHeads = new WeakMap<DataSource, string>();

function guardedInsert(
  manager: EntityManager,
  row: ScimAuditEventEntity,
  condition: { sql: string; parameters: unknown[] },
): { sql: string; parameters: unknown[] } {
  const { driver } = manager.connection;
  const columns = manager.connection.getMetadata(ScimAuditEventEntity).columns;
  let head = guardedInsertHeads.get(manager.connection);
  if (head === undefined) {
    const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
    head =
      `INSERT INTO ${sqlTable(manager, ScimAuditEventEntity)} (${names}) ` +
      `SELECT ${columns.map(() => '?').join(', ')} FROM (SELECT 1 AS one) one_row WHERE `;
    guardedInsertHeads.set(manager.connection, head);
  }
  const values = columns.map((column) => driver.preparePersistentValue(column.getEntityValue(row), column) as unknown);
  return { sql: head + condition.sql, parameters: [...values, ...condition.parameters] };
}
