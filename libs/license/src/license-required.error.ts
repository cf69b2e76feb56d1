import { ForbiddenException } from '@nestjs/common';
import type { LicenseRefusalReason, LicenseRequirements } from './license.types';

/**
 * Thrown when the installed license does not allow what was asked. It is a plain Nest 403, so a host's own exception
 * filter renders it like any other ForbiddenException; the SCIM layer turns it into a SCIM 403 whose `detail` is
 * `message`.
 */
export class LicenseRequiredError extends ForbiddenException {
  constructor(
    readonly reason: LicenseRefusalReason,
    message: string,
    readonly requirements: LicenseRequirements,
  ) {
    super(message);
    this.name = 'LicenseRequiredError';
  }
}
