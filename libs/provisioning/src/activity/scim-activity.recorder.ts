import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { In, LessThan, type DataSource } from 'typeorm';
import { InjectIdentityDataSource } from '@nest-scim/identity';
import { deleteInBatches, insertRows } from '@nest-scim/persistence';
import { getScimPrincipal, SCIM_ERROR_SENT, ScimError } from '@nest-scim/scim';
import {
  PROVISIONING_BASE_PATH,
  PROVISIONING_OPTIONS,
  ScimProvisioningOptions,
} from '../provisioning-options.interface';
import { ScimGroupLinkEntity } from '../scim-group-link.entity';
import { ScimGroupProfileEntity } from '../scim-group-profile.entity';
import { ScimUserLinkEntity } from '../scim-user-link.entity';
import { ScimUserProfileEntity } from '../scim-user-profile.entity';
import { classifyScimRequest, failureCause, pathUnderBase, scimIdOf } from './scim-activity.classifier';
import { ScimActivityRecordEntity } from './scim-activity-record.entity';
import { resolveActivitySettings } from './scim-activity.settings';
import { ScimMetrics } from './scim-metrics';

/**
 * Marks the statements of a background flush (`/* scim-activity *\/ …`), so a statement log or a test that counts a
 * request's statements can tell them from the request's own: they run after answers, off the request path.
 */
export const ACTIVITY_SQL_COMMENT = 'scim-activity';

/** Rows written per INSERT, and the size at which a flush starts without waiting for the timer. */
const BATCH_SIZE = 200;
/** How long a record may wait in memory before it is written. */
const FLUSH_DELAY_MS = 1000;
/** Records kept while the database is away; beyond it the oldest are dropped (and counted in a metric). */
const MAX_BUFFERED = 10_000;
/** At most one record per this interval for the refusals of blocked addresses made before the SCIM pipeline. */
const EARLY_REFUSAL_RECORD_INTERVAL_MS = 1000;
/** Marks a request refused before the SCIM pipeline, for its record to be kept sparingly (see `earlyRefusal`). */
const EARLY_REFUSAL = Symbol('scimEarlyRefusal');

function earlyRefusalOf(req: Request): ScimError | undefined {
  return (req as unknown as Record<symbol, ScimError | undefined>)[EARLY_REFUSAL];
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; driverError?: { code?: unknown }; name?: unknown } | undefined;
  return String(e?.driverError?.code ?? e?.code ?? e?.name ?? 'unknown');
}

/**
 * Records every SCIM request — answered, refused (401, 403, 404, …) or failed — as a ScimActivityRecordEntity, off
 * the request's path: an Express middleware notes the start, and once the answer is sent the record is classified
 * and buffered; a timer (or a full batch) writes the buffer in multi-row inserts. Nothing waits for the database on
 * the SCIM path, and a database that is away costs no request: the buffer is kept (bounded) and written later. The
 * buffer is written on shutdown, before the connection closes. With the `record` setting false, requests are still
 * classified for the metrics, and nothing is buffered or written.
 *
 * One exception keeps a flood cheap: the refusals of a blocked address made before the SCIM pipeline (see
 * ScimBlockedAddressRefusal) are all counted in the metrics and logged, but recorded at most once a second per
 * instance, so that thousands of made-up tokens a second do not become thousands of rows a second to write. The
 * activity screens still show that the address is being refused; /metrics (`scim_refusals_total{reason="throttled"}`)
 * has the exact count.
 */
@Injectable()
export class ScimActivityRecorder implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ScimActivity');
  private buffer: ScimActivityRecordEntity[] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private lastEarlyRefusalRecordedAt = 0;
  private readonly retentionMs: number;
  /** false: requests are still counted in the metrics, but no record is kept (the `record` activity setting). */
  readonly recording: boolean;

  constructor(
    @InjectIdentityDataSource() private readonly dataSource: DataSource,
    @Inject(PROVISIONING_BASE_PATH) private readonly basePath: string,
    @Inject(PROVISIONING_OPTIONS) options: ScimProvisioningOptions,
    private readonly metrics: ScimMetrics,
  ) {
    const settings = resolveActivitySettings(options.activity);
    this.retentionMs = settings.retentionDays * 24 * 3600 * 1000;
    this.recording = settings.record;
  }

  /** The Express middleware that observes every request under the SCIM base path. */
  middleware(): (req: Request, res: Response, next: NextFunction) => void {
    return (req, res, next) => {
      const relative = pathUnderBase(this.basePath, req.path);
      if (relative === undefined) return next();
      const occurredAt = new Date();
      const started = process.hrtime.bigint();
      let recorded = false;
      const record = () => {
        if (recorded) return;
        recorded = true;
        try {
          this.record(req, res, relative, occurredAt, Number((process.hrtime.bigint() - started) / 1_000_000n));
        } catch (error) {
          this.logger.warn(`Could not record a SCIM request (${errorCode(error)})`);
        }
      };
      res.once('finish', record);
      // A refusal made before the pipeline is decided, status and error, before it is held: a client that leaves
      // while it is held was refused all the same, and is counted so (a flood that does not wait for its answers
      // still shows in full in the metrics).
      res.once('close', () => {
        if (!res.writableFinished && earlyRefusalOf(req)) record();
      });
      next();
    };
  }

  /**
   * Marks a request refused before the SCIM pipeline, with the error it is answered: it is counted as any other, its
   * record kept sparingly, and counted even if its client leaves before the answer is sent.
   */
  earlyRefusal(req: Request, error: ScimError): void {
    (req as unknown as Record<symbol, unknown>)[EARLY_REFUSAL] = error;
  }

  private record(req: Request, res: Response, relative: string, occurredAt: Date, durationMs: number): void {
    const sent = (req as unknown as Record<symbol, unknown>)[SCIM_ERROR_SENT];
    const error = sent instanceof ScimError ? sent : earlyRefusalOf(req);
    const hasFilter = typeof req.query?.filter === 'string';
    // A caller the access checks did not admit names nothing: neither its body's userName nor the id in its path is
    // kept, so traffic without a valid admin token leaves only the route and the refusal.
    const authenticated = getScimPrincipal(req) !== undefined;
    const request = classifyScimRequest(req.method, relative, authenticated ? req.body : undefined, hasFilter);
    if (!authenticated) request.resourceId = null;
    const status = res.statusCode;
    // A create names its new resource only in the answer: its Location ends with the new SCIM id.
    const location = status === 201 ? res.getHeader('Location') : undefined;
    if (typeof location === 'string' && request.resourceType && !request.resourceId) {
      request.resourceId = scimIdOf(location.slice(location.lastIndexOf('/') + 1));
    }
    const scimType = error?.scimType ?? null;
    const detail = status >= 400 && error?.detail ? error.detail.slice(0, 512) : null;
    const requestId = (req as { id?: unknown }).id;
    const row: ScimActivityRecordEntity = {
      id: randomUUID(),
      occurredAt,
      requestId: typeof requestId === 'string' ? requestId.slice(0, 64) : null,
      method: req.method.toUpperCase().slice(0, 8),
      ...request,
      status,
      scimType,
      detail,
      cause: failureCause(status, scimType, detail, request.route),
      durationMs,
    };
    this.metrics.observe(row);
    if (!this.recording) return;
    if (earlyRefusalOf(req)) {
      const now = Date.now();
      if (now - this.lastEarlyRefusalRecordedAt < EARLY_REFUSAL_RECORD_INTERVAL_MS) return;
      this.lastEarlyRefusalRecordedAt = now;
    }
    this.buffer.push(row);
    if (this.buffer.length > MAX_BUFFERED) {
      const over = this.buffer.length - MAX_BUFFERED;
      this.buffer.splice(0, over);
      this.metrics.recordsDropped(over);
    }
    if (this.buffer.length >= BATCH_SIZE) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
      this.timer.unref();
    }
  }

  /** Writes what is buffered; resolves once this instance's records so far are stored (or kept for a retry). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(() => this.writeBuffer());
    return this.writing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private async writeBuffer(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, BATCH_SIZE);
      try {
        await this.nameSubjects(batch);
        // The INSERT's text is built once (insertRows), not by the query builder on every flush: building it there
        // cost more than the rest of a request's recording, a few per cent of the server's CPU.
        await insertRows(this.dataSource.manager, ScimActivityRecordEntity, batch, { comment: ACTIVITY_SQL_COMMENT });
        this.buffer.splice(0, batch.length);
      } catch (error) {
        this.logger.warn(`Writing SCIM activity records failed (${errorCode(error)}); retrying later`);
        if (!this.timer && this.dataSource.isInitialized) {
          this.timer = setTimeout(() => void this.flush(), FLUSH_DELAY_MS * 5);
          this.timer.unref();
        }
        return;
      }
    }
  }

  /** Names the users and groups a request reached by id only, from the feature's own tables (one query a kind). */
  private async nameSubjects(batch: ScimActivityRecordEntity[]): Promise<void> {
    const unnamed = (type: string) => [
      ...new Set(batch.filter((r) => r.resourceType === type && r.resourceId && !r.subject).map((r) => r.resourceId!)),
    ];
    const users = unnamed('User');
    const groups = unnamed('Group');
    const names = new Map<string, string>();
    if (users.length) {
      const rows = await this.dataSource.manager
        .createQueryBuilder(ScimUserLinkEntity, 'l')
        .innerJoin(ScimUserProfileEntity, 'p', 'p.userId = l.userId')
        .select(['l.scimId AS id', 'p.userName AS name'])
        .comment(ACTIVITY_SQL_COMMENT)
        .where({ scimId: In(users) })
        .getRawMany<{ id: string; name: string }>();
      for (const row of rows) names.set(row.id, row.name);
    }
    if (groups.length) {
      const rows = await this.dataSource.manager
        .createQueryBuilder(ScimGroupLinkEntity, 'l')
        .innerJoin(ScimGroupProfileEntity, 'p', 'p.groupId = l.groupId')
        .select(['l.scimId AS id', 'p.displayName AS name'])
        .comment(ACTIVITY_SQL_COMMENT)
        .where({ scimId: In(groups) })
        .getRawMany<{ id: string; name: string }>();
      for (const row of rows) names.set(row.id, row.name);
    }
    for (const row of batch) if (!row.subject && row.resourceId) row.subject = names.get(row.resourceId) ?? null;
  }

  /**
   * Deletes the records older than the retention period, in small batches (see deleteInBatches): several instances
   * may purge at once. Returns how many this call deleted.
   */
  async purgeExpired(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.retentionMs);
    return deleteInBatches(this.dataSource, ScimActivityRecordEntity, 'id', { occurredAt: LessThan(before) });
  }
}
