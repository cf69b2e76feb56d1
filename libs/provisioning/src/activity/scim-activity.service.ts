import { Inject, Injectable } from '@nestjs/common';
import { Between, Equal, In, LessThan, MoreThanOrEqual, type DataSource, type FindOptionsWhere } from 'typeorm';
import { DomainRuleError, InjectIdentityDataSource } from '@nest-scim/identity';
import { ProvisioningModeService } from '@nest-scim/saml';
import { SCIM_DIRECTORY, type ScimDirectory } from '../directory/scim-directory.port';
import { PROVISIONING_OPTIONS, ScimProvisioningOptions } from '../provisioning-options.interface';
import { ScimGroupLinkEntity } from '../scim-group-link.entity';
import { FAILURE_EXPLANATIONS, ScimFailureCause } from './scim-activity.classifier';
import { ScimActivityRecordEntity } from './scim-activity-record.entity';
import { ScimActivityRecorder } from './scim-activity.recorder';
import { resolveActivitySettings, ResolvedScimActivitySettings } from './scim-activity.settings';

/** A cycle is "high failure" when at least this share of its requests failed, out of at least MIN_REQUESTS. */
export const QUARANTINE_FAILURE_SHARE = 0.5;
const QUARANTINE_MIN_REQUESTS = 5;
/** The most records one read of cycles or failures looks at; older ones in the window are left out (and said so). */
const MAX_RECORDS_READ = 200_000;
const SLOWEST_KEPT = 5;
const TARGETS_KEPT = 50;
export const MAX_ACTIVITY_PAGE_SIZE = 100;

export interface ScimActivityReadRequest {
  /** ISO 8601: inclusive lower and exclusive upper bound on a request's time. */
  from?: string;
  to?: string;
  /** 1-based page, and page size (at most MAX_ACTIVITY_PAGE_SIZE). */
  page?: number;
  pageSize?: number;
}

export interface ScimActivityRequestSummary {
  occurredAt: Date;
  requestId: string | null;
  method: string;
  route: string;
  resourceType: string | null;
  resourceId: string | null;
  subject: string | null;
  status: number;
  durationMs: number;
}

export interface ScimCycle {
  start: Date;
  end: Date;
  /** Still running: its last request is more recent than the gap that ends a cycle. */
  inProgress: boolean;
  requests: number;
  failures: number;
  users: { created: number; updated: number; deactivated: number; reactivated: number; deleted: number };
  groups: { created: number; updated: number; deleted: number };
  /** Members added or removed by successful group requests. */
  membershipChanges: number;
  failuresByCause: Partial<Record<ScimFailureCause, number>>;
  slowest: ScimActivityRequestSummary[];
}

export interface ScimCyclePage {
  /** Requests are being recorded; false when the `record` activity setting is off (only older records are read). */
  recording: boolean;
  total: number;
  page: number;
  pageSize: number;
  /** The rule cycles are cut by, in seconds without a request. */
  cycleGapSeconds: number;
  /** Newest first. */
  cycles: ScimCycle[];
  /** More records matched than one read looks at: the oldest cycles of the window are missing. */
  truncated: boolean;
}

export interface ScimFailureTarget {
  resourceType: string | null;
  resourceId: string | null;
  /** userName or displayName, when known. */
  subject: string | null;
  count: number;
  lastAt: Date;
  status: number;
  detail: string | null;
  requestId: string | null;
  /** The object exists in the product: the admin page links to it. */
  exists: boolean;
}

export interface ScimFailureGroup {
  cause: ScimFailureCause;
  explanation: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
  /** Each user, group or route the cause concerned once, most recent first (at most 50). */
  targets: ScimFailureTarget[];
}

export interface ScimFailurePage {
  /** Requests are being recorded; false when the `record` activity setting is off (only older records are read). */
  recording: boolean;
  total: number;
  page: number;
  pageSize: number;
  /** Most frequent cause first. */
  groups: ScimFailureGroup[];
  truncated: boolean;
}

export type ScimConnectionState = 'off' | 'waiting' | 'active' | 'silent' | 'unrecorded';

export interface ScimQuarantineReason {
  kind: 'credentials' | 'unknown-id' | 'failure-share';
  message: string;
}

export interface ScimConnectionHealth {
  scimEnabled: boolean;
  /** Requests are being recorded (the `record` activity setting). */
  recording: boolean;
  /**
   * off (SCIM off), waiting (on, never called), active, silent (on, no request for silentAfterSeconds), or unrecorded
   * (on, but recording is off: the health is read from the records, so it is not known).
   */
  state: ScimConnectionState;
  lastContactAt: Date | null;
  silentAfterSeconds: number;
  /** Entra ID may quarantine the application: the latest cycle looks like what makes it do so. */
  quarantineRisk: boolean;
  quarantineReasons: ScimQuarantineReason[];
  latestCycle: ScimCycle | null;
}

function summary(row: ScimActivityRecordEntity): ScimActivityRequestSummary {
  return {
    occurredAt: row.occurredAt,
    requestId: row.requestId,
    method: row.method,
    route: row.route,
    resourceType: row.resourceType,
    resourceId: row.resourceId,
    subject: row.subject,
    status: row.status,
    durationMs: row.durationMs,
  };
}

/**
 * Reads the SCIM activity as an admin debugging provisioning needs it: cycles (requests grouped by pauses of at least
 * `cycleGapSeconds`), failures grouped by cause with the users and groups they concerned, and the connection's health
 * (last contact, silence, the risk of Entra ID quarantining the application). Reads flush this instance's buffer
 * first, so what was just answered is there.
 */
@Injectable()
export class ScimActivity {
  private readonly settings: ResolvedScimActivitySettings;

  constructor(
    @InjectIdentityDataSource() private readonly dataSource: DataSource,
    @Inject(PROVISIONING_OPTIONS) options: ScimProvisioningOptions,
    @Inject(SCIM_DIRECTORY) private readonly directory: ScimDirectory,
    private readonly recorder: ScimActivityRecorder,
    private readonly mode: ProvisioningModeService,
  ) {
    this.settings = resolveActivitySettings(options.activity);
  }

  async cycles(request: ScimActivityReadRequest = {}): Promise<ScimCyclePage> {
    const { window, page, pageSize } = this.parse(request);
    await this.recorder.flush();
    const { rows, truncated } = await this.readRecords(window);
    const all = this.cut(rows).reverse();
    const cycles = all.slice((page - 1) * pageSize, page * pageSize);
    return {
      recording: this.recorder.recording,
      total: all.length,
      page,
      pageSize,
      cycleGapSeconds: this.settings.cycleGapSeconds,
      cycles,
      truncated,
    };
  }

  async failures(request: ScimActivityReadRequest = {}): Promise<ScimFailurePage> {
    const { window, page, pageSize } = this.parse(request);
    await this.recorder.flush();
    const { rows, truncated } = await this.readRecords({ ...window, failedOnly: true });
    const groups = new Map<string, ScimFailureGroup>();
    const targets = new Map<string, ScimFailureTarget>();
    // Newest first, so each target keeps its latest detail and request id.
    for (const row of [...rows].reverse()) {
      const cause = (row.cause ?? 'other') as ScimFailureCause;
      let group = groups.get(cause);
      if (!group) {
        group = {
          cause,
          explanation: FAILURE_EXPLANATIONS[cause] ?? FAILURE_EXPLANATIONS.other,
          count: 0,
          firstAt: row.occurredAt,
          lastAt: row.occurredAt,
          targets: [],
        };
        groups.set(cause, group);
      }
      group.count++;
      group.firstAt = row.occurredAt;
      const key = `${cause}\u0000${row.resourceType}\u0000${row.subject ?? row.resourceId ?? row.route}`;
      const target = targets.get(key);
      if (target) {
        target.count++;
        continue;
      }
      if (group.targets.length >= TARGETS_KEPT) continue;
      const created: ScimFailureTarget = {
        resourceType: row.resourceType,
        resourceId: row.resourceId,
        subject: row.subject,
        count: 1,
        lastAt: row.occurredAt,
        status: row.status,
        detail: row.detail,
        requestId: row.requestId,
        exists: false,
      };
      targets.set(key, created);
      group.targets.push(created);
    }
    const sorted = [...groups.values()].sort((a, b) => b.count - a.count || +b.lastAt - +a.lastAt);
    const shown = sorted.slice((page - 1) * pageSize, page * pageSize);
    await this.markExisting(shown.flatMap((g) => g.targets));
    return { recording: this.recorder.recording, total: sorted.length, page, pageSize, groups: shown, truncated };
  }

  async connection(now = new Date()): Promise<ScimConnectionHealth> {
    await this.recorder.flush();
    const scimEnabled = await this.mode.isScimEnabled();
    if (!this.recorder.recording) {
      // Older records would show a stale contact and cycle as current: nothing is claimed about the connection.
      return {
        scimEnabled,
        recording: false,
        state: scimEnabled ? 'unrecorded' : 'off',
        lastContactAt: null,
        silentAfterSeconds: this.settings.silentAfterSeconds,
        quarantineRisk: false,
        quarantineReasons: [],
        latestCycle: null,
      };
    }
    const latest = await this.latestCycleRecords();
    const lastContactAt = latest.length ? latest[latest.length - 1].occurredAt : null;
    const silentAfterMs = this.settings.silentAfterSeconds * 1000;
    const state: ScimConnectionState = !scimEnabled
      ? 'off'
      : !lastContactAt
        ? 'waiting'
        : now.getTime() - lastContactAt.getTime() > silentAfterMs
          ? 'silent'
          : 'active';
    const latestCycle = latest.length ? this.cut(latest, now)[0] : null;
    const quarantineReasons = scimEnabled && latestCycle ? await this.quarantineReasons(latest, latestCycle) : [];
    return {
      scimEnabled,
      recording: true,
      state,
      lastContactAt,
      silentAfterSeconds: this.settings.silentAfterSeconds,
      quarantineRisk: quarantineReasons.length > 0,
      quarantineReasons,
      latestCycle,
    };
  }

  private async quarantineReasons(rows: ScimActivityRecordEntity[], cycle: ScimCycle): Promise<ScimQuarantineReason[]> {
    const reasons: ScimQuarantineReason[] = [];
    const refused = cycle.failuresByCause.credentials ?? 0;
    if (refused > 0) {
      reasons.push({
        kind: 'credentials',
        message: `${FAILURE_EXPLANATIONS.credentials} (${refused} refused in the latest cycle)`,
      });
    }
    const missing = [
      ...new Set(rows.filter((r) => r.status === 404 && r.resourceId).map((r) => r.resourceId as string)),
    ];
    if (missing.length) {
      const known = await this.dataSource.manager.count(ScimActivityRecordEntity, {
        where: { resourceId: In(missing), status: LessThan(400) },
      });
      if (known > 0) {
        reasons.push({
          kind: 'unknown-id',
          message:
            'Entra ID asked for users or groups by an id this server answered before and no longer knows (404 on a known id): they were deleted or unlinked in the product, for instance by turning SCIM off and on.',
        });
      }
    }
    if (cycle.requests >= QUARANTINE_MIN_REQUESTS && cycle.failures / cycle.requests >= QUARANTINE_FAILURE_SHARE) {
      reasons.push({
        kind: 'failure-share',
        message: `${cycle.failures} of the latest cycle's ${cycle.requests} requests failed: Entra ID quarantines an application when most of its calls fail.`,
      });
    }
    return reasons;
  }

  /** The records of the most recent cycle, oldest first: read newest first until a pause of a cycle gap. */
  private async latestCycleRecords(): Promise<ScimActivityRecordEntity[]> {
    const gapMs = this.settings.cycleGapSeconds * 1000;
    const chunk = 1000;
    const found: ScimActivityRecordEntity[] = [];
    let after: ScimActivityRecordEntity | undefined;
    while (found.length < MAX_RECORDS_READ) {
      // Keyset paging on (time, id), newest first: rows sharing a millisecond across two reads are neither lost nor
      // read twice.
      const rows = await this.dataSource.manager.find(ScimActivityRecordEntity, {
        where: after
          ? [
              { occurredAt: LessThan(after.occurredAt) },
              { occurredAt: Equal(after.occurredAt), id: LessThan(after.id) },
            ]
          : {},
        order: { occurredAt: 'DESC', id: 'DESC' },
        take: chunk,
      });
      for (const row of rows) {
        const previous = found[found.length - 1];
        if (previous && previous.occurredAt.getTime() - row.occurredAt.getTime() >= gapMs) return found.reverse();
        found.push(row);
      }
      if (rows.length < chunk) break;
      after = rows[rows.length - 1];
    }
    return found.reverse();
  }

  /** Splits records (oldest first) into cycles, oldest first. */
  private cut(rows: ScimActivityRecordEntity[], now = new Date()): ScimCycle[] {
    const gapMs = this.settings.cycleGapSeconds * 1000;
    const cycles: ScimCycle[] = [];
    let current: { cycle: ScimCycle; slow: ScimActivityRecordEntity[] } | undefined;
    const close = () => {
      if (!current) return;
      current.cycle.slowest = current.slow.map(summary);
      current.cycle.inProgress = now.getTime() - current.cycle.end.getTime() < gapMs;
      cycles.push(current.cycle);
    };
    for (const row of rows) {
      if (!current || row.occurredAt.getTime() - current.cycle.end.getTime() >= gapMs) {
        close();
        current = {
          cycle: {
            start: row.occurredAt,
            end: row.occurredAt,
            inProgress: false,
            requests: 0,
            failures: 0,
            users: { created: 0, updated: 0, deactivated: 0, reactivated: 0, deleted: 0 },
            groups: { created: 0, updated: 0, deleted: 0 },
            membershipChanges: 0,
            failuresByCause: {},
            slowest: [],
          },
          slow: [],
        };
      }
      const { cycle, slow } = current;
      cycle.end = row.occurredAt;
      cycle.requests++;
      if (row.status >= 400) {
        cycle.failures++;
        const cause = (row.cause ?? 'other') as ScimFailureCause;
        cycle.failuresByCause[cause] = (cycle.failuresByCause[cause] ?? 0) + 1;
      } else {
        count(cycle, row);
      }
      if (slow.length < SLOWEST_KEPT || row.durationMs > slow[slow.length - 1].durationMs) {
        slow.push(row);
        slow.sort((a, b) => b.durationMs - a.durationMs);
        if (slow.length > SLOWEST_KEPT) slow.pop();
      }
    }
    close();
    return cycles;
  }

  private async readRecords(window: {
    from?: Date;
    to?: Date;
    failedOnly?: boolean;
  }): Promise<{ rows: ScimActivityRecordEntity[]; truncated: boolean }> {
    const where: FindOptionsWhere<ScimActivityRecordEntity> = {};
    if (window.from && window.to) where.occurredAt = Between(window.from, new Date(window.to.getTime() - 1));
    else if (window.from) where.occurredAt = MoreThanOrEqual(window.from);
    else if (window.to) where.occurredAt = LessThan(window.to);
    if (window.failedOnly) where.status = MoreThanOrEqual(400);
    // Newest first, so a window larger than one read loses its oldest records, not its latest.
    const rows = await this.dataSource.manager.find(ScimActivityRecordEntity, {
      where,
      order: { occurredAt: 'DESC', id: 'DESC' },
      take: MAX_RECORDS_READ + 1,
    });
    const truncated = rows.length > MAX_RECORDS_READ;
    if (truncated) rows.pop();
    return { rows: rows.reverse(), truncated };
  }

  private async markExisting(targets: ScimFailureTarget[]): Promise<void> {
    const groupIds = targets.filter((t) => t.resourceType === 'Group' && t.resourceId).map((t) => t.resourceId!);
    const linked = groupIds.length
      ? new Set(
          (
            await this.dataSource.manager.find(ScimGroupLinkEntity, {
              select: { scimId: true },
              where: { scimId: In(groupIds) },
            })
          ).map((l) => l.scimId),
        )
      : new Set<string>();
    for (const target of targets) {
      if (target.resourceType === 'Group') target.exists = !!target.resourceId && linked.has(target.resourceId);
      else if (target.resourceType === 'User' && target.subject) {
        target.exists = !!(await this.directory.findUserByUserName(this.dataSource.manager, target.subject));
      }
    }
  }

  private parse(request: ScimActivityReadRequest) {
    const date = (value: string | undefined, name: string) => {
      if (value === undefined || value === '') return undefined;
      const parsed = new Date(value);
      if (Number.isNaN(parsed.getTime())) throw DomainRuleError.invalid(`'${name}' must be an ISO 8601 date`);
      return parsed;
    };
    const from = date(request.from, 'from');
    const to = date(request.to, 'to');
    if (from && to && from >= to) throw DomainRuleError.invalid("'from' must be before 'to'");
    const page = Math.max(1, Math.floor(request.page ?? 1));
    const pageSize = Math.min(MAX_ACTIVITY_PAGE_SIZE, Math.max(1, Math.floor(request.pageSize ?? 20)));
    return { window: { from, to }, page, pageSize };
  }
}

function count(cycle: ScimCycle, row: ScimActivityRecordEntity): void {
  const users = cycle.users;
  const groups = cycle.groups;
  const isUser = row.resourceType === 'User';
  switch (row.operation) {
    case 'create':
      if (isUser) users.created++;
      else groups.created++;
      break;
    case 'replace':
    case 'update':
      if (isUser) users.updated++;
      else groups.updated++;
      break;
    case 'deactivate':
      if (isUser) users.deactivated++;
      break;
    case 'reactivate':
      if (isUser) users.reactivated++;
      break;
    case 'delete':
      if (isUser) users.deleted++;
      else groups.deleted++;
      break;
  }
  if (row.resourceType === 'Group') cycle.membershipChanges += row.memberChanges;
}
