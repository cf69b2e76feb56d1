import { DynamicModule, Module, Provider } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { LICENSE_ENTITIES } from './installed-license.entity';
import { InstalledLicenseRepository } from './installed-license.repository';
import type {
  LicenseModuleAsyncOptions,
  LicenseModuleConnection,
  LicenseModuleOptions,
} from './license-module-options.interface';
import { LICENSE_DATA_SOURCE, LICENSE_MODULE_OPTIONS } from './license.constants';
import { LicenseGuard } from './license.guard';
import { LicenseService } from './license.service';
import { LicenseVerifier } from './license.verifier';

/**
 * The license feature for a host: `LicenseModule.forRoot({ trustedPublicKeys })` next to the host's
 * `TypeOrmModule.forRoot(...)`. Exports LicenseService and LicenseGuard; registers nothing globally.
 */
@Module({})
export class LicenseModule {
  static forRoot(options: LicenseModuleOptions & LicenseModuleConnection): DynamicModule {
    const { dataSource, ...moduleOptions } = options;
    return LicenseModule.assemble(dataSource, [], { provide: LICENSE_MODULE_OPTIONS, useValue: moduleOptions });
  }

  static forRootAsync(options: LicenseModuleAsyncOptions): DynamicModule {
    return LicenseModule.assemble(options.dataSource, options.imports ?? [], {
      provide: LICENSE_MODULE_OPTIONS,
      useFactory: options.useFactory,
      inject: options.inject ?? [],
    });
  }

  private static assemble(
    dataSource: string | undefined,
    imports: NonNullable<LicenseModuleAsyncOptions['imports']>,
    optionsProvider: Provider,
  ): DynamicModule {
    return {
      module: LicenseModule,
      imports: [...imports, TypeOrmModule.forFeature(LICENSE_ENTITIES, dataSource)],
      providers: [
        optionsProvider,
        { provide: LICENSE_DATA_SOURCE, useExisting: getDataSourceToken(dataSource) },
        {
          // Built at start, so a trusted key that does not parse stops the host instead of failing on first use.
          provide: LicenseVerifier,
          useFactory: (resolved: LicenseModuleOptions) => {
            if (!Array.isArray(resolved?.trustedPublicKeys)) {
              throw new Error('LicenseModule: trustedPublicKeys must be a list of public keys');
            }
            return new LicenseVerifier(resolved.trustedPublicKeys);
          },
          inject: [LICENSE_MODULE_OPTIONS],
        },
        InstalledLicenseRepository,
        LicenseService,
        LicenseGuard,
      ],
      exports: [LicenseService, LicenseGuard],
    };
  }
}
