import { DynamicModule, Module, Provider } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { GroupsService } from './groups.service';
import {
  ADMINISTRATORS_GROUP_NAME,
  DEFAULT_GROUP_NAME,
  IDENTITY_DATA_SOURCE,
  IDENTITY_OPTIONS,
} from './identity.constants';
import { IDENTITY_ENTITIES } from './identity.entities';
import type {
  IdentityModuleAsyncOptions,
  IdentityModuleOptions,
  IdentityOptions,
  ResolvedIdentityOptions,
} from './identity-options.interface';
import { MembershipService } from './membership.service';
import { PermissionsService } from './permissions.service';
import { UserLifecycleEvents } from './user-lifecycle.events';
import { UsersService } from './users.service';

export function resolveIdentityOptions(options: IdentityOptions = {}): ResolvedIdentityOptions {
  return {
    defaultGroupName: options.defaultGroupName ?? DEFAULT_GROUP_NAME,
    administratorsGroupName: options.administratorsGroupName ?? ADMINISTRATORS_GROUP_NAME,
  };
}

const SERVICES = [UsersService, GroupsService, MembershipService, PermissionsService, UserLifecycleEvents];

/**
 * Users, groups, memberships, global permissions and the managed state, over the host's TypeORM connection (the
 * host sets up `TypeOrmModule.forRoot`; its migrations include IDENTITY_ENTITIES). Registers no global providers.
 * The host calls `GroupsService.ensureBuiltIns()` once at start.
 */
@Module({})
export class IdentityModule {
  static forRoot(options: IdentityModuleOptions = {}): DynamicModule {
    const { dataSource, ...rest } = options;
    return IdentityModule.build(dataSource, [], { provide: IDENTITY_OPTIONS, useValue: resolveIdentityOptions(rest) });
  }

  static forRootAsync(options: IdentityModuleAsyncOptions): DynamicModule {
    return IdentityModule.build(options.dataSource, options.imports ?? [], {
      provide: IDENTITY_OPTIONS,
      useFactory: async (...args: unknown[]) => resolveIdentityOptions(await options.useFactory(...args)),
      inject: options.inject ?? [],
    });
  }

  private static build(
    dataSource: string | undefined,
    imports: NonNullable<IdentityModuleAsyncOptions['imports']>,
    optionsProvider: Provider,
  ): DynamicModule {
    return {
      module: IdentityModule,
      // forFeature lets a host using `autoLoadEntities` pick the entities up.
      imports: [...imports, TypeOrmModule.forFeature(IDENTITY_ENTITIES, dataSource)],
      providers: [
        optionsProvider,
        { provide: IDENTITY_DATA_SOURCE, useExisting: getDataSourceToken(dataSource) },
        ...SERVICES,
      ],
      exports: [IDENTITY_OPTIONS, IDENTITY_DATA_SOURCE, ...SERVICES],
    };
  }
}
