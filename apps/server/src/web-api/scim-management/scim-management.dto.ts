import { MAX_AUDIT_PAGE_SIZE } from '@nest-scim/provisioning';
import { OptionalInteger, OptionalText } from '../web-api-params';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OptionalBoolean } from '../web-api-params';

export class EnableScimParams {
  @OptionalBoolean('confirm', {
    description:
      'Optional: calling enable is the decision (the admin page confirms first). Accepted for the scripts that send ' +
      'it; `false` refuses the switch',
    default: true,
  })
  confirm?: boolean;
}

export class ScimStatusResponse {
  @ApiProperty({ description: 'Users and groups are provisioned through SCIM (the instance is externally managed)' })
  enabled: boolean;

  @ApiPropertyOptional({
    description: "Entra ID's Tenant URL for this server; present when the server knows its public address",
    example: 'https://sonar.example.com/api/scim/v2',
  })
  tenantUrl?: string;
}

/** Filters of the SCIM audit trail; `p`/`ps` as in every search. */
export class ScimAuditParams {
  @OptionalInteger('p', { description: '1-based page number', default: 1, min: 1 })
  p?: number;

  @OptionalInteger('ps', { description: 'Page size', default: 100, min: 1, max: MAX_AUDIT_PAGE_SIZE })
  ps?: number;

  @OptionalText('resourceType', { description: '`User` or `Group`', maxLength: 5 })
  resourceType?: string;

  @OptionalText('resourceId', { description: 'The SCIM id of a user or group', maxLength: 64 })
  resourceId?: string;

  @OptionalText('tokenId', { description: 'The id of the token that made the change', maxLength: 64 })
  tokenId?: string;

  @OptionalText('from', { description: 'ISO 8601: changes at or after this time', maxLength: 40 })
  from?: string;

  @OptionalText('to', { description: 'ISO 8601: changes before this time', maxLength: 40 })
  to?: string;
}

export class ScimProblemJson {
  @ApiProperty({ enum: ['license', 'saml'] })
  prerequisite: 'license' | 'saml';

  @ApiProperty({ example: 'This feature requires an Enterprise license' })
  msg: string;
}

export class ScimCountsJson {
  @ApiProperty({ description: 'Active users' })
  activeUsers: number;

  @ApiProperty({
    description:
      'Active local accounts (password sign-in): they stay local under SCIM, read-only but for deactivation, password and permissions',
  })
  localAccounts: number;

  @ApiProperty({ description: 'Users the identity provider manages now' })
  managedUsers: number;

  @ApiProperty()
  groups: number;

  @ApiProperty({ description: 'Groups the identity provider manages now' })
  managedGroups: number;

  @ApiProperty({ description: 'Users linked to a SCIM resource: managed while SCIM is on, kept while it is off' })
  linkedUsers: number;

  @ApiProperty({ description: 'Groups linked to a SCIM resource: managed while SCIM is on, kept while it is off' })
  linkedGroups: number;
}

export class ScimSwitchConsequencesJson {
  @ApiProperty({ type: [String], description: 'What switching SCIM on does, one sentence each' })
  enable: string[];

  @ApiProperty({ type: [String], description: 'What switching back to just-in-time provisioning does' })
  disable: string[];
}

export class ScimChecksResponse {
  @ApiProperty({ description: 'SCIM provisioning is on now' })
  enabled: boolean;

  @ApiProperty({ type: [ScimProblemJson], description: 'Unmet prerequisites of SCIM; empty when it can be enabled' })
  problems: ScimProblemJson[];

  @ApiProperty({ type: ScimCountsJson })
  counts: ScimCountsJson;

  @ApiProperty({ type: ScimSwitchConsequencesJson })
  consequences: ScimSwitchConsequencesJson;
}
