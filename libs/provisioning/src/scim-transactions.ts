import type { DataSource, EntityManager } from 'typeorm';
import { committedRead, inTransaction } from '@nest-scim/persistence';
import { ProvisioningModeService, ScimProvisioningDisabledError } from '@nest-scim/saml';
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

  /** Reads only committed data: on SQLite they queue behind writes (see committedRead); MySQL isolates them itself. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return committedRead(this.dataSource, work);
  }
}
