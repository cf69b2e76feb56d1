import { BadRequestException } from '@nestjs/common';
import type { SamlMissingSetting } from '../settings/saml-settings.types';

export type ScimPrerequisite = 'confirmation' | 'license' | 'saml';

export interface ScimPrerequisiteFailure {
  prerequisite: ScimPrerequisite;
  message: string;
  /** For `saml`: each missing setting with the product's message. */
  missingSettings?: SamlMissingSetting[];
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
