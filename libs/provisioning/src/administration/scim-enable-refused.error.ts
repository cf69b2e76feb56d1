import { BadRequestException } from '@nestjs/common';

/** What switching SCIM on needs: the admin's confirmation, the license, and the host's sign-in being ready. */
export type ScimPrerequisite = 'confirmation' | 'license' | 'sign-in';

export interface ScimPrerequisiteFailure {
  prerequisite: ScimPrerequisite;
  message: string;
}

/**
 * Enabling SCIM was refused. Every unmet prerequisite is listed, one message each, so the admin can fix them all
 * in one pass. A Nest 400 by default.
 */
export class ScimEnableRefusedError extends BadRequestException {
  constructor(readonly failures: readonly ScimPrerequisiteFailure[]) {
    super(failures.map((f) => f.message).join('; '));
    this.name = 'ScimEnableRefusedError';
  }
}
