import { Controller, HttpCode, Inject, Post, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ScimError } from '../errors/scim-error';
import { isUnsupportedAttributeError } from '../filter/filter.errors';
import { listResponse } from '../paging/list-response.builder';
import type { ListQuery } from '../paging/list-query.parser';
import { parseSearchRequest } from '../paging/search-request.parser';
import type { ScimObject } from '../resource/scim-value.types';
import { pagedAnswer } from './paged-answer';
import { ScimAccessGuard } from './scim-access.guard';
import { ScimCall, ScimHttpRequest } from './scim-exchange';
import { ScimExceptionFilter } from './scim-exception.filter';
import { ScimRequestInterceptor } from './scim-request.interceptor';
import { ScimResourceEndpoint } from './scim-resource.endpoint';
import { SCIM_GROUPS_ENDPOINT, SCIM_USERS_ENDPOINT } from './scim.constants';

interface TypePage {
  totalResults: number;
  resources: ScimObject[];
}

/**
 * `POST /.search` (RFC 7644 §3.4.3): one query over users and groups. Results list the users, then the groups, each in
 * its own stable order, and `startIndex`/`count` page through that one list. A filter naming an attribute only one
 * resource type has matches nothing of the other; a filter neither can read is 400 invalidFilter. `sortBy` is refused
 * here (400 invalidValue): the two types share no sortable order; sort on `/Users/.search` or `/Groups/.search`.
 */
@Controller()
@UseGuards(ScimAccessGuard)
@UseInterceptors(ScimRequestInterceptor)
@UseFilters(ScimExceptionFilter)
export class ScimRootSearchController {
  constructor(
    @Inject(SCIM_USERS_ENDPOINT) private readonly users: ScimResourceEndpoint,
    @Inject(SCIM_GROUPS_ENDPOINT) private readonly groups: ScimResourceEndpoint,
  ) {}

  @Post('.search')
  @HttpCode(200)
  async search(@ScimCall() request: ScimHttpRequest): Promise<unknown> {
    const query = parseSearchRequest(request.body, this.users.listLimits());
    if (query.sortBy !== undefined) {
      throw ScimError.invalidValue('Sorting is supported on /Users/.search and /Groups/.search, not across both');
    }
    const users = await this.pageOf(this.users, request, query);
    // The groups' part of the window starts where the users end: the users fill positions 1…users.totalResults.
    const groupStart = Math.max(1, query.startIndex - (users?.totalResults ?? 0));
    const groupCount = query.count === 0 ? 0 : query.count - (users?.resources.length ?? 0);
    const groups = await this.pageOf(this.groups, request, { ...query, startIndex: groupStart, count: groupCount });
    if (users === undefined && groups === undefined) {
      throw ScimError.invalidFilter('Invalid filter: no resource type has the attributes this filter names');
    }
    const totalResults = (users?.totalResults ?? 0) + (groups?.totalResults ?? 0);
    const resources = [...(users?.resources ?? []), ...(groups?.resources ?? [])];
    return pagedAnswer(listResponse(resources, totalResults, query.startIndex));
  }

  /** A type's page, or undefined when the filter names what this type does not have. */
  private async pageOf(
    endpoint: ScimResourceEndpoint,
    request: ScimHttpRequest,
    query: ListQuery,
  ): Promise<TypePage | undefined> {
    try {
      return await endpoint.page(request, query);
    } catch (error) {
      if (isUnsupportedAttributeError(error)) return undefined;
      throw error;
    }
  }
}
