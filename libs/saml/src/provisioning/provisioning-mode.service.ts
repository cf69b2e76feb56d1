import { inTransaction, ScalarRead } from '@nest-scim/persistence';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { SAML_DATA_SOURCE } from '../saml.constants';
import { PROVISIONING_MODE_LISTENERS } from './provisioning-mode.constants';
import { ProvisioningModeRepository } from './provisioning-mode.repository';
import type { ProvisioningMode, ProvisioningModeListener } from './provisioning-mode.types';

/**
 * The provisioning mode of the instance, JIT by default. Stored in the database and read on every call, so all
 * instances switch together. Who may switch (an admin) and what switching needs are the caller's to check.
 */
@Injectable()
export class ProvisioningModeService {
  constructor(
    @Inject(SAML_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly repository: ProvisioningModeRepository,
    @Inject(PROVISIONING_MODE_LISTENERS) private readonly listeners: readonly ProvisioningModeListener[],
  ) {}

  /**
   * Pass the manager of the caller's own transaction (a SCIM write, say) to read the mode inside it: on MySQL the
   * read then holds a shared lock, so a concurrent switch waits until that write has committed or rolled back.
   */
  async currentMode(manager?: EntityManager): Promise<ProvisioningMode> {
    return (await this.repository.readScimEnabled(manager)) ? 'scim' : 'jit';
  }

  async isScimEnabled(manager?: EntityManager): Promise<boolean> {
    return (await this.currentMode(manager)) === 'scim';
  }

  /** `isScimEnabled` as a read another statement carries (see ScalarRead); locked as it is inside a transaction. */
  scimEnabledRead(manager?: EntityManager): ScalarRead<boolean> {
    return this.repository.scimEnabledRead(manager);
  }

  /**
   * A condition, for a statement of the caller's transaction, that holds only while SCIM is on; it reads the mode with
   * the same shared lock as `isScimEnabled(manager)`.
   */
  scimEnabledCondition(manager: EntityManager): { sql: string; parameters: unknown[] } {
    return this.repository.scimEnabledCondition(manager);
  }

  /**
   * Switches the mode, telling the listeners inside the same transaction (throwing rolls the switch back). `check`
   * runs first in that transaction, with its manager, so prerequisites the caller checks (such as what switching SCIM
   * on needs; `@nest-scim/provisioning`'s ScimSwitch) are read in the switch's own transaction. Repeatable: listeners are
   * told every time, the mode already in force included.
   */
  async switchTo(to: ProvisioningMode, check?: (manager: EntityManager) => Promise<void>): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      await check?.(manager);
      const from = await this.currentMode(manager);
      await this.repository.writeScimEnabled(manager, to === 'scim', new Date());
      for (const listener of this.listeners) await listener.onProvisioningModeChange({ from, to }, manager);
    });
  }
}
