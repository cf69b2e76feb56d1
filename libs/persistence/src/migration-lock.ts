import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { DataSource, Migration } from 'typeorm';
import { dialectOf } from './dialect';
import { isRetryableTransactionError, isUniqueViolation } from './driver-errors';

/** The table of the migration lock: one row while some process runs migrations, none otherwise. */
export const MIGRATION_LOCK_TABLE = 'schema_migrations_lock';

/**
 * The table holding the lock, beside a data source's migrations table (`<migrations table>_lock`: a table prefix
 * reaches it).
 */
export function migrationLockTable(dataSource: DataSource): string {
  return `${dataSource.options.migrationsTableName ?? 'migrations'}_lock`;
}

export interface MigrationLockOptions {
  /** How long a holder's claim lasts without renewal; a holder that died is replaced after this. Default 60 s. */
  leaseSeconds?: number;
  /** How often a waiting process looks at the lock again. Default 500 ms. */
  pollMs?: number;
  /** How long a process waits for another's migrations before it gives up with an error. Default 30 minutes. */
  timeoutMs?: number;
  /** Where "waiting for …" and "took over …" lines go. */
  log?: (message: string) => void;
}

/**
 * Runs the data source's pending migrations in one process at a time, even when several instances start at the same
 * moment on different nodes of a MariaDB Galera cluster, and makes an instance that starts during another's
 * migrations wait for them.
 *
 * MySQL's `GET_LOCK` is local to a Galera node and row locks only meet at commit, so the lock is a committed row: the
 * process whose `INSERT` of the row with the fixed primary key commits holds it (on one server the others get a
 * duplicate key, on Galera the losers of a race fail certification with a deadlock error). The holder renews a lease
 * while it works and deletes the row when done; a holder that died leaves a lease that runs out, and the next process
 * takes it over with a conditional `UPDATE` that only one can win. Once a process holds the lock it sees every
 * migration committed before (Galera commits write sets in one order on every node), so it runs only what is still
 * pending — nothing, when another process just did the work. SQLite needs none of this: one file, one writer.
 */
export async function runMigrationsExclusively(
  dataSource: DataSource,
  options: MigrationLockOptions = {},
): Promise<Migration[]> {
  if (dialectOf(dataSource) !== 'mysql') return dataSource.runMigrations({ transaction: 'each' });
  const lock = await MigrationLock.acquire(dataSource, options);
  try {
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.release();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class MigrationLock {
  private renewal?: NodeJS.Timeout;
  private renewing?: Promise<void>;

  private constructor(
    private readonly dataSource: DataSource,
    private readonly owner: string,
    private readonly leaseSeconds: number,
    private readonly log: (message: string) => void,
  ) {}

  static async acquire(dataSource: DataSource, options: MigrationLockOptions): Promise<MigrationLock> {
    const leaseSeconds = options.leaseSeconds ?? 60;
    const pollMs = options.pollMs ?? 500;
    const timeoutMs = options.timeoutMs ?? 30 * 60 * 1000;
    if (!Number.isInteger(leaseSeconds) || leaseSeconds < 1) throw new RangeError('leaseSeconds must be 1 or more');
    if (!(pollMs > 0) || !(timeoutMs > 0)) throw new RangeError('pollMs and timeoutMs must be positive');
    const log = options.log ?? (() => undefined);
    const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`.slice(0, 100);
    await dataSource.query(
      `CREATE TABLE IF NOT EXISTS \`${migrationLockTable(dataSource)}\` (\`id\` tinyint unsigned NOT NULL, ` +
        `\`owner\` varchar(100) NOT NULL, \`expires_at\` datetime(3) NOT NULL, PRIMARY KEY (\`id\`)) ` +
        'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    );
    const lock = new MigrationLock(dataSource, owner, leaseSeconds, log);
    const deadline = Date.now() + timeoutMs;
    let announced: string | undefined;
    for (;;) {
      if (await lock.tryInsert()) break;
      if (await lock.tryTakeOver()) {
        log(`Took over the migration lock from a process whose lease ran out`);
        break;
      }
      const holder = await lock.holder();
      if (holder && holder !== announced) {
        log(`Waiting for the migrations run by ${holder}`);
        announced = holder;
      }
      if (Date.now() > deadline) {
        throw new Error(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for the migration lock (${holder})`);
      }
      await sleep(pollMs);
    }
    lock.startRenewal();
    return lock;
  }

  private async tryInsert(): Promise<boolean> {
    try {
      await this.dataSource.query(
        `INSERT INTO \`${migrationLockTable(this.dataSource)}\` (\`id\`, \`owner\`, \`expires_at\`) ` +
          'VALUES (1, ?, UTC_TIMESTAMP(3) + INTERVAL ? SECOND)',
        [this.owner, this.leaseSeconds],
      );
      return true;
    } catch (error) {
      if (isUniqueViolation(error) || isRetryableTransactionError(error)) return false;
      throw error;
    }
  }

  private async tryTakeOver(): Promise<boolean> {
    try {
      const result = (await this.dataSource.query(
        `UPDATE \`${migrationLockTable(this.dataSource)}\` SET \`owner\` = ?, \`expires_at\` = UTC_TIMESTAMP(3) + INTERVAL ? SECOND ` +
          'WHERE `id` = 1 AND `expires_at` < UTC_TIMESTAMP(3)',
        [this.owner, this.leaseSeconds],
      )) as { affectedRows?: number };
      return result.affectedRows === 1;
    } catch (error) {
      if (isRetryableTransactionError(error)) return false;
      throw error;
    }
  }

  private async holder(): Promise<string | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT \`owner\` FROM \`${migrationLockTable(this.dataSource)}\` WHERE \`id\` = 1`,
    )) as { owner: string }[];
    return rows[0]?.owner;
  }

  private startRenewal(): void {
    const every = Math.max(250, Math.floor((this.leaseSeconds * 1000) / 3));
    this.renewal = setInterval(() => {
      this.renewing = this.renew();
    }, every);
    this.renewal.unref();
  }

  private async renew(): Promise<void> {
    try {
      const result = (await this.dataSource.query(
        `UPDATE \`${migrationLockTable(this.dataSource)}\` SET \`expires_at\` = UTC_TIMESTAMP(3) + INTERVAL ? SECOND ` +
          'WHERE `id` = 1 AND `owner` = ?',
        [this.leaseSeconds, this.owner],
      )) as { affectedRows?: number };
      if (result.affectedRows === 0) {
        this.log('The migration lock was taken over while this process held it (its lease ran out)');
      }
    } catch {
      // A missed renewal is made up by the next one; the lease is three renewals long.
    }
  }

  async release(): Promise<void> {
    clearInterval(this.renewal);
    await this.renewing;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.dataSource.query(
          `DELETE FROM \`${migrationLockTable(this.dataSource)}\` WHERE \`id\` = 1 AND \`owner\` = ?`,
          [this.owner],
        );
        return;
      } catch (error) {
        // Left behind, the row only delays the next start by one lease.
        if (attempt >= 5 || !isRetryableTransactionError(error)) return;
        await sleep(50 * attempt);
      }
    }
  }
}
