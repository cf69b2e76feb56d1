import { Controller, Get, Inject, Logger, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AdminPermissionGuard, SessionsService } from '@nest-scim/auth';
import { SamlServiceProviderEndpoints, SamlSignInService, SamlStartOutcome } from '@nest-scim/saml';
import { ProvisionedSignIn } from '@nest-scim/provisioning';
import { SamlHttpExceptionFilter } from './saml-http-exception.filter';
import { sendRefusal, sendValidationReport } from './saml-pages';
import { SAML_SIGN_IN_OPTIONS, ResolvedSamlSignInOptions } from './saml-sign-in.options';
import { SessionOrTokenGuard } from './session-or-token.guard';
import { isSecureRequest, readSessionCookie, setSessionCookie } from './session-cookie';

/** The assertion consumer service, on the product's path. */
export const SAML_ACS_PATH = '/oauth2/callback/saml';

/**
 * SAML on the product's routes: `GET /sessions/init/saml` sends the browser to the identity provider, which posts
 * its answer to `POST /oauth2/callback/saml`; `GET /saml/metadata` is what to give the identity provider;
 * `GET /saml/validation_init` starts an administrator's test of the configuration. The session is the one password
 * sign-in opens (same cookie, same helper), so `POST /api/authentication/logout` ends it. The SAML rules live in
 * SamlSignInService, the account rules in the feature's ProvisionedSignIn.
 */
@Controller()
@UseFilters(SamlHttpExceptionFilter)
export class SamlSignInController {
  private readonly logger = new Logger('SamlSignIn');

  constructor(
    @Inject(SAML_SIGN_IN_OPTIONS) private readonly options: ResolvedSamlSignInOptions,
    private readonly signIn: SamlSignInService,
    private readonly accounts: ProvisionedSignIn,
    private readonly sessions: SessionsService,
  ) {}

  @Get('sessions/init/saml')
  async init(@Query('return_to') returnTo: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const outcome = await this.signIn.startSignIn({
      endpoints: this.endpoints(req),
      relayState: typeof returnTo === 'string' ? returnTo : null,
    });
    this.redirectToIdentityProvider(req, res, outcome);
  }

  @Post(SAML_ACS_PATH.slice(1))
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const outcome = await this.signIn.handleResponse({
      samlResponse: body.SAMLResponse,
      relayState: body.RelayState,
      endpoints: this.endpoints(req),
    });
    if (outcome.kind === 'validation') {
      sendValidationReport(req, res, outcome.report);
      return;
    }
    if (outcome.kind === 'refused') {
      this.logger.warn(`SAML response refused: ${outcome.reason}`);
      sendRefusal(req, res, 401, outcome.message);
      return;
    }
    const account = await this.accounts.signIn(outcome.identity);
    if (account.kind === 'refused') {
      this.logger.warn(`SAML sign-in refused: ${account.reason}`);
      sendRefusal(req, res, 403, account.message);
      return;
    }
    // As with password sign-in, a session the browser already had is ended rather than kept beside the new one.
    const previous = readSessionCookie(req);
    if (previous) await this.sessions.revokeSession(previous);
    setSessionCookie(res, account.session, isSecureRequest(req, this.options.publicUrl));
    res.redirect(302, outcome.relayState ?? '/');
  }

  @Get('saml/metadata')
  async metadata(@Req() req: Request, @Res() res: Response): Promise<void> {
    const xml = await this.signIn.metadata(this.endpoints(req));
    res.status(200).type('application/samlmetadata+xml; charset=utf-8').send(xml);
  }

  /** Admin only: a round trip whose answer is reported (attributes, mapping, warnings) and signs nobody in. */
  @Get('saml/validation_init')
  @UseGuards(SessionOrTokenGuard, AdminPermissionGuard)
  async validationInit(@Req() req: Request, @Res() res: Response): Promise<void> {
    const outcome = await this.signIn.startSignIn({ endpoints: this.endpoints(req), purpose: 'validation' });
    this.redirectToIdentityProvider(req, res, outcome);
  }

  private redirectToIdentityProvider(req: Request, res: Response, outcome: SamlStartOutcome): void {
    if (outcome.kind === 'saml_disabled') {
      sendRefusal(req, res, 400, 'SAML authentication is not enabled or not fully configured');
      return;
    }
    res.set('Cache-Control', 'no-store').redirect(302, outcome.url);
  }

  /** The ACS URL the identity provider must use: on the public URL when one is configured, else as requested. */
  private endpoints(req: Request): SamlServiceProviderEndpoints {
    const base = this.options.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    return { acsUrl: `${base}${SAML_ACS_PATH}` };
  }
}
