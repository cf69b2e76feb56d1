import {
  ClassProvider,
  DynamicModule,
  ExistingProvider,
  FactoryProvider,
  Module,
  ModuleMetadata,
  Provider,
  Type,
} from '@nestjs/common';
import { IdentityDirectoryAdapter } from './identity-directory.adapter';
import { SCIM_DIRECTORY, ScimDirectory } from './scim-directory.port';
import { SCIM_PROVISIONING_HOOKS, ScimProvisioningHooks } from './scim-provisioning.hooks';
import { ScimHookRunner } from './scim-hook.runner';

/** How a host names its directory adapter: a Nest provider for SCIM_DIRECTORY, without `provide`. */
export type ScimDirectoryProvider =
  | Omit<ClassProvider<ScimDirectory>, 'provide'>
  | Omit<FactoryProvider<ScimDirectory>, 'provide'>
  | Omit<ExistingProvider<ScimDirectory>, 'provide'>;

export interface ScimDirectoryModuleOptions {
  /** Modules the adapter and the hooks inject from: the feature's identity module and the host's own. */
  imports: NonNullable<ModuleMetadata['imports']>;
  /** The adapter; identity's (`IdentityDirectoryAdapter`) when unset. */
  directory?: ScimDirectoryProvider;
  /** The host's hook classes, instantiated here (they may inject what `imports` export). */
  hooks?: Type<ScimProvisioningHooks>[];
}

/** The directory the SCIM stores use and the hooks they call, in one module the stores and the mode switch share. */
@Module({})
export class ScimDirectoryModule {
  static register(options: ScimDirectoryModuleOptions): DynamicModule {
    const hooks = options.hooks ?? [];
    const directory: Provider = options.directory
      ? ({ provide: SCIM_DIRECTORY, ...options.directory } as Provider)
      : { provide: SCIM_DIRECTORY, useClass: IdentityDirectoryAdapter };
    return {
      module: ScimDirectoryModule,
      imports: options.imports,
      providers: [
        directory,
        ...hooks,
        {
          provide: SCIM_PROVISIONING_HOOKS,
          useFactory: (...instances: ScimProvisioningHooks[]) => instances,
          inject: hooks,
        },
        ScimHookRunner,
      ],
      exports: [SCIM_DIRECTORY, ScimHookRunner],
    };
  }
}
