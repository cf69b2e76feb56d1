import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { GroupAdministration } from '@nest-scim/provisioning';
import { pagingOf } from '../paging.dto';
import { AdminOnly, ApiNotFound, WebApiController } from '../web-api.decorators';
import { FORM_OR_JSON } from '../web-api.constants';
import { UserAccountsService } from '../users/user-accounts.service';
import {
  CreateGroupParams,
  DeleteGroupParams,
  GroupMembershipParams,
  groupJson,
  GroupResponse,
  GroupsSearchParams,
  GroupsSearchResponse,
  GroupUsersParams,
  GroupUsersResponse,
  UpdateGroupParams,
} from './user-groups.dto';

const MANAGED_REFUSAL =
  'Refused while the instance is externally managed: groups then come from the identity provider.';

@WebApiController('user_groups', 'user_groups')
@AdminOnly()
export class UserGroupsController {
  constructor(
    private readonly groups: GroupAdministration,
    private readonly accounts: UserAccountsService,
  ) {}

  @Get('users')
  @ApiOperation({
    summary: 'Search for users with membership information with respect to a group',
    description:
      'Members by default (`selected=selected`); `deselected` lists the active users outside the group, `all` both. ' +
      '`q` matches part of a login or name.',
  })
  @ApiOkResponse({ type: GroupUsersResponse })
  @ApiNotFound()
  async users(@Query() params: GroupUsersParams): Promise<GroupUsersResponse> {
    const { page } = await this.accounts.membersOf(params.name, {
      selected: params.selected ?? 'selected',
      query: params.q,
      page: params.p ?? 1,
      pageSize: params.ps ?? 25,
    });
    return {
      users: page.items.map(({ login, name, selected, managed, active }) => ({
        login,
        name,
        selected,
        managed,
        active,
      })),
      p: page.page,
      ps: page.pageSize,
      total: page.total,
      paging: pagingOf(page),
    };
  }

  @Get('search')
  @ApiOperation({ summary: 'Search groups by name, with member counts; each group says whether SCIM manages it' })
  @ApiOkResponse({ type: GroupsSearchResponse })
  async search(@Query() params: GroupsSearchParams): Promise<GroupsSearchResponse> {
    const page = await this.groups.search({
      query: params.q,
      managed: params.managed,
      page: params.p,
      pageSize: params.ps,
    });
    return { paging: pagingOf(page), groups: page.items.map(groupJson) };
  }

  @Post('create')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a group', description: MANAGED_REFUSAL })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiOkResponse({ type: GroupResponse })
  async create(@Body() params: CreateGroupParams): Promise<GroupResponse> {
    return { group: groupJson(await this.groups.create(params)) };
  }

  @Post('update')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rename a group or change its description',
    description: `Built-in groups keep their names. ${MANAGED_REFUSAL}`,
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiOkResponse({ type: GroupResponse })
  @ApiNotFound()
  async update(@Body() params: UpdateGroupParams): Promise<GroupResponse> {
    const group = await this.groups.update(params.currentName, { name: params.name, description: params.description });
    return { group: groupJson(group) };
  }

  @Post('delete')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a group',
    description:
      'Built-in groups cannot be deleted, nor the last group that makes someone an administrator. While the ' +
      'instance is externally managed, only local groups can be deleted.',
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiNoContentResponse()
  @ApiNotFound()
  async delete(@Body() params: DeleteGroupParams): Promise<void> {
    await this.groups.delete(params.name);
  }

  @Post('add_user')
  @HttpCode(204)
  @ApiOperation({ summary: 'Add a user to a group', description: MANAGED_REFUSAL })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiNoContentResponse()
  @ApiNotFound()
  async addUser(@Body() params: GroupMembershipParams): Promise<void> {
    await this.groups.addUser(params.name, params.login);
  }

  @Post('remove_user')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove a user from a group',
    description: `Refused when it would leave no administrator. ${MANAGED_REFUSAL}`,
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiNoContentResponse()
  @ApiNotFound()
  async removeUser(@Body() params: GroupMembershipParams): Promise<void> {
    await this.groups.removeUser(params.name, params.login);
  }
}
