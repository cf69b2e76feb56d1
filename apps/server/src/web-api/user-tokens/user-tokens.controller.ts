import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AuthenticatedPrincipal, CurrentPrincipal, UserTokensService } from '@app/auth';
import { AdminTransaction } from '../admin-transaction.service';
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
  constructor(
    private readonly tx: AdminTransaction,
    private readonly tokens: UserTokensService,
  ) {}

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
    return this.tx.run(async (m) => {
      const owner = await this.tx.userByLogin(params.login ?? principal.login, m);
      const generated = await this.tokens.generate({ userId: owner.id, name: params.name, expiresAt }, m);
      return {
        login: owner.login,
        name: generated.name,
        token: generated.token,
        createdAt: generated.createdAt,
        type: 'USER_TOKEN',
        expirationDate: generated.expiresAt,
      };
    });
  }

  @Get('search')
  @ApiOperation({ summary: "List a user's tokens (names and dates, never the tokens)" })
  @ApiOkResponse({ type: TokensSearchResponse })
  @ApiNotFound()
  async search(
    @Query() params: SearchTokensParams,
    @CurrentPrincipal() principal: AuthenticatedPrincipal,
  ): Promise<TokensSearchResponse> {
    const owner = await this.tx.userByLogin(params.login ?? principal.login);
    const tokens = await this.tokens.search(owner.id);
    return { login: owner.login, userTokens: tokens.map(userTokenJson) };
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
    await this.tx.run(async (m) => {
      const owner = await this.tx.userByLogin(params.login ?? principal.login, m);
      await this.tokens.revoke(owner.id, params.name, m);
    });
  }
}
