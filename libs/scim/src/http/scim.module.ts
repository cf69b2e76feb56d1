import {
  CanActivate,
  DynamicModule,
  MiddlewareConsumer,
  Module,
  ModuleMetadata,
  NestModule,
  Provider,
  Type,
} from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import type { ScimResourceStore } from './resource-store.interface';
import { ScimAccessGuard } from './scim-access.guard';
import { ScimBodyMiddleware } from './scim-body.middleware';
import { ScimDiscoveryController } from './scim-discovery.controller';
import { ScimExceptionFilter } from './scim-exception.filter';
import { ScimFallbackController } from './scim-fallback.controller';
import { ScimRequestInterceptor } from './scim-request.interceptor';
import { ScimGroupsController, ScimUsersController } from './scim-resource.controllers';
import { ScimRootSearchController } from './scim-root-search.controller';
import {
  SCIM_ACCESS_CHECKS,
  SCIM_GROUP_STORE,
  SCIM_GROUPS_ENDPOINT,
  SCIM_OPTIONS,
  SCIM_USER_STORE,
  SCIM_USERS_ENDPOINT,
} from './scim.constants';
import { ResolvedScimOptions, resolveScimOptions, ScimModuleOptions } from './scim-options.interface';
import { ScimResourceEndpoint } from './scim-resource.endpoint';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../schema/resource-types';
import { NO_STORAGE_ERRORS, SCIM_STORAGE_ERRORS, ScimStorageErrorClassifier } from './scim-storage-errors';

export interface ScimModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  useFactory: (...args: never[]) => ScimModuleOptions | Promise<ScimModuleOptions>;
  /** The product's side of /Users and /Groups. */
  userStore: Type<ScimResourceStore>;
  groupStore: Type<ScimResourceStore>;
  /** Checks every SCIM request passes first, in order (credentials, permission, license, provisioning mode). */
  accessChecks: Type<CanActivate>[];
  /** The base path is needed when routes are registered, before any factory runs; `/api/scim/v2` by default. */
  basePath?: string;
  /**
   * Tells which errors of the stores' storage are a uniqueness conflict (409) or an outage (503); without it any
   * error that is not a SCIM or HTTP one is a 500.
   */
  storageErrors?: Type<ScimStorageErrorClassifier>;
}

/**
 * The SCIM 2.0 endpoint (RFC 7643/7644) as a Nest module: discovery, /Users, /Groups and /Bulk under one base path,
 * with its own body parser, exception filter and guards scoped to its own controllers — nothing global, so a host
 * keeps its own pipes, filters and strategies.
 */
@Module({})
export class ScimModule implements NestModule {
  static forRootAsync(options: ScimModuleAsyncOptions): DynamicModule {
    const basePath = resolveScimOptions({ basePath: options.basePath }).basePath;
    const providers: Provider[] = [
      {
        provide: SCIM_OPTIONS,
        inject: options.inject ?? [],
        useFactory: async (...args: never[]) =>
          resolveScimOptions({ ...(await options.useFactory(...args)), basePath }),
      },
      { provide: SCIM_USER_STORE, useClass: options.userStore },
      { provide: SCIM_GROUP_STORE, useClass: options.groupStore },
      {
        provide: SCIM_USERS_ENDPOINT,
        inject: [SCIM_USER_STORE, SCIM_OPTIONS],
        useFactory: (store: ScimResourceStore, resolved: ResolvedScimOptions) =>
          new ScimResourceEndpoint(USER_RESOURCE_TYPE, store, resolved, false),
      },
      {
        provide: SCIM_GROUPS_ENDPOINT,
        inject: [SCIM_GROUP_STORE, SCIM_OPTIONS],
        useFactory: (store: ScimResourceStore, resolved: ResolvedScimOptions) =>
          new ScimResourceEndpoint(GROUP_RESOURCE_TYPE, store, resolved, true),
      },
      ...options.accessChecks,
      { provide: SCIM_ACCESS_CHECKS, inject: options.accessChecks, useFactory: (...checks: CanActivate[]) => checks },
      options.storageErrors === undefined
        ? { provide: SCIM_STORAGE_ERRORS, useValue: NO_STORAGE_ERRORS }
        : { provide: SCIM_STORAGE_ERRORS, useClass: options.storageErrors },
      ScimAccessGuard,
      ScimRequestInterceptor,
      ScimExceptionFilter,
      ScimBodyMiddleware,
    ];
    return {
      module: ScimModule,
      imports: [...(options.imports ?? []), RouterModule.register([{ path: basePath, module: ScimModule }])],
      // The fallback goes last: its catch-all route must not shadow the others.
      controllers: [
        ScimDiscoveryController,
        ScimUsersController,
        ScimGroupsController,
        ScimRootSearchController,
        ScimFallbackController,
      ],
      providers,
      exports: [SCIM_OPTIONS],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(ScimBodyMiddleware)
      .forRoutes(
        ScimDiscoveryController,
        ScimUsersController,
        ScimGroupsController,
        ScimRootSearchController,
        ScimFallbackController,
      );
  }
}
