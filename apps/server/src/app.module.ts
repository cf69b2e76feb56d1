import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ScimProvisioningModule } from '@nest-scim/provisioning';
import { SamlSignInReadiness, SONARQUBE_STORAGE_KEYS } from '@nest-scim/saml';
import { AdminPageModule } from './admin-page/admin-page.module';
import type { ServerConfig } from './config/server-config';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { loggingOptions } from './logging/logging.options';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { MetricsModule } from './metrics/metrics.module';
import { SamlSignInModule } from './saml-sign-in/saml-sign-in.module';
import { ServerConfigModule } from './server-config.module';
import { SERVER_CONFIG } from './server-config.token';
import { WebApiModule } from './web-api/web-api.module';

/** The names of the product this server stands in for, in its messages, groups and settings. */
export const SONARQUBE_NAMES = {
  productName: 'SonarQube',
  defaultGroupName: 'sonar-users',
  administratorsGroupName: 'sonar-administrators',
} as const;

/** The standalone server: one host of the provisioning feature, composed the way an embedding backend would. */
@Module({})
export class AppModule {
  static forRoot(config: ServerConfig): DynamicModule {
    const configModule = ServerConfigModule.forRoot(config);
    // One object, imported here, by the SAML sign-in and by the Web API, so all see one instance of the feature.
    const provisioning = ScimProvisioningModule.forRootAsync({
      imports: [configModule],
      inject: [SERVER_CONFIG],
      useFactory: (c: ServerConfig) => ({
        trustedLicensePublicKeys: c.licensePublicKeys,
        publicUrl: c.publicUrl,
        limits: c.scimLimits,
        auth: { signInThrottle: c.authThrottle },
        blockedAddressRefusal: c.blockedAddressRefusal,
        activity: c.scimActivity,
        ...SONARQUBE_NAMES,
      }),
      // People sign in through SAML here: SCIM needs its settings complete.
      signInReadiness: SamlSignInReadiness,
      storageKeys: SONARQUBE_STORAGE_KEYS,
    });
    return {
      module: AppModule,
      imports: [
        configModule,
        LoggerModule.forRoot(loggingOptions(config)),
        DatabaseModule.forRoot(config),
        HealthModule,
        provisioning,
        SamlSignInModule.forRoot({ imports: [provisioning], publicUrl: config.publicUrl }),
        WebApiModule.forRoot({ imports: [provisioning], publicUrl: config.publicUrl }),
        AdminPageModule.forRoot(),
        MaintenanceModule.forRoot([provisioning, configModule]),
        MetricsModule.forRoot(config, [provisioning, configModule]),
      ],
    };
  }
}
