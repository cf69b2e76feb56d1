import { Body, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthenticatedPrincipal, CurrentPrincipal, SessionsService } from '@nest-scim/auth';
import { UserAdministration } from '@nest-scim/provisioning';
import { isSecureRequest, setSessionCookie } from '../../saml-sign-in/session-cookie';
import { pagingOf } from '../paging.dto';
import { AdminOnly, ApiNotFound, WebApiController } from '../web-api.decorators';
import { FORM_OR_JSON, WEB_API_OPTIONS } from '../web-api.constants';
import type { ResolvedWebApiOptions } from '../web-api-options.interface';
import { UserAccountsService } from './user-accounts.service';
import {
  AnonymizeUserParams,
  ChangePasswordParams,
  CreateUserParams,
  DeactivateUserParams,
  UpdateIdentityProviderParams,
  UpdateUserParams,
  UserGroupsParams,
  UserGroupsResponse,
  userJson,
  UserResponse,
  UsersSearchParams,
  UsersSearchWithActivityResponse,
} from './users.dto';

const MANAGED_INSTANCE_REFUSAL = 'Refused while the instance is externally managed.';

@WebApiController('users', 'users')
@AdminOnly()
export class UsersController {
  constructor(
    @Inject(WEB_API_OPTIONS) private readonly options: ResolvedWebApiOptions,
    private readonly users: UserAdministration,
    private readonly accounts: UserAccountsService,
    private readonly sessions: SessionsService,
  ) {}

  @Get('search')
  @ApiOperation({
    summary: 'Search users by login, name or email',
    description:
      'Each user comes with its groups, its number of tokens, its last connection (sign-in or token use) and whether ' +
      'SCIM manages it.',
  })
  @ApiOkResponse({ type: UsersSearchWithActivityResponse })
  async search(@Query() params: UsersSearchParams): Promise<UsersSearchWithActivityResponse> {
    const page = await this.users.search({
      query: params.q,
      managed: params.managed,
      active: !params.deactivated,
      page: params.p,
      pageSize: params.ps,
    });
    const activity = await this.accounts.activityOf(page.items.map((u) => u.id));
    return {
      paging: pagingOf(page),
      users: page.items.map((user) => {
        const { groups, tokensCount, lastConnectionDate } = activity.get(user.id)!;
        return { ...userJson(user), groups, tokensCount, lastConnectionDate };
      }),
    };
  }

  @Get('groups')
  @ApiOperation({
    summary: 'Lists the groups a user belongs to',
    description: 'With `selected=deselected` the groups it does not belong to, with `selected=all` both.',
  })
  @ApiOkResponse({ type: UserGroupsResponse })
  @ApiNotFound()
  async groups(@Query() params: UserGroupsParams): Promise<UserGroupsResponse> {
    const page = await this.accounts.groupsOf(params.login, {
      selected: params.selected ?? 'selected',
      query: params.q,
      page: params.p ?? 1,
      pageSize: params.ps ?? 25,
    });
    return {
      paging: pagingOf(page),
      groups: page.items.map(({ group, selected }) => ({
        id: group.id,
        name: group.name,
        ...(group.description ? { description: group.description } : {}),
        selected,
        default: group.builtIn === 'default',
      })),
    };
  }

  @Post('create')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create a user',
    description:
      'If the login belongs to a deactivated user, that user is reactivated with the new name, email and password. ' +
      'Refused while the instance is externally managed: users then come from the identity provider.',
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiOkResponse({ type: UserResponse })
  async create(@Body() params: CreateUserParams): Promise<UserResponse> {
    const input = {
      login: params.login,
      name: params.name,
      email: params.email,
      local: params.local ?? true,
      password: params.password,
    };
    const user = await this.accounts.createOrReactivate(input, (fresh) => this.users.create(fresh));
    return { user: userJson(user) };
  }

  @Post('update')
  @HttpCode(200)
  @ApiOperation({
    summary: "Update a user's name or email",
    description:
      'Refused for every user, local accounts included, while the instance is externally managed (SCIM on). While ' +
      'SCIM is off, a user SCIM provisioned before is editable too, and its SCIM resource follows (a new version).',
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

  @Post('change_password')
  @HttpCode(204)
  @ApiOperation({
    summary: "Update a user's password",
    description:
      "Changing one's own password needs `previousPassword`, and the new one must differ from it; an administrator " +
      "sets anyone else's. Accounts linked to an external authentication system have no password. The account's " +
      'sessions end; a caller changing its own password through a session gets a new one.',
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiNoContentResponse()
  @ApiNotFound()
  async changePassword(
    @Body() params: ChangePasswordParams,
    @CurrentPrincipal() principal: AuthenticatedPrincipal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const address = req.ip ?? req.socket.remoteAddress;
    const { ownSessionsEnded } = await this.accounts.changePassword(
      { login: params.login, password: params.password, previousPassword: params.previousPassword },
      principal,
      { address },
    );
    if (ownSessionsEnded && principal.via === 'session') {
      const session = await this.sessions.createSession(principal.userId);
      setSessionCookie(res, session, isSecureRequest(req, this.options.publicUrl));
    }
  }

  @Post('update_identity_provider')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Update identity provider information',
    description:
      "It's only possible to migrate to an enabled identity provider (`saml`). As soon as this is updated, the user " +
      'can only sign in through the new identity provider; a local account loses its password. It is not possible ' +
      `to migrate an external user to a local one. ${MANAGED_INSTANCE_REFUSAL}`,
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiNoContentResponse()
  @ApiNotFound()
  async updateIdentityProvider(@Body() params: UpdateIdentityProviderParams): Promise<void> {
    await this.accounts.updateIdentityProvider({
      login: params.login,
      provider: params.newExternalProvider,
      identity: params.newExternalIdentity,
    });
  }

  @Post('anonymize')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Anonymize a deactivated user',
    description:
      "The login and name become 'sq-removed-' followed by random characters; the email, external identity and " +
      'SCIM data are removed. A user managed through SCIM cannot be anonymized while the instance is externally managed.',
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiNoContentResponse()
  @ApiNotFound()
  async anonymize(@Body() params: AnonymizeUserParams): Promise<void> {
    await this.accounts.anonymize(params.login);
  }
}
