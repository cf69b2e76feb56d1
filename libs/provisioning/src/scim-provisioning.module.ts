import {
  DynamicModule,
  Inject,
  Injectable,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnApplicationBootstrap,
  RequestMethod,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@nest-scim/auth';
import { GroupsService, IdentityModule } from '@nest-scim/identity';
import { LicenseModule } from '@nest-scim/license';
import { SamlModule, SamlSignInReadiness } from '@nest-scim/saml';
import { resolveScimOptions, ScimModule } from '@nest-scim/scim';
import { ScimActivityRecorder } from './activity/scim-activity.recorder';
import { BlockedAddressTarpit } from './blocked-address.tarpit';
import { ScimActivity } from './activity/scim-activity.service';
import { ScimMetrics } from './activity/scim-metrics';
import { ProvisioningAdministrationModule } from './administration/administration.module';
import { ScimDirectoryModule } from './directory/scim-directory.module';
import { HostBodyParserBridge } from './host-body-parser.bridge';
import { PROVISIONING_ENTITIES } from './provisioning.entities';
import { ProvisioningSecurityModule } from './provisioning-security.module';
import {
  PROVISIONING_BASE_PATH,
  PROVISIONING_OPTIONS,
  ScimProvisioningAsyncOptions,
  ScimProvisioningOptions,
} from './provisioning-options.interface';
import { ScimAccessCheck } from './scim-access.checks';
import { ScimBlockedAddressRefusal } from './scim-blocked-address.middleware';
import { ScimGroupsStore } from './scim-groups.store';
import { ScimLinksSwitch } from './scim-links.switch';
import { ProvisioningStorageErrors } from './scim-storage.errors';
import { ScimUsersStore } from './scim-users.store';

/** Creates the built-in groups once the database is migrated; harmless on every start and on every instance. */
@Injectable()
class ProvisioningBootstrap implements OnApplicationBootstrap {
  constructor(private readonly groups: GroupsService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.groups.ensureBuiltIns();
  }
}

@Module({})
class ProvisioningOptionsModule {}

/**
 * SCIM 2.0 provisioning for a Nest product in one import: the SCIM endpoint (discovery, /Users, /Groups) behind the
 * token → admin → license → provisioning-mode checks, with the identity, auth, license and SAML libraries it stands
 * on. The host supplies the TypeORM connection (its own or a named one) and the options; nothing is global.
 */
@Module({})
export class ScimProvisioningModule implements NestModule {
  constructor(
    private readonly bodyParserBridge: HostBodyParserBridge,
    private readonly adapterHost: HttpAdapterHost,
    private readonly activityRecorder: ScimActivityRecorder,
    @Inject(PROVISIONING_BASE_PATH) private readonly basePath: string,
  ) {}

  static forRootAsync(options: ScimProvisioningAsyncOptions): DynamicModule {
    const dataSource = options.dataSource;
    const basePath = resolveScimOptions({ basePath: options.basePath }).basePath;
    const settings: DynamicModule = {
      module: ProvisioningOptionsModule,
      imports: options.imports ?? [],
      providers: [
        { provide: PROVISIONING_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        { provide: PROVISIONING_BASE_PATH, useValue: basePath },
      ],
      exports: [PROVISIONING_OPTIONS, PROVISIONING_BASE_PATH],
    };
    const fromSettings = <T>(pick: (o: ScimProvisioningOptions) => T) => ({
      imports: [settings],
      inject: [PROVISIONING_OPTIONS],
      useFactory: (o: ScimProvisioningOptions) => pick(o),
      dataSource,
    });
    const identity = IdentityModule.forRootAsync(
      fromSettings((o) => ({
        defaultGroupName: o.defaultGroupName,
        administratorsGroupName: o.administratorsGroupName,
      })),
    );
    const authSettings = fromSettings((o) => o.auth ?? {});
    const auth = AuthModule.forRootAsync({ ...authSettings, imports: [identity, settings] });
    const license = LicenseModule.forRootAsync(
      fromSettings((o) => ({ trustedPublicKeys: o.trustedLicensePublicKeys, clock: o.clock })),
    );
    const directory = ScimDirectoryModule.register({
      imports: [identity, ...(options.imports ?? [])],
      directory: options.directory,
      hooks: options.hooks,
    });
    const saml = SamlModule.forRoot({
      imports: [identity, directory],
      dataSource,
      provisioningModeListeners: [ScimLinksSwitch],
      // SCIM's people sign in through SAML when the host says so: SAML must then stay complete while SCIM is on.
      scimSignsInWithSaml: options.signInReadiness === SamlSignInReadiness,
      storageKeys: options.storageKeys,
    });
    const security = ProvisioningSecurityModule.register([identity, auth]);
    const administration = ProvisioningAdministrationModule.register(
      [settings, identity, auth, license, saml, ...(options.imports ?? [])],
      options.signInReadiness,
    );
    const scim = ScimModule.forRootAsync({
      imports: [
        settings,
        identity,
        auth,
        license,
        saml,
        security,
        directory,
        TypeOrmModule.forFeature(PROVISIONING_ENTITIES, dataSource),
      ],
      inject: [PROVISIONING_OPTIONS],
      useFactory: (o: ScimProvisioningOptions) => ({ publicUrl: o.publicUrl, limits: o.limits }),
      basePath,
      userStore: ScimUsersStore,
      groupStore: ScimGroupsStore,
      accessChecks: [ScimAccessCheck],
      storageErrors: ProvisioningStorageErrors,
    });
    return {
      module: ScimProvisioningModule,
      // Global only in the DI sense (a host's modules may inject LicenseGuard and the services without importing
      // this module again); no guard, pipe or filter is ever registered globally.
      global: options.isGlobal ?? false,
      imports: [settings, identity, auth, license, saml, security, directory, administration, scim],
      providers: [
        ProvisioningBootstrap,
        HostBodyParserBridge,
        ScimMetrics,
        ScimActivityRecorder,
        ScimActivity,
        BlockedAddressTarpit,
      ],
      // `security` exports the audit trail and `administration` the managed-instance rules, for the host's admin API;
      // the activity (cycles, failures, connection health, retention) and the metrics are the host's to serve; the
      // tarpit is the host's to hold its own surfaces' refusals of blocked addresses in, under the one cap.
      exports: [
        settings,
        identity,
        auth,
        license,
        saml,
        security,
        administration,
        directory,
        ScimMetrics,
        ScimActivityRecorder,
        ScimActivity,
        BlockedAddressTarpit,
      ],
    };
  }

  // Runs once the host's global parsers are in place and before any middleware or route is mounted.
  configure(consumer: MiddlewareConsumer): void {
    this.bodyParserBridge.install();
    // Every request under the base path, routed or not, refused by a guard or not, leaves an activity record (bar the
    // refusals of a blocked address before the pipeline, recorded at most once a second; see ScimActivityRecorder).
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'express') return;
    adapter.use(this.activityRecorder.middleware());
    // A blocked address's made-up tokens are refused before the SCIM endpoint's own middleware and guards (the
    // host's request logging, registered by a module nearer the root, still sees them), after a hold.
    consumer
      .apply(ScimBlockedAddressRefusal)
      .forRoutes(
        { path: this.basePath, method: RequestMethod.ALL },
        { path: `${this.basePath}/{*path}`, method: RequestMethod.ALL },
      );
  }
}
