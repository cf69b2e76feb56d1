import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { GroupSearchItem, GroupView } from '@nest-scim/identity';
import { PagingDto, SearchParams } from '../paging.dto';
import { MembershipSearchParams } from '../users/users.dto';
import { OptionalText, RequiredText } from '../web-api-params';

export class GroupsSearchParams extends SearchParams {}

export class CreateGroupParams {
  @RequiredText('name', { description: 'Name, unique case-insensitively', maxLength: 255, example: 'developers' })
  name: string;

  @OptionalText('description', { description: 'Description', maxLength: 200, example: 'All developers' })
  description?: string;
}

export class UpdateGroupParams {
  @RequiredText('currentName', { description: 'Name of the group to update', maxLength: 255, example: 'developers' })
  currentName: string;

  @OptionalText('name', { description: 'New name', maxLength: 255, example: 'engineers' })
  name?: string;

  @OptionalText('description', { description: 'New description; empty removes it', maxLength: 200 })
  description?: string;
}

export class DeleteGroupParams {
  @RequiredText('name', { description: 'Name of the group to delete', maxLength: 255, example: 'developers' })
  name: string;
}

export class GroupMembershipParams {
  @RequiredText('name', { description: 'Name of the group', maxLength: 255, example: 'developers' })
  name: string;

  @RequiredText('login', { description: 'Login of the user', maxLength: 255, example: 'alice' })
  login: string;
}

export class GroupJson {
  @ApiProperty({ example: '3f1c2a9e-5b7d-4c1e-9a51-0f2e8d6b7c41' })
  id: string;

  @ApiProperty({ example: 'developers' })
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  description: string | null;

  @ApiPropertyOptional({ description: 'Present in searches' })
  membersCount?: number;

  @ApiProperty({ description: 'The default group, which every active user belongs to' })
  default: boolean;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    enum: ['default', 'administrators'],
    description: 'Built-in groups cannot be renamed or deleted',
  })
  builtIn: string | null;

  @ApiProperty({ description: 'Managed by the identity provider through SCIM' })
  managed: boolean;
}

export class GroupsSearchResponse {
  @ApiProperty({ type: PagingDto })
  paging: PagingDto;

  @ApiProperty({ type: [GroupJson] })
  groups: GroupJson[];
}

export class GroupResponse {
  @ApiProperty({ type: GroupJson })
  group: GroupJson;
}

export function groupJson(group: GroupView | GroupSearchItem): GroupJson {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    ...('membersCount' in group ? { membersCount: group.membersCount } : {}),
    default: group.builtIn === 'default',
    builtIn: group.builtIn,
    managed: group.managed,
  };
}

export class GroupUsersParams extends MembershipSearchParams {
  @RequiredText('name', { description: 'Group name', maxLength: 255, example: 'sonar-administrators' })
  name: string;
}

export class GroupUserJson {
  @ApiProperty({ example: 'alice' })
  login: string;

  @ApiProperty({ example: 'Alice Liddell' })
  name: string;

  @ApiProperty({ description: 'The user belongs to the group' })
  selected: boolean;

  @ApiProperty({ description: 'Managed by the identity provider through SCIM' })
  managed: boolean;

  @ApiProperty({ description: 'False for a deactivated member (SCIM deactivation keeps memberships)' })
  active: boolean;
}

export class GroupUsersResponse {
  @ApiProperty({ type: [GroupUserJson] })
  users: GroupUserJson[];

  @ApiProperty({ description: 'Deprecated in the product: use paging.pageIndex', example: 1 })
  p: number;

  @ApiProperty({ description: 'Deprecated in the product: use paging.pageSize', example: 25 })
  ps: number;

  @ApiProperty({ description: 'Deprecated in the product: use paging.total', example: 1 })
  total: number;

  @ApiProperty({ type: PagingDto })
  paging: PagingDto;
}
