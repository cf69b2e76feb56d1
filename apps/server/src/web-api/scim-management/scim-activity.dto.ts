import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_ACTIVITY_PAGE_SIZE } from '@nest-scim/provisioning';
import { OptionalInteger, OptionalText } from '../web-api-params';

/** The time window and page of an activity read; `p`/`ps` as in every search. */
export class ScimActivityParams {
  @OptionalInteger('p', { description: '1-based page number', default: 1, min: 1 })
  p?: number;

  @OptionalInteger('ps', { description: 'Page size', default: 20, min: 1, max: MAX_ACTIVITY_PAGE_SIZE })
  ps?: number;

  @OptionalText('from', { description: 'ISO 8601: requests at or after this time', maxLength: 40 })
  from?: string;

  @OptionalText('to', { description: 'ISO 8601: requests before this time', maxLength: 40 })
  to?: string;
}

export class ScimRequestSummaryJson {
  @ApiProperty() occurredAt: Date;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ example: 'PATCH' }) method: string;
  @ApiProperty({ example: '/Users/{id}' }) route: string;
  @ApiProperty({ nullable: true, type: String, enum: ['User', 'Group'] }) resourceType: string | null;
  @ApiProperty({ nullable: true, type: String }) resourceId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'userName or displayName, when known' })
  subject: string | null;
  @ApiProperty() status: number;
  @ApiProperty() durationMs: number;
}

export class ScimCycleUsersJson {
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() deactivated: number;
  @ApiProperty() reactivated: number;
  @ApiProperty() deleted: number;
}

export class ScimCycleGroupsJson {
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() deleted: number;
}

export class ScimCycleJson {
  @ApiProperty() start: Date;
  @ApiProperty() end: Date;
  @ApiProperty({ description: 'Its last request is more recent than the pause that ends a cycle' })
  inProgress: boolean;
  @ApiProperty() requests: number;
  @ApiProperty() failures: number;
  @ApiProperty({ type: ScimCycleUsersJson, description: 'Successful user changes' }) users: ScimCycleUsersJson;
  @ApiProperty({ type: ScimCycleGroupsJson, description: 'Successful group changes' }) groups: ScimCycleGroupsJson;
  @ApiProperty({ description: 'Members added or removed by successful group requests' }) membershipChanges: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { credentials: 2, 'local-account': 1 },
  })
  failuresByCause: Record<string, number>;
  @ApiProperty({ type: [ScimRequestSummaryJson], description: 'The slowest requests, slowest first' })
  slowest: ScimRequestSummaryJson[];
}

const RECORDING = 'Requests are being recorded; false when SCIM_ACTIVITY_RECORDING=off (only older records are read)';

export class ScimCyclePageJson {
  @ApiProperty({ description: RECORDING }) recording: boolean;
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty({ description: 'A pause of this many seconds without a request starts a new cycle' })
  cycleGapSeconds: number;
  @ApiProperty({ type: [ScimCycleJson], description: 'Newest first' }) cycles: ScimCycleJson[];
  @ApiProperty({ description: 'The window held more requests than one read covers: its oldest cycles are missing' })
  truncated: boolean;
}

export class ScimFailureTargetJson {
  @ApiProperty({ nullable: true, type: String, enum: ['User', 'Group'] }) resourceType: string | null;
  @ApiProperty({ nullable: true, type: String }) resourceId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'userName or displayName, when known' })
  subject: string | null;
  @ApiProperty({ description: 'Failures of this cause for this user, group or route' }) count: number;
  @ApiProperty() lastAt: Date;
  @ApiProperty() status: number;
  @ApiProperty({ nullable: true, type: String, description: 'The error detail sent to Entra ID' })
  detail: string | null;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ description: 'The user or group exists in the product (the page links to it)' }) exists: boolean;
}

export class ScimFailureGroupJson {
  @ApiProperty({ example: 'local-account' }) cause: string;
  @ApiProperty({ example: 'userName belongs to a local account, which SCIM never takes over. …' })
  explanation: string;
  @ApiProperty() count: number;
  @ApiProperty() firstAt: Date;
  @ApiProperty() lastAt: Date;
  @ApiProperty({ type: [ScimFailureTargetJson], description: 'Most recent first, at most 50' })
  targets: ScimFailureTargetJson[];
}

export class ScimFailurePageJson {
  @ApiProperty({ description: RECORDING }) recording: boolean;
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty({ type: [ScimFailureGroupJson], description: 'Most frequent cause first' })
  groups: ScimFailureGroupJson[];
  @ApiProperty() truncated: boolean;
}

export class ScimQuarantineReasonJson {
  @ApiProperty({ enum: ['credentials', 'unknown-id', 'failure-share'] }) kind: string;
  @ApiProperty() message: string;
}

export class ScimConnectionJson {
  @ApiProperty() scimEnabled: boolean;
  @ApiProperty({ description: RECORDING }) recording: boolean;
  @ApiProperty({
    enum: ['off', 'waiting', 'active', 'silent', 'unrecorded'],
    description:
      'off: SCIM is off; waiting: on, never called; silent: on, no request for silentAfterSeconds; unrecorded: on, ' +
      'but SCIM_ACTIVITY_RECORDING=off, so the health is not known',
  })
  state: string;
  @ApiPropertyOptional({ nullable: true, type: Date }) lastContactAt: Date | null;
  @ApiProperty() silentAfterSeconds: number;
  @ApiProperty({ description: 'The latest cycle looks like what makes Entra ID quarantine the application' })
  quarantineRisk: boolean;
  @ApiProperty({ type: [ScimQuarantineReasonJson] }) quarantineReasons: ScimQuarantineReasonJson[];
  @ApiPropertyOptional({ nullable: true, type: ScimCycleJson }) latestCycle: ScimCycleJson | null;
}
