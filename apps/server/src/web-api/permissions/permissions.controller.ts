import { Body, HttpCode, Post } from '@nestjs/common';
import { ApiConsumes, ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';
import { PermissionAdministration } from '@app/provisioning';
import { AdminOnly, ApiNotFound, WebApiController } from '../web-api.decorators';
import { FORM_OR_JSON } from '../web-api.constants';
import { GroupPermissionParams, UserPermissionParams } from './permissions.dto';

const LAST_ADMIN = 'Refused when it would leave no active administrator.';

/** Global permissions (only `admin` exists), in either provisioning mode (PermissionAdministration says why). */
@WebApiController('permissions', 'permissions')
@AdminOnly()
@ApiConsumes(...FORM_OR_JSON)
export class PermissionsController {
  constructor(private readonly permissions: PermissionAdministration) {}

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
