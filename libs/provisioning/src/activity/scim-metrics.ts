import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { InjectIdentityDataSource } from '@nest-scim/identity';
import { LicenseService } from '@nest-scim/license';
import { dialectOf } from '@nest-scim/persistence';
import { ProvisioningModeService } from '@nest-scim/saml';
import { PROVISIONING_OPTIONS, ScimProvisioningOptions } from '../provisioning-options.interface';
import { ScimActivityRecordEntity } from './scim-activity-record.entity';

const DAY_MS = 24 * 3600 * 1000;

/** mysql2's pool keeps its connections in these lists; they are no public API, so each is read defensively. */
interface Mysql2PoolInternals {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

/**
 * The provisioning feature's Prometheus metrics (prom-client): SCIM requests by route, method and status, their
 * latency, refusals by cause, the database pool, the provisioning mode, the license's days left and the last contact
 * from Entra ID. They live on the host's registry when it gives one (`metricsRegistry`), else on one of the feature's
 * own; the gauges that read the database are computed when the registry is scraped, not on the SCIM path.
 */
@Injectable()
export class ScimMetrics {
  readonly registry: Registry;
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly duration: Histogram<'route' | 'method'>;
  private readonly refusals: Counter<'reason'>;
  private readonly dropped: Counter;
  private lastContact?: Date;

  constructor(
    @Inject(PROVISIONING_OPTIONS) options: ScimProvisioningOptions,
    @InjectIdentityDataSource() private readonly dataSource: DataSource,
    private readonly licenses: LicenseService,
    private readonly mode: ProvisioningModeService,
  ) {
    this.registry = options.metricsRegistry ?? new Registry();
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'scim_requests_total',
      help: 'SCIM requests answered, by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'scim_request_duration_seconds',
      help: 'Time to answer a SCIM request, by route template and method',
      labelNames: ['route', 'method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.refusals = new Counter({
      name: 'scim_refusals_total',
      help: 'SCIM requests refused or failed, by cause (credentials, license, mode, local-account, filter, …)',
      labelNames: ['reason'],
      registers,
    });
    this.dropped = new Counter({
      name: 'scim_activity_records_dropped_total',
      help: 'Activity records lost because the database stayed unavailable while the buffer was full',
      registers,
    });
    // prom-client calls `collect` with the gauge as `this`; the feature's services are reached through `feature`.
    const feature = {
      pool: () => this.mysqlPool(),
      mode: this.mode,
      licenses: this.licenses,
      lastContactAt: () => this.lastContactAt(),
    };
    new Gauge({
      name: 'scim_database_pool_connections',
      help: 'Connections of the MySQL pool by state (in_use, idle, waiting requests); absent on SQLite',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = feature.pool();
        if (!pool) return;
        const all = pool._allConnections?.length ?? 0;
        const idle = pool._freeConnections?.length ?? 0;
        this.set({ state: 'in_use' }, all - idle);
        this.set({ state: 'idle' }, idle);
        this.set({ state: 'waiting' }, pool._connectionQueue?.length ?? 0);
      },
    });
    new Gauge({
      name: 'scim_provisioning_mode',
      help: 'The provisioning mode in force: 1 on the current mode (scim or jit), 0 on the other',
      labelNames: ['mode'],
      registers,
      async collect() {
        const scim = await feature.mode.isScimEnabled();
        this.set({ mode: 'scim' }, scim ? 1 : 0);
        this.set({ mode: 'jit' }, scim ? 0 : 1);
      },
    });
    new Gauge({
      name: 'scim_license_days_left',
      help: 'Days until the installed license expires (negative once expired); absent without an expiring license',
      registers,
      async collect() {
        this.reset();
        const license = await feature.licenses.current();
        if (license.expiresAt) this.set(Math.floor((license.expiresAt.getTime() - Date.now()) / DAY_MS));
      },
    });
    new Gauge({
      name: 'scim_last_contact_timestamp_seconds',
      help: 'When the last SCIM request arrived (any instance), in seconds since the epoch; absent before the first',
      registers,
      async collect() {
        this.reset();
        const last = await feature.lastContactAt();
        if (last) this.set(last.getTime() / 1000);
      },
    });
  }

  /** Counts one answered request; called off the request's path, once the answer is sent. */
  observe(row: Pick<ScimActivityRecordEntity, 'route' | 'method' | 'status' | 'cause' | 'durationMs' | 'occurredAt'>) {
    this.requests.inc({ route: row.route, method: row.method, status: String(row.status) });
    this.duration.observe({ route: row.route, method: row.method }, row.durationMs / 1000);
    if (row.cause) this.refusals.inc({ reason: row.cause });
    if (!this.lastContact || row.occurredAt > this.lastContact) this.lastContact = row.occurredAt;
  }

  recordsDropped(count: number): void {
    this.dropped.inc(count);
  }

  /** The newest request seen by this instance or recorded by any. */
  private async lastContactAt(): Promise<Date | undefined> {
    const [row] = await this.dataSource.manager.find(ScimActivityRecordEntity, {
      select: { id: true, occurredAt: true },
      order: { occurredAt: 'DESC' },
      take: 1,
    });
    const stored = row?.occurredAt;
    if (!stored) return this.lastContact;
    return !this.lastContact || stored > this.lastContact ? stored : this.lastContact;
  }

  private mysqlPool(): Mysql2PoolInternals | undefined {
    if (dialectOf(this.dataSource) !== 'mysql') return undefined;
    return (this.dataSource.driver as { pool?: Mysql2PoolInternals }).pool;
  }
}
