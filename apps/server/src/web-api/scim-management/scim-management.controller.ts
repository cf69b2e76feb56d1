import { Body, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { LicenseService } from '@app/license';
import { ScimAuditPage, ScimAuditTrail } from '@app/provisioning';
import type { DataSource } from 'typeorm';
import { GroupsService, InjectIdentityDataSource, UserEntity, UsersService } from '@app/identity';
import { ProvisioningModeService, SamlSettingsService, SCIM_LICENSE_REQUIREMENTS, SCIM_NEEDS_SAML } from '@app/saml';
import { WebApiError } from '../web-api-error';
import { AdminOnly, WebApiController } from '../web-api.decorators';
import { FORM_OR_JSON, WEB_API_OPTIONS } from '../web-api.constants';
import type { ResolvedWebApiOptions } from '../web-api-options.interface';
import { EnableScimParams, ScimAuditParams, ScimChecksResponse, ScimStatusResponse } from './scim-management.dto';

/** The provisioning mode: just in time (default) or SCIM, where Entra ID owns users and groups. */
@WebApiController('scim_management', 'scim_management')
@AdminOnly()
export class ScimManagementController {
  constructor(
    @Inject(WEB_API_OPTIONS) private readonly options: ResolvedWebApiOptions,
    private readonly mode: ProvisioningModeService,
    private readonly licenses: LicenseService,
    private readonly audit: ScimAuditTrail,
    private readonly saml: SamlSettingsService,
    private readonly users: UsersService,
    private readonly groups: GroupsService,
    @InjectIdentityDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get('checks')
  @ApiOperation({
    summary: 'What a switch of the provisioning mode would meet, before asking for it',
    description:
      'The prerequisites of SCIM that are not met (license, SAML), in the words `enable` would refuse with, and the ' +
      'users and groups a switch in either direction concerns. Changes nothing; the admin page shows it before its ' +
      'confirmation.',
  })
  @ApiOkResponse({ type: ScimChecksResponse })
  async checks(): Promise<ScimChecksResponse> {
    const problems: ScimChecksResponse['problems'] = [];
    const license = await this.licenses.evaluate(SCIM_LICENSE_REQUIREMENTS);
    if (license) problems.push({ prerequisite: 'license', msg: license.message });
    const missing = await this.saml.missing();
    if (missing.length) {
      problems.push({ prerequisite: 'saml', msg: `${SCIM_NEEDS_SAML}: ${missing.map((m) => m.message).join(', ')}` });
    }
    const count = async (search: (pageSize: 1) => Promise<{ total: number }>) => (await search(1)).total;
    const [activeUsers, localAccounts, managedUsers, groups, managedGroups] = await Promise.all([
      count((pageSize) => this.users.search({ active: true, pageSize })),
      this.localAccounts(),
      count((pageSize) => this.users.search({ managed: true, pageSize })),
      count((pageSize) => this.groups.search({ pageSize })),
      count((pageSize) => this.groups.search({ managed: true, pageSize })),
    ]);
    return {
      enabled: await this.mode.isScimEnabled(),
      problems,
      counts: { activeUsers, localAccounts, managedUsers, groups, managedGroups },
    };
  }

  /** Active accounts that sign in with a password: they stay local under SCIM, and one of them holds Entra's token. */
  private localAccounts(): Promise<number> {
    return this.dataSource.manager.countBy(UserEntity, { local: true, active: true });
  }

  @Get('audit')
  @ApiOperation({
    summary: 'The audit trail of changes made through SCIM',
    description:
      'Newest first: when, which token and owner, which resource, the names of the attributes changed, member counts, ' +
      'the request id. Never a value or a secret.',
  })
  async auditTrail(@Query() params: ScimAuditParams): Promise<ScimAuditPage> {
    const date = (value: string | undefined, name: string) => {
      if (value === undefined) return undefined;
      const parsed = new Date(value);
      if (Number.isNaN(parsed.getTime())) throw WebApiError.badRequest(`'${name}' must be an ISO 8601 date`);
      return parsed;
    };
    if (params.resourceType !== undefined && params.resourceType !== 'User' && params.resourceType !== 'Group') {
      throw WebApiError.badRequest("'resourceType' must be User or Group");
    }
    return this.audit.search({
      resourceType: params.resourceType,
      resourceId: params.resourceId,
      tokenId: params.tokenId,
      since: date(params.from, 'from'),
      until: date(params.to, 'to'),
      page: params.p,
      pageSize: params.ps,
    });
  }

  @Get('status')
  @ApiOperation({ summary: 'Whether SCIM provisioning is on' })
  @ApiOkResponse({ type: ScimStatusResponse })
  async status(): Promise<ScimStatusResponse> {
    const enabled = await this.mode.isScimEnabled();
    const { publicUrl, scimBasePath } = this.options;
    return publicUrl ? { enabled, tenantUrl: `${publicUrl}${scimBasePath}` } : { enabled };
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
    await this.mode.enableScim({ confirmed: params.confirm !== false, license: this.licenses });
  }

  @Post('disable')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Turn SCIM provisioning off (back to just-in-time provisioning)',
    description: 'Drops every link to SCIM in the same transaction: all users and groups become local and editable.',
  })
  @ApiNoContentResponse()
  async disable(): Promise<void> {
    await this.mode.disableScim();
  }
}
