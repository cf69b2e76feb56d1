import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { UserView } from '@app/identity';
import { PagingDto, SearchParams } from '../paging.dto';
import { OptionalBoolean, OptionalText, RequiredText } from '../web-api-params';

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

export class UsersSearchResponse {
  @ApiProperty({ type: PagingDto })
  paging: PagingDto;

  @ApiProperty({ type: [UserJson] })
  users: UserJson[];
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
