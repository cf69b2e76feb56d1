import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ScimAuditPage, ScimAuditTrail, ScimSwitch } from '@app/provisioning';
import { AdminOnly, WebApiController } from '../web-api.decorators';
import { FORM_OR_JSON } from '../web-api.constants';
import { EnableScimParams, ScimAuditParams, ScimStatusResponse } from './scim-management.dto';

/** The provisioning mode: just in time (default) or SCIM, where Entra ID owns users and groups. */
@WebApiController('scim_management', 'scim_management')
@AdminOnly()
export class ScimManagementController {
  constructor(
    private readonly scimSwitch: ScimSwitch,
    private readonly audit: ScimAuditTrail,
  ) {}

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
      'Needs `confirm=true`, an Enterprise license with the scim feature, and SAML enabled and complete. A refusal ' +
      'lists every missing prerequisite, one message each.',
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiNoContentResponse()
  async enable(@Body() params: EnableScimParams): Promise<void> {
    await this.scimSwitch.enable({ confirmed: params.confirm === true });
  }

  @Post('disable')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Turn SCIM provisioning off (back to just-in-time provisioning)',
    description: 'Drops every link to SCIM in the same transaction: all users and groups become local and editable.',
  })
  @ApiNoContentResponse()
  async disable(): Promise<void> {
    await this.scimSwitch.disable();
  }
}
