import { Body, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiConsumes,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  extractToken,
  LocalAccountsService,
  SessionsService,
  sourceAddressKey,
  UserTokensService,
} from '@nest-scim/auth';
import {
  clearSessionCookie,
  isSecureRequest,
  readSessionCookie,
  SESSION_COOKIE_NAME,
  setSessionCookie,
} from '../../saml-sign-in/session-cookie';
import { WebApiController } from '../web-api.decorators';
import { FORM_OR_JSON, WEB_API_OPTIONS } from '../web-api.constants';
import { WebApiErrorBodyDto } from '../web-api-error';
import type { ResolvedWebApiOptions } from '../web-api-options.interface';
import { LoginParams, ValidateResponse } from './authentication.dto';

/** Sign-in of local accounts with a password, for the admin page; the session lives in an HttpOnly cookie. */
@WebApiController('authentication', 'authentication')
@ApiConsumes(...FORM_OR_JSON)
export class AuthenticationController {
  constructor(
    @Inject(WEB_API_OPTIONS) private readonly options: ResolvedWebApiOptions,
    private readonly accounts: LocalAccountsService,
    private readonly sessions: SessionsService,
    private readonly tokens: UserTokensService,
  ) {}

  @Get('validate')
  @ApiOperation({
    summary: 'Check credentials',
    description:
      'Whether the request carries a live session or a valid user token: always 200, so the admin page learns whether ' +
      'to show the sign-in form without an error on load.',
  })
  @ApiOkResponse({ type: ValidateResponse })
  async validate(@Req() req: Request): Promise<ValidateResponse> {
    if (await this.sessions.resolveSession(readSessionCookie(req))) return { valid: true };
    const token = extractToken(req.headers.authorization);
    if (token === undefined) return { valid: false };
    try {
      await this.tokens.authenticateToken(token);
      return { valid: true };
    } catch {
      return { valid: false };
    }
  }

  @Post('login')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign in with a login and password',
    description: `Sets the \`${SESSION_COOKIE_NAME}\` cookie (HttpOnly, SameSite=Lax, Secure over HTTPS). Failed sign-ins are throttled per login and address, per address, and per login for addresses that failed.`,
  })
  @ApiNoContentResponse({ description: 'Signed in' })
  @ApiUnauthorizedResponse({ description: 'Wrong login or password', type: WebApiErrorBodyDto })
  @ApiTooManyRequestsResponse({ description: 'Too many failed sign-ins; see Retry-After', type: WebApiErrorBodyDto })
  async login(
    @Body() params: LoginParams,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    // The socket's address (X-Forwarded-For counts only if the host configured Express to trust its proxy), keyed as
    // failed token authentications are: an IPv6 /64 is one address.
    const address = sourceAddressKey(req.ip ?? req.socket.remoteAddress);
    const user = await this.accounts.authenticatePassword(params.login, params.password, { address });
    // A session the browser already had is ended rather than kept beside the new one (no session fixation).
    const previous = readSessionCookie(req);
    if (previous) await this.sessions.revokeSession(previous);
    const session = await this.sessions.createSession(user.userId);
    setSessionCookie(res, session, isSecureRequest(req, this.options.publicUrl));
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends the session and clears its cookie' })
  @ApiNoContentResponse()
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = readSessionCookie(req);
    if (token) await this.sessions.revokeSession(token);
    clearSessionCookie(res, isSecureRequest(req, this.options.publicUrl));
  }
}
