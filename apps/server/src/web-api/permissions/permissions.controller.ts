import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { PermissionAdministration } from '@nest-scim/provisioning';
import { AdminOnly, ApiNotFound, WebApiController } from '../web-api.decorators';
import { FORM_OR_JSON } from '../web-api.constants';
import { pagingOf } from '../paging.dto';
import { HolderSearch, PermissionHoldersService } from './permission-holders.service';
import {
  GroupPermissionParams,
  PermissionGroupsResponse,
  PermissionHoldersParams,
  PermissionUsersResponse,
  UserPermissionParams,
} from './permissions.dto';

/** The product pages permission searches by 20. */
function holderSearchOf(params: PermissionHoldersParams): HolderSearch {
  return { query: params.q, permission: params.permission, page: params.p ?? 1, pageSize: params.ps ?? 20 };
}

const LAST_ADMIN = 'Refused when it would leave no active administrator.';

/** Global permissions (only `admin` exists), in either provisioning mode (PermissionAdministration says why). */
@WebApiController('permissions', 'permissions')
@AdminOnly()
@ApiConsumes(...FORM_OR_JSON)
export class PermissionsController {
  constructor(
    private readonly permissions: PermissionAdministration,
    private readonly holders: PermissionHoldersService,
  ) {}

  @Get('users')
  @ApiOperation({
    summary: 'Lists the users with their global permissions',
    description: 'Active users and the permissions they hold directly (not through a group).',
  })
  @ApiOkResponse({ type: PermissionUsersResponse })
  async users(@Query() params: PermissionHoldersParams): Promise<PermissionUsersResponse> {
    const page = await this.holders.users(holderSearchOf(params));
    return {
      paging: pagingOf(page),
      users: page.items.map(({ user, permissions, managed }) => ({
        login: user.login,
        name: user.name,
        email: user.email,
        permissions,
        managed,
      })),
    };
  }

  @Get('groups')
  @ApiOperation({ summary: 'Lists the groups with their global permissions' })
  @ApiOkResponse({ type: PermissionGroupsResponse })
  async groups(@Query() params: PermissionHoldersParams): Promise<PermissionGroupsResponse> {
    const page = await this.holders.groups(holderSearchOf(params));
    return {
      paging: pagingOf(page),
      groups: page.items.map(({ group, permissions, managed }) => ({
        id: group.id,
        name: group.name,
        description: group.description,
        permissions,
        managed,
      })),
    };
  }

  @Post('add_user')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Grant a global permission to a user',
    description: 'Local and SCIM-managed users alike.',
  })
  @ApiNoContentResponse()
  @ApiNotFound()
  async addUser(@Body() params: UserPermissionParams): Promise<void> {
    await this.permissions.addUserPermission(params.login, params.permission);
  }

  @Post('remove_user')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove a user's global permission", description: LAST_ADMIN })
  @ApiNoContentResponse()
  @ApiNotFound()
  async removeUser(@Body() params: UserPermissionParams): Promise<void> {
    await this.permissions.removeUserPermission(params.login, params.permission);
  }

  @Post('add_group')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Grant a global permission to a group',
    description: 'Local and SCIM-managed groups alike: permissions given to an Entra ID group follow its members.',
  })
  @ApiNoContentResponse()
  @ApiNotFound()
  async addGroup(@Body() params: GroupPermissionParams): Promise<void> {
    await this.permissions.addGroupPermission(params.groupName, params.permission);
  }

  @Post('remove_group')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove a group's global permission", description: LAST_ADMIN })
  @ApiNoContentResponse()
  @ApiNotFound()
  async removeGroup(@Body() params: GroupPermissionParams): Promise<void> {
    await this.permissions.removeGroupPermission(params.groupName, params.permission);
  }
}
