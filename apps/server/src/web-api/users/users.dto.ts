import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { UserView } from '@nest-scim/identity';
import { MAX_PAGE_SIZE, PagingDto, SearchParams } from '../paging.dto';
import { OptionalBoolean, OptionalInteger, OptionalText, RequiredText } from '../web-api-params';

export class UsersSearchParams extends SearchParams {
  @OptionalBoolean('deactivated', { description: 'Deactivated users instead of active ones', default: false })
  deactivated?: boolean;
}

export class CreateUserParams {
  @RequiredText('login', { description: 'Login, unique case-insensitively', maxLength: 255, example: 'alice' })
  login: string;

  @RequiredText('name', { description: 'Display name', maxLength: 255, example: 'Alice Liddell' })
  name: string;

  @OptionalText('email', { description: 'Email address', maxLength: 255, example: 'alice@example.com' })
  email?: string;

  @OptionalBoolean('local', {
    description: 'A local account signs in with a password; a non-local one through SAML only',
    default: true,
  })
  local?: boolean;

  @OptionalText('password', {
    description: 'Password of a local account (mandatory for local accounts, refused for others)',
    secret: true,
    maxLength: 1024,
  })
  password?: string;
}

export class UpdateUserParams {
  @RequiredText('login', { description: 'Login of the user to update', maxLength: 255, example: 'alice' })
  login: string;

  @OptionalText('name', { description: 'New display name', maxLength: 255, example: 'Alice L.' })
  name?: string;

  @OptionalText('email', { description: 'New email address; empty removes it', maxLength: 255 })
  email?: string;
}

export class DeactivateUserParams {
  @RequiredText('login', { description: 'Login of the user to deactivate', maxLength: 255, example: 'alice' })
  login: string;
}

export class UserJson {
  @ApiProperty({ example: 'alice' })
  login: string;

  @ApiProperty({ example: 'Alice Liddell' })
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'alice@example.com' })
  email: string | null;

  @ApiProperty()
  active: boolean;

  @ApiProperty({ description: 'Signs in with a password (local) rather than through SAML' })
  local: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The SAML login attribute value' })
  externalIdentity: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'saml' })
  externalProvider: string | null;

  @ApiProperty({ description: 'Managed by the identity provider through SCIM' })
  managed: boolean;
}

export class UserResponse {
  @ApiProperty({ type: UserJson })
  user: UserJson;
}

export function userJson(user: UserView): UserJson {
  return {
    login: user.login,
    name: user.name,
    email: user.email,
    active: user.active,
    local: user.local,
    externalIdentity: user.externalLogin,
    externalProvider: user.externalProvider,
    managed: user.managed,
  };
}

export class UserSearchJson extends UserJson {
  @ApiProperty({ type: [String], description: 'Names of the groups the user belongs to', example: ['sonar-users'] })
  groups: string[];

  @ApiProperty({ description: 'How many user tokens the user has', example: 1 })
  tokensCount: number;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Last sign-in or token use (recorded at most once every few minutes); null if never',
  })
  lastConnectionDate: Date | null;
}

export class UsersSearchWithActivityResponse {
  @ApiProperty({ type: PagingDto })
  paging: PagingDto;

  @ApiProperty({ type: [UserSearchJson] })
  users: UserSearchJson[];
}

/** The product's `selected` parameter of membership searches. */
export const SELECTION_MODES = ['selected', 'deselected', 'all'] as const;

export function SelectedParam(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description: 'Members only (selected), non-members only (deselected), or both (all)',
      enum: SELECTION_MODES,
      default: 'selected',
    }),
    IsOptional(),
    IsIn(SELECTION_MODES, { message: `Value of parameter 'selected' must be one of: ${SELECTION_MODES.join(', ')}` }),
  );
}

/** Paging of the membership searches, as in the product: 25 a page by default. */
export class MembershipSearchParams {
  @OptionalText('q', { description: 'Part of the name (groups) or of the login or name (users)', maxLength: 255 })
  q?: string;

  @OptionalInteger('p', { description: '1-based page number', default: 1, min: 1 })
  p?: number;

  @OptionalInteger('ps', { description: 'Page size', default: 25, min: 1, max: MAX_PAGE_SIZE })
  ps?: number;

  @SelectedParam()
  selected?: (typeof SELECTION_MODES)[number];
}

export class UserGroupsParams extends MembershipSearchParams {
  @RequiredText('login', { description: 'A user login', maxLength: 255, example: 'admin' })
  login: string;
}

export class UserGroupJson {
  @ApiProperty({ example: '3f1c2a9e-5b7d-4c1e-9a51-0f2e8d6b7c41' })
  id: string;

  @ApiProperty({ example: 'sonar-users' })
  name: string;

  @ApiPropertyOptional({ type: String, description: 'Present when the group has one' })
  description?: string;

  @ApiProperty({ description: 'The user belongs to the group' })
  selected: boolean;

  @ApiProperty({ description: 'The default group' })
  default: boolean;
}

export class UserGroupsResponse {
  @ApiProperty({ type: PagingDto })
  paging: PagingDto;

  @ApiProperty({ type: [UserGroupJson] })
  groups: UserGroupJson[];
}

export class ChangePasswordParams {
  @RequiredText('login', { description: 'User login', maxLength: 255, example: 'alice' })
  login: string;

  @RequiredText('password', {
    description:
      'New password: at least 12 characters, with an uppercase and a lowercase letter, a digit and a special character',
    secret: true,
    maxLength: 1024,
  })
  password: string;

  @OptionalText('previousPassword', {
    description: "Previous password. Required when changing one's own password",
    secret: true,
    maxLength: 1024,
  })
  previousPassword?: string;
}

export class UpdateIdentityProviderParams {
  @RequiredText('login', { description: 'User login', maxLength: 255, example: 'alice' })
  login: string;

  @RequiredText('newExternalProvider', {
    description:
      'New external provider. Only enabled authentication systems are available: `saml` once SAML is enabled',
    maxLength: 64,
    example: 'saml',
  })
  newExternalProvider: string;

  @OptionalText('newExternalIdentity', {
    description:
      'New external identity, usually the login used in the authentication system. If not provided previous identity will be used',
    maxLength: 255,
    example: 'alice@contoso.com',
  })
  newExternalIdentity?: string;
}

export class AnonymizeUserParams {
  @RequiredText('login', { description: 'User login', maxLength: 255, example: 'myuser' })
  login: string;
}
