import { BadRequestException } from '@nestjs/common';
import type { SamlSettingError } from './saml-settings.types';

/** One or more refused SAML setting values; a Nest 400 whose `errors` name the setting each message is about. */
export class SamlSettingsValidationError extends BadRequestException {
  constructor(readonly errors: readonly SamlSettingError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'SamlSettingsValidationError';
  }
}
