import type { DataSource, EntityManager } from 'typeorm';
import { committedRead, inTransaction, isRetryableTransactionError } from '@nest-scim/persistence';
import { ProvisioningModeService, ScimProvisioningDisabledError } from '@nest-scim/saml';
import { scimErrors } from './scim-error.mapping';

/** The mode check a write still owes: settled by the statement that carries it, or read by itself at the end. */
interface PendingModeCheck {
  readonly mode: ProvisioningModeService;
  settled: boolean;
}

const pendingChecks = new WeakMap<EntityManager, PendingModeCheck>();

/**
 * The condition "SCIM is on" (with its shared lock on MySQL) when the write of `manager` still owes its mode check, for
 * a statement of that write to carry; `settle` then tells the write the check is done (the statement ran, and wrote
 * only if the condition held). Undefined outside a SCIM write or once the check is done.
 */
export function pendingModeCondition(
  manager: EntityManager,
): { sql: string; parameters: unknown[]; settle: () => void } | undefined {
  const check = pendingChecks.get(manager);
  if (!check || check.settled) return undefined;
  return { ...check.mode.scimEnabledCondition(manager), settle: () => (check.settled = true) };
}

/** How the SCIM stores talk to the database: one transaction per write, reads that never see half a write. */
export class ScimTransactions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mode: ProvisioningModeService,
  ) {}

  /**
   * One transaction, entirely applied or not at all. The provisioning mode is read again inside it (with a shared
   * lock on MySQL), by the write's audit record, which is inserted only while SCIM is on (see ScimAuditTrail): a write
   * that reaches its record before a switch back to just-in-time makes the switch wait until it has committed, and one
   * that would commit after the switch is refused and rolled back — the access check ran before, outside any
   * transaction. A write that records nothing (it changed nothing) or fails first reads the mode by itself, so a
   * switched-off instance answers 403 before any other refusal, as the access check would.
   */
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return scimErrors(() =>
      inTransaction(this.dataSource, async (manager) => {
        const check: PendingModeCheck = { mode: this.mode, settled: false };
        pendingChecks.set(manager, check);
        try {
          let result: T;
          try {
            result = await work(manager);
          } catch (error) {
            // A lost deadlock runs the whole write again, its check included.
            if (!check.settled && !isRetryableTransactionError(error)) await this.refuseWhenOff(manager, check, error);
            throw error;
          }
          if (!check.settled) await this.refuseWhenOff(manager, check);
          return result;
        } finally {
          pendingChecks.delete(manager);
        }
      }),
    );
  }

  /** Reads the mode by itself; a failure of that read leaves the write's own error (when it has one) to surface. */
  private async refuseWhenOff(manager: EntityManager, check: PendingModeCheck, failure?: unknown): Promise<void> {
    check.settled = true;
    let enabled: boolean;
    try {
      enabled = await this.mode.isScimEnabled(manager);
    } catch (error) {
      throw failure ?? error;
    }
    if (!enabled) throw new ScimProvisioningDisabledError();
  }

  /** Reads only committed data: on SQLite they queue behind writes (see committedRead); MySQL isolates them itself. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return committedRead(this.dataSource, work);
  }
}
