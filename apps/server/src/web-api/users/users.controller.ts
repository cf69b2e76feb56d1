import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AuthenticatedPrincipal, CurrentPrincipal } from '@app/auth';
import { UserAdministration } from '@app/provisioning';
import { pagingOf } from '../paging.dto';
import { AdminOnly, ApiNotFound, WebApiController } from '../web-api.decorators';
import { FORM_OR_JSON } from '../web-api.constants';
import {
  CreateUserParams,
  DeactivateUserParams,
  UpdateUserParams,
  userJson,
  UserResponse,
  UsersSearchParams,
  UsersSearchResponse,
} from './users.dto';

@WebApiController('users', 'users')
@AdminOnly()
export class UsersController {
  constructor(private readonly users: UserAdministration) {}

  @Get('search')
  @ApiOperation({ summary: 'Search users by login, name or email; each user says whether SCIM manages it' })
  @ApiOkResponse({ type: UsersSearchResponse })
  async search(@Query() params: UsersSearchParams): Promise<UsersSearchResponse> {
    const page = await this.users.search({
      query: params.q,
      managed: params.managed,
      active: !params.deactivated,
      page: params.p,
      pageSize: params.ps,
    });
    return { paging: pagingOf(page), users: page.items.map(userJson) };
  }

  @Post('create')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create a user',
    description: 'Refused while the instance is externally managed: users then come from the identity provider.',
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiOkResponse({ type: UserResponse })
  async create(@Body() params: CreateUserParams): Promise<UserResponse> {
    const user = await this.users.create({
      login: params.login,
      name: params.name,
      email: params.email,
      local: params.local ?? true,
      password: params.password,
    });
    return { user: userJson(user) };
  }

  @Post('update')
  @HttpCode(200)
  @ApiOperation({
    summary: "Update a user's name or email",
    description: 'A user managed through SCIM cannot be changed here while the instance is externally managed.',
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFound()
  async update(@Body() params: UpdateUserParams): Promise<UserResponse> {
    const user = await this.users.update(params.login, { name: params.name, email: params.email });
    return { user: userJson(user) };
  }

  @Post('deactivate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Deactivate a user',
    description:
      'Ends its tokens and sessions and removes its memberships and permissions. Refused for oneself, for the last ' +
      'administrator, and for a user managed through SCIM while the instance is externally managed (local users ' +
      'can still be deactivated).',
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFound()
  async deactivate(
    @Body() params: DeactivateUserParams,
    @CurrentPrincipal() principal: AuthenticatedPrincipal,
  ): Promise<UserResponse> {
    return { user: userJson(await this.users.deactivate(params.login, principal.userId)) };
  }
}
