import type { DataSource, EntityManager } from 'typeorm';
import { dialectOf, inTransaction } from '@app/persistence';
import { ProvisioningModeService, ScimProvisioningDisabledError } from '@app/saml';
import { scimErrors } from './scim-error.mapping';

/** How the SCIM stores talk to the database: one transaction per write, reads that never see half a write. */
export class ScimTransactions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mode: ProvisioningModeService,
  ) {}

  /**
   * One transaction, entirely applied or not at all. The provisioning mode is read again inside it (with a shared
   * lock on MySQL): a switch back to just-in-time waits for writes in flight, and a write that starts after the
   * switch is refused — the access check ran before, outside any transaction.
   */
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return scimErrors(() =>
      inTransaction(this.dataSource, async (manager) => {
        if (!(await this.mode.isScimEnabled(manager))) throw new ScimProvisioningDisabledError();
        return work(manager);
      }),
    );
  }

  /**
   * On SQLite every request shares one connection, so a read outside a transaction could see another request's
   * uncommitted (and perhaps rolled back) changes: reads queue behind writes there. MySQL isolates them itself.
   */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return dialectOf(this.dataSource) === 'sqlite'
      ? inTransaction(this.dataSource, work)
      : work(this.dataSource.manager);
  }
}
