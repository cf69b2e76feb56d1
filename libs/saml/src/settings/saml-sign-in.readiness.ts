import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SCIM_NEEDS_SAML } from '../provisioning/provisioning-mode.constants';
import { SamlSettingsService } from './saml-settings.service';

/**
 * "Sign-in is configured" when sign-in is SAML: the settings are enabled and complete (the product's rule), else the
 * missing settings, one message each. Fits `@nest-scim/provisioning`'s SignInReadiness, for a host whose people sign in
 * through SAML; a host on another sign-in plugs in its own check.
 */
@Injectable()
export class SamlSignInReadiness {
  constructor(private readonly settings: SamlSettingsService) {}

  async unmet(manager: EntityManager): Promise<string | undefined> {
    const missing = await this.settings.missing(manager);
    return missing.length ? `${SCIM_NEEDS_SAML}: ${missing.map((m) => m.message).join(', ')}` : undefined;
  }
}
