import { Inject, Injectable, Optional } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { InjectIdentityDataSource } from '@nest-scim/identity';
import { LicenseService } from '@nest-scim/license';
import { inTransaction } from '@nest-scim/persistence';
import { ProvisioningModeService, SCIM_LICENSE_REQUIREMENTS } from '@nest-scim/saml';
import {
  PROVISIONING_BASE_PATH,
  PROVISIONING_OPTIONS,
  ScimProvisioningOptions,
} from '../provisioning-options.interface';
import { ScimEnableRefusedError, ScimPrerequisiteFailure } from './scim-enable-refused.error';
import { SIGN_IN_READINESS, SignInReadiness } from './sign-in-readiness';

export const SCIM_NOT_CONFIRMED =
  'Turning on automatic user and group provisioning with SCIM must be confirmed: users and groups then become read-only here';

export interface ScimStatus {
  enabled: boolean;
  /** What Entra ID's "Tenant URL" is; known when the host set `publicUrl`. */
  tenantUrl?: string;
}

/**
 * The SCIM switch: on (the instance becomes externally managed) or back to just-in-time provisioning. Switching on
 * needs the admin's confirmation, an Enterprise license with the `scim` feature, and the host's sign-in to be ready
 * (the SignInReadiness the host plugged in; none when it plugged none); a refusal names every unmet prerequisite and
 * changes nothing. Switching off is always allowed: every user and group becomes editable in the product, and SCIM's
 * links stay, so switching on again resumes with the identity provider's ids (ScimLinksSwitch, in the same
 * transaction). Who may switch is the caller's guard.
 */
@Injectable()
export class ScimSwitch {
  constructor(
    private readonly mode: ProvisioningModeService,
    private readonly licenses: LicenseService,
    @Inject(PROVISIONING_OPTIONS) private readonly options: ScimProvisioningOptions,
    @Inject(PROVISIONING_BASE_PATH) private readonly basePath: string,
    @InjectIdentityDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(SIGN_IN_READINESS) private readonly signIn?: SignInReadiness,
  ) {}

  async status(): Promise<ScimStatus> {
    const enabled = await this.mode.isScimEnabled();
    const publicUrl = this.options.publicUrl?.replace(/\/+$/, '');
    return publicUrl ? { enabled, tenantUrl: `${publicUrl}${this.basePath}` } : { enabled };
  }

  /**
   * What `enable` would refuse now besides the confirmation (license, then sign-in), in the same words, changing
   * nothing: for a page that shows it before asking the admin to confirm.
   */
  async unmetPrerequisites(): Promise<ScimPrerequisiteFailure[]> {
    const failures = await this.licenseFailures();
    const signIn = this.signIn;
    // A transaction of its own, as the switch reads it: the check may lock what it reads.
    const signInUnmet = signIn && (await inTransaction(this.dataSource, (manager) => signIn.unmet(manager)));
    return signInUnmet ? [...failures, { prerequisite: 'sign-in', message: signInUnmet }] : failures;
  }

  async enable(request: { confirmed: boolean }): Promise<void> {
    const failures: ScimPrerequisiteFailure[] = [];
    if (request.confirmed !== true) failures.push({ prerequisite: 'confirmation', message: SCIM_NOT_CONFIRMED });
    failures.push(...(await this.licenseFailures()));
    await this.mode.switchTo('scim', async (manager: EntityManager) => {
      // Read inside the switch's transaction: sign-in turned off a moment ago must not let SCIM on.
      const signInUnmet = await this.signIn?.unmet(manager);
      const unmet = signInUnmet ? [...failures, { prerequisite: 'sign-in' as const, message: signInUnmet }] : failures;
      if (unmet.length) throw new ScimEnableRefusedError(unmet);
    });
  }

  private async licenseFailures(): Promise<ScimPrerequisiteFailure[]> {
    const refusal = await this.licenses.evaluate(SCIM_LICENSE_REQUIREMENTS);
    return refusal ? [{ prerequisite: 'license', message: refusal.message }] : [];
  }

  /** Back to just-in-time provisioning; repeatable. The links to SCIM are kept for a switch back on. */
  async disable(): Promise<void> {
    await this.mode.switchTo('jit');
  }
}
