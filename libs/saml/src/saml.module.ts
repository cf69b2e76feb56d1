import { DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { PROVISIONING_MODE_LISTENERS } from './provisioning/provisioning-mode.constants';
import { ProvisioningModeGuard } from './provisioning/provisioning-mode.guard';
import { ProvisioningModeRepository } from './provisioning/provisioning-mode.repository';
import { ProvisioningModeService } from './provisioning/provisioning-mode.service';
import type { ProvisioningModeListener } from './provisioning/provisioning-mode.types';
import type { SamlModuleOptions } from './saml-module-options.interface';
import {
  DEFAULT_SAML_STORAGE_KEYS,
  SAML_DATA_SOURCE,
  SAML_STORAGE_KEYS,
  SCIM_SIGNS_IN_WITH_SAML,
} from './saml.constants';
import { SAML_ENTITIES } from './saml.entities';
import { SamlSettingsRepository } from './settings/saml-settings.repository';
import { SamlSettingsService } from './settings/saml-settings.service';
import { SamlSignInReadiness } from './settings/saml-sign-in.readiness';
import { SamlMessagesRepository } from './sign-in/saml-messages.repository';
import { SamlSignInService } from './sign-in/saml-sign-in.service';

/**
 * SAML settings and the provisioning mode for a host: `SamlModule.forRoot({ provisioningModeListeners })` next to
 * the host's `TypeOrmModule.forRoot(...)`. Exports the settings, provisioning-mode and sign-in services and
 * ProvisioningModeGuard; nothing global.
 */
@Module({})
export class SamlModule {
  static forRoot(options: SamlModuleOptions = {}): DynamicModule {
    const listeners = options.provisioningModeListeners ?? [];
    return {
      module: SamlModule,
      imports: [...(options.imports ?? []), TypeOrmModule.forFeature(SAML_ENTITIES, options.dataSource)],
      providers: [
        { provide: SAML_DATA_SOURCE, useExisting: getDataSourceToken(options.dataSource) },
        { provide: SAML_STORAGE_KEYS, useValue: { ...DEFAULT_SAML_STORAGE_KEYS, ...options.storageKeys } },
        { provide: SCIM_SIGNS_IN_WITH_SAML, useValue: options.scimSignsInWithSaml ?? false },
        ...listeners,
        {
          provide: PROVISIONING_MODE_LISTENERS,
          useFactory: (...instances: ProvisioningModeListener[]) => instances,
          inject: listeners,
        },
        SamlSettingsRepository,
        SamlSettingsService,
        SamlSignInReadiness,
        ProvisioningModeRepository,
        ProvisioningModeService,
        ProvisioningModeGuard,
        SamlMessagesRepository,
        SamlSignInService,
      ],
      exports: [
        SamlSettingsService,
        SamlSignInReadiness,
        ProvisioningModeService,
        ProvisioningModeGuard,
        SamlSignInService,
      ],
    };
  }
}
