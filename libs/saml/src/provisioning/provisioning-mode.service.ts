import { inTransaction } from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { SAML_DATA_SOURCE } from '../saml.constants';
import { SamlSettingsService } from '../settings/saml-settings.service';
import {
  PROVISIONING_MODE_LISTENERS,
  SCIM_LICENSE_REQUIREMENTS,
  SCIM_NEEDS_SAML,
  SCIM_NOT_CONFIRMED,
} from './provisioning-mode.constants';
import { ProvisioningModeRepository } from './provisioning-mode.repository';
import type { EnableScimRequest, ProvisioningMode, ProvisioningModeListener } from './provisioning-mode.types';
import { ScimEnableRefusedError, ScimPrerequisiteFailure } from './scim-enable-refused.error';

/**
 * The provisioning mode of the instance, JIT by default. Stored in the database and read on every call, so all
 * instances switch together. Who may switch (an admin) is the caller's guard; what the switch needs is checked here.
 */
@Injectable()
export class ProvisioningModeService {
  constructor(
    @Inject(SAML_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly repository: ProvisioningModeRepository,
    private readonly samlSettings: SamlSettingsService,
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

  /**
   * Switches to SCIM. Needs the admin's explicit confirmation, an Enterprise license with the `scim` feature, and
   * SAML enabled and complete; refuses with a ScimEnableRefusedError naming every prerequisite that is not met.
   */
  async enableScim(request: EnableScimRequest): Promise<void> {
    const failures: ScimPrerequisiteFailure[] = [];
    if (request.confirmed !== true) failures.push({ prerequisite: 'confirmation', message: SCIM_NOT_CONFIRMED });
    const licenseRefusal = await request.license.evaluate(SCIM_LICENSE_REQUIREMENTS);
    if (licenseRefusal) failures.push({ prerequisite: 'license', message: licenseRefusal.message });
    await inTransaction(this.dataSource, async (manager) => {
      const unmet = [...failures]; // a fresh list each time inTransaction runs this again after a deadlock
      // Read inside the switch's transaction: SAML turned off a moment ago must not let SCIM on.
      const missing = await this.samlSettings.missing(manager);
      if (missing.length) {
        unmet.push({
          prerequisite: 'saml',
          message: `${SCIM_NEEDS_SAML}: ${missing.map((m) => m.message).join(', ')}`,
          missingSettings: missing,
        });
      }
      if (unmet.length) throw new ScimEnableRefusedError(unmet);
      await this.switchTo(manager, 'scim');
    });
  }

  /**
   * Back to JIT. Always allowed, and repeatable: listeners are told every time, so links left over from an earlier
   * switch are dropped too.
   */
  async disableScim(): Promise<void> {
    await inTransaction(this.dataSource, (manager) => this.switchTo(manager, 'jit'));
  }

  private async switchTo(manager: EntityManager, to: ProvisioningMode): Promise<void> {
    const from = await this.currentMode(manager);
    await this.repository.writeScimEnabled(manager, to === 'scim', new Date());
    for (const listener of this.listeners) await listener.onProvisioningModeChange({ from, to }, manager);
  }
}
