import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { GLOBAL_PERMISSIONS, GlobalPermission } from '@app/identity';
import { RequiredText } from '../web-api-params';

function GlobalPermissionParam(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ description: 'Global permission', enum: GLOBAL_PERMISSIONS, example: 'admin' }),
    IsIn(GLOBAL_PERMISSIONS, {
      message: `The 'permission' parameter must be one of: ${GLOBAL_PERMISSIONS.join(', ')}`,
    }),
  );
}

export class UserPermissionParams {
  @RequiredText('login', { description: 'Login of the user', maxLength: 255, example: 'alice' })
  login: string;

  @GlobalPermissionParam()
  permission: GlobalPermission;
}

export class GroupPermissionParams {
  @RequiredText('groupName', { description: 'Name of the group', maxLength: 255, example: 'developers' })
  groupName: string;

  @GlobalPermissionParam()
  permission: GlobalPermission;
}
