import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ScimAuditPage, ScimAuditTrail, ScimPrerequisiteFailure, ScimSwitch } from '@nest-scim/provisioning';
import { UserAccountsService } from '../users/user-accounts.service';
import { AdminOnly, WebApiController } from '../web-api.decorators';
import { FORM_OR_JSON } from '../web-api.constants';
import { EnableScimParams, ScimAuditParams, ScimChecksResponse, ScimStatusResponse } from './scim-management.dto';
import { switchConsequences } from './scim-switch.consequences';

/** This server's sign-in is SAML: the feature's sign-in prerequisite is named after it. */
function problemJson(failure: ScimPrerequisiteFailure): ScimChecksResponse['problems'][number] {
  return { prerequisite: failure.prerequisite === 'license' ? 'license' : 'saml', msg: failure.message };
}

/** The provisioning mode: just in time (default) or SCIM, where Entra ID owns users and groups. */
@WebApiController('scim_management', 'scim_management')
@AdminOnly()
export class ScimManagementController {
  constructor(
    private readonly scimSwitch: ScimSwitch,
    private readonly audit: ScimAuditTrail,
    private readonly accounts: UserAccountsService,
  ) {}

  @Get('checks')
  @ApiOperation({
    summary: 'What a switch of the provisioning mode would meet, before asking for it',
    description:
      'The prerequisites of SCIM that are not met (license, SAML), in the words `enable` would refuse with, the ' +
      'users and groups a switch in either direction concerns, and what each direction does, in the sentences the ' +
      "admin page's confirmations show. Changes nothing.",
  })
  @ApiOkResponse({ type: ScimChecksResponse })
  async checks(): Promise<ScimChecksResponse> {
    const [status, unmet, counts] = await Promise.all([
      this.scimSwitch.status(),
      this.scimSwitch.unmetPrerequisites(),
      this.accounts.switchCounts(),
    ]);
    return {
      enabled: status.enabled,
      problems: unmet.map(problemJson),
      counts,
      consequences: switchConsequences(counts),
    };
  }

  @Get('audit')
  @ApiOperation({
    summary: 'The audit trail of changes made through SCIM',
    description:
      'Newest first: when, which token and owner, which resource, the names of the attributes changed, member counts, ' +
      'the request id. Never a value or a secret.',
  })
  async auditTrail(@Query() params: ScimAuditParams): Promise<ScimAuditPage> {
    return this.audit.read({
      resourceType: params.resourceType,
      resourceId: params.resourceId,
      tokenId: params.tokenId,
      from: params.from,
      to: params.to,
      page: params.p,
      pageSize: params.ps,
    });
  }

  @Get('status')
  @ApiOperation({ summary: 'Whether SCIM provisioning is on' })
  @ApiOkResponse({ type: ScimStatusResponse })
  async status(): Promise<ScimStatusResponse> {
    return this.scimSwitch.status();
  }

  @Post('enable')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Turn SCIM provisioning on',
    description:
      'Needs an Enterprise license with the scim feature, and SAML enabled and complete. A refusal lists every ' +
      "missing prerequisite, one message each. As in the product, the call itself is the admin's decision (the admin " +
      'page asks for confirmation before making it), so no parameter is needed; `confirm=false` refuses.',
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiNoContentResponse()
  async enable(@Body() params: EnableScimParams): Promise<void> {
    await this.scimSwitch.enable({ confirmed: params.confirm !== false });
  }

  @Post('disable')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Turn SCIM provisioning off (back to just-in-time provisioning)',
    description:
      'All users and groups become editable here, and SAML sign-in creates accounts just in time again. The links to ' +
      "SCIM are kept, dormant: switching SCIM back on resumes with Entra ID's ids, and the changes made here " +
      'meanwhile are what SCIM then answers (each changed resource with a new version).',
  })
  @ApiNoContentResponse()
  async disable(): Promise<void> {
    await this.scimSwitch.disable();
  }
}
