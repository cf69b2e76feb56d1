import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AdminAccountBootstrap } from './admin-account.bootstrap';
import { AuthenticationController } from './authentication/authentication.controller';
import { EditionsController } from './editions/editions.controller';
import { PermissionHoldersService } from './permissions/permission-holders.service';
import { PermissionsController } from './permissions/permissions.controller';
import { ScimActivityController } from './scim-management/scim-activity.controller';
import { ScimManagementController } from './scim-management/scim-management.controller';
import { SettingsController } from './settings/settings.controller';
import { UserGroupsController } from './user-groups/user-groups.controller';
import { UserTokensController } from './user-tokens/user-tokens.controller';
import { UserAccountsService } from './users/user-accounts.service';
import { UsersController } from './users/users.controller';
import { WebApiBlockedAddressRefusal } from './web-api-blocked-address.middleware';
import { WebApiBodyMiddleware } from './web-api-body.middleware';
import { WEB_API_OPTIONS } from './web-api.constants';
import type { ResolvedWebApiOptions, WebApiOptions } from './web-api-options.interface';

export const WEB_API_CONTROLLERS = [
  AuthenticationController,
  UsersController,
  UserGroupsController,
  PermissionsController,
  UserTokensController,
  SettingsController,
  EditionsController,
  ScimManagementController,
  ScimActivityController,
];

/**
 * The admin Web API (`/api/users/*`, `/api/user_groups/*`, `/api/permissions/*`, `/api/user_tokens/*`,
 * `/api/settings/*`, `/api/editions/*`, `/api/scim_management/*`, `/api/authentication/*`), named as in the product's
 * Web API, over the provisioning feature's services: the controllers translate HTTP (parameters, answers, errors)
 * and the rules are the feature's. Its body parser, filter, pipe and guards apply to its own controllers only.
 */
@Module({})
export class WebApiModule implements NestModule {
  static forRoot(options: WebApiOptions): DynamicModule {
    const resolved: ResolvedWebApiOptions = { publicUrl: options.publicUrl };
    return {
      module: WebApiModule,
      imports: options.imports,
      controllers: WEB_API_CONTROLLERS,
      providers: [
        { provide: WEB_API_OPTIONS, useValue: resolved },
        UserAccountsService,
        PermissionHoldersService,
        AdminAccountBootstrap,
      ],
      exports: [AdminAccountBootstrap],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // A blocked address's made-up tokens are refused, after a hold, before the body parser and the guards; the sign-in
    // routes take no token and are left to their own throttle.
    consumer
      .apply(WebApiBlockedAddressRefusal)
      .forRoutes(...WEB_API_CONTROLLERS.filter((controller) => controller !== AuthenticationController));
    consumer.apply(WebApiBodyMiddleware).forRoutes(...WEB_API_CONTROLLERS);
  }
}
