import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ProvisioningModeService } from './provisioning-mode.service';
import { ScimProvisioningDisabledError } from './scim-provisioning-disabled.error';

/**
 * Lets a request through only while the instance is in SCIM mode, read from the database on every request. Scoped
 * by the host with `@UseGuards(ProvisioningModeGuard)`; never registered globally.
 */
@Injectable()
export class ProvisioningModeGuard implements CanActivate {
  constructor(protected readonly provisioningMode: ProvisioningModeService) {}

  async canActivate(_context: ExecutionContext): Promise<boolean> {
    if (await this.provisioningMode.isScimEnabled()) return true;
    this.refuse(new ScimProvisioningDisabledError());
  }

  /** Where a refusal leaves the guard; a subclass may throw its own error type instead. Must throw. */
  protected refuse(error: ScimProvisioningDisabledError): never {
    throw error;
  }
}
