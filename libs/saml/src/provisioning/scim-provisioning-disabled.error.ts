import { ForbiddenException } from '@nestjs/common';
import { SCIM_PROVISIONING_DISABLED } from './provisioning-mode.constants';

/**
 * A SCIM route was called while the instance provisions just in time. A plain Nest 403, which the SCIM layer renders
 * as a SCIM error with this message as `detail`.
 */
export class ScimProvisioningDisabledError extends ForbiddenException {
  constructor() {
    super(SCIM_PROVISIONING_DISABLED);
    this.name = 'ScimProvisioningDisabledError';
  }
}
