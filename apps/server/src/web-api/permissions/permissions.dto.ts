import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { GLOBAL_PERMISSIONS, GlobalPermission } from '@nest-scim/identity';
import { PagingDto } from '../paging.dto';
import { OptionalInteger, OptionalText, RequiredText } from '../web-api-params';

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

export class PermissionHoldersParams {
  @OptionalText('q', {
    description:
      'Part of the login, name or email (users) or of the name (groups). Without it, only holders of a permission are listed',
    maxLength: 255,
  })
  q?: string;

  @applyDecorators(
    ApiPropertyOptional({ description: 'Only holders of this permission', enum: GLOBAL_PERMISSIONS }),
    IsOptional(),
    IsIn(GLOBAL_PERMISSIONS, {
      message: `The 'permission' parameter must be one of: ${GLOBAL_PERMISSIONS.join(', ')}`,
    }),
  )
  permission?: GlobalPermission;

  @OptionalInteger('p', { description: '1-based page number', default: 1, min: 1 })
  p?: number;

  @OptionalInteger('ps', { description: 'Page size', default: 20, min: 1, max: 100 })
  ps?: number;
}

export class PermissionUserJson {
  @ApiProperty({ example: 'alice' })
  login: string;

  @ApiProperty({ example: 'Alice Liddell' })
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  email: string | null;

  @ApiProperty({ type: [String], description: 'Global permissions held directly', example: ['admin'] })
  permissions: string[];

  @ApiProperty({ description: 'Managed by the identity provider through SCIM' })
  managed: boolean;
}

export class PermissionGroupJson {
  @ApiProperty()
  id: string;

  @ApiProperty({ example: 'sonar-administrators' })
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ type: [String], example: ['admin'] })
  permissions: string[];

  @ApiProperty({ description: 'Managed by the identity provider through SCIM' })
  managed: boolean;
}

export class PermissionUsersResponse {
  @ApiProperty({ type: PagingDto })
  paging: PagingDto;

  @ApiProperty({ type: [PermissionUserJson] })
  users: PermissionUserJson[];
}

export class PermissionGroupsResponse {
  @ApiProperty({ type: PagingDto })
  paging: PagingDto;

  @ApiProperty({ type: [PermissionGroupJson] })
  groups: PermissionGroupJson[];
}
