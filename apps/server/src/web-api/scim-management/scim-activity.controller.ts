import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import {
  ScimActivity,
  ScimConnectionHealth,
  ScimCyclePage,
  ScimFailurePage,
  type ScimActivityReadRequest,
} from '@nest-scim/provisioning';
import { AdminOnly, WebApiController } from '../web-api.decorators';
import { ScimActivityParams, ScimConnectionJson, ScimCyclePageJson, ScimFailurePageJson } from './scim-activity.dto';

function readRequest(params: ScimActivityParams): ScimActivityReadRequest {
  return { from: params.from, to: params.to, page: params.p, pageSize: params.ps };
}

/** What Entra ID did over SCIM, what failed and why, and whether the connection looks healthy. */
@WebApiController('scim_management', 'scim_management')
@AdminOnly()
export class ScimActivityController {
  constructor(private readonly activity: ScimActivity) {}

  @Get('activity')
  @ApiOperation({
    summary: "Entra ID's provisioning cycles",
    description:
      'SCIM requests grouped into cycles (a pause of SCIM_ACTIVITY_CYCLE_GAP_SECONDS, five minutes by default, starts ' +
      'a new one), newest first: start, end, requests, failures, users and groups created, updated, deactivated and ' +
      'deleted, membership changes, failures by cause and the slowest requests.',
  })
  @ApiOkResponse({ type: ScimCyclePageJson })
  async cycles(@Query() params: ScimActivityParams): Promise<ScimCyclePage> {
    return this.activity.cycles(readRequest(params));
  }

  @Get('failures')
  @ApiOperation({
    summary: 'Failed SCIM requests, grouped by cause',
    description:
      'Each cause once, with its count, a plain explanation, and the users and groups (or routes) it concerned with ' +
      'the detail sent to Entra ID; most frequent cause first.',
  })
  @ApiOkResponse({ type: ScimFailurePageJson })
  async failures(@Query() params: ScimActivityParams): Promise<ScimFailurePage> {
    return this.activity.failures(readRequest(params));
  }

  @Get('connection')
  @ApiOperation({
    summary: 'Health of the connection with Entra ID',
    description:
      'Last contact; `silent` when SCIM is on and no request came for SCIM_SILENT_AFTER_SECONDS (two 40-minute ' +
      'cycles by default); a quarantine risk with its reasons when the latest cycle had refused credentials, a 404 ' +
      'on an id answered before, or a majority of failed requests.',
  })
  @ApiOkResponse({ type: ScimConnectionJson })
  async connection(): Promise<ScimConnectionHealth> {
    return this.activity.connection();
  }
}
