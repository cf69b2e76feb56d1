import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AuthenticatedPrincipal, CurrentPrincipal } from '@nest-scim/auth';
import { TokenAdministration } from '@nest-scim/provisioning';
import { AdminOnly, ApiNotFound, WebApiController } from '../web-api.decorators';
import { FORM_OR_JSON } from '../web-api.constants';
import {
  expirationOf,
  GeneratedTokenResponse,
  GenerateTokenParams,
  RevokeTokenParams,
  SearchTokensParams,
  TokensSearchResponse,
  userTokenJson,
} from './user-tokens.dto';

/**
 * User tokens (`squ_…`), such as the one an admin pastes into Entra ID. The token is returned by `generate` only;
 * the server keeps its hash. An admin may act on another user's tokens by naming its login.
 */
@WebApiController('user_tokens', 'user_tokens')
@AdminOnly()
export class UserTokensController {
  constructor(private readonly tokens: TokenAdministration) {}

  @Post('generate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Generate a user token',
    description: 'The token is in this answer and nowhere else, ever.',
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiOkResponse({ type: GeneratedTokenResponse })
  @ApiNotFound()
  async generate(
    @Body() params: GenerateTokenParams,
    @CurrentPrincipal() principal: AuthenticatedPrincipal,
  ): Promise<GeneratedTokenResponse> {
    const expiresAt = expirationOf(params.expirationDate);
    const generated = await this.tokens.generate(params.login ?? principal.login, { name: params.name, expiresAt });
    return {
      login: generated.login,
      name: generated.name,
      token: generated.token,
      createdAt: generated.createdAt,
      type: 'USER_TOKEN',
      expirationDate: generated.expiresAt,
    };
  }

  @Get('search')
  @ApiOperation({ summary: "List a user's tokens (names and dates, never the tokens)" })
  @ApiOkResponse({ type: TokensSearchResponse })
  @ApiNotFound()
  async search(
    @Query() params: SearchTokensParams,
    @CurrentPrincipal() principal: AuthenticatedPrincipal,
  ): Promise<TokensSearchResponse> {
    const { login, tokens } = await this.tokens.search(params.login ?? principal.login);
    return { login, userTokens: tokens.map(userTokenJson) };
  }

  @Post('revoke')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke a user token',
    description: 'It stops working at once. Revoking a name that does not exist does nothing.',
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiNoContentResponse()
  @ApiNotFound()
  async revoke(
    @Body() params: RevokeTokenParams,
    @CurrentPrincipal() principal: AuthenticatedPrincipal,
  ): Promise<void> {
    await this.tokens.revoke(params.login ?? principal.login, params.name);
  }
}
