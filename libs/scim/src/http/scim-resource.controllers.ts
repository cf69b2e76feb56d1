import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Put,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../schema/resource-types';
import { ScimAccessGuard } from './scim-access.guard';
import { ScimCall, ScimHttpRequest } from './scim-exchange';
import { ScimExceptionFilter } from './scim-exception.filter';
import { ScimRequestInterceptor } from './scim-request.interceptor';
import { ScimResourceEndpoint } from './scim-resource.endpoint';
import { SCIM_GROUPS_ENDPOINT, SCIM_USERS_ENDPOINT } from './scim.constants';

/**
 * The routes of one resource type (RFC 7644 §3), the same for /Users and /Groups: each hands the request to the
 * type's endpoint. Answers whose status or headers vary (201 and `Location`, 304, 204, `ETag`) come back as a
 * `ScimAnswer`, which `ScimRequestInterceptor` writes. The guard, interceptor and filter declared here apply to both
 * controllers below (Nest reads them through the class hierarchy).
 */
@UseGuards(ScimAccessGuard)
@UseInterceptors(ScimRequestInterceptor)
@UseFilters(ScimExceptionFilter)
abstract class ScimResourceRoutes {
  protected constructor(private readonly endpoint: ScimResourceEndpoint) {}

  @Get()
  list(@ScimCall() call: ScimHttpRequest) {
    return this.endpoint.list(call);
  }

  @Get(':id')
  get(@ScimCall() call: ScimHttpRequest, @Param('id') id: string) {
    return this.endpoint.get(call, id);
  }

  @Post()
  create(@ScimCall() call: ScimHttpRequest) {
    return this.endpoint.create(call);
  }

  /** RFC 7644 §3.4.3: a query sent in the body; declared before `:id` routes, though POST has none. */
  @Post('.search')
  @HttpCode(200)
  search(@ScimCall() call: ScimHttpRequest) {
    return this.endpoint.search(call);
  }

  @Put(':id')
  replace(@ScimCall() call: ScimHttpRequest, @Param('id') id: string) {
    return this.endpoint.replace(call, id);
  }

  @Patch(':id')
  patch(@ScimCall() call: ScimHttpRequest, @Param('id') id: string) {
    return this.endpoint.patch(call, id);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@ScimCall() call: ScimHttpRequest, @Param('id') id: string) {
    return this.endpoint.delete(call, id);
  }
}

/** `/Users`: a PATCH answers 200 with the updated user. */
@Controller(USER_RESOURCE_TYPE.endpoint.slice(1))
export class ScimUsersController extends ScimResourceRoutes {
  constructor(@Inject(SCIM_USERS_ENDPOINT) endpoint: ScimResourceEndpoint) {
    super(endpoint);
  }
}

/** `/Groups`: a PATCH answers 204 unless attributes were asked for (Entra advises against echoing members). */
@Controller(GROUP_RESOURCE_TYPE.endpoint.slice(1))
export class ScimGroupsController extends ScimResourceRoutes {
  constructor(@Inject(SCIM_GROUPS_ENDPOINT) endpoint: ScimResourceEndpoint) {
    super(endpoint);
  }
}
