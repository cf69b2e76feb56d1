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
  Req,
  Res,
  Type,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../schema/resource-types';
import type { ResourceTypeDefinition } from '../schema/schema.types';
import type { ScimResourceStore } from './resource-store.interface';
import { ScimAccessGuard } from './scim-access.guard';
import { ScimExceptionFilter } from './scim-exception.filter';
import { ScimRequestInterceptor } from './scim-request.interceptor';
import { ScimResourceEndpoint } from './scim-resource.endpoint';
import { SCIM_GROUP_STORE, SCIM_OPTIONS, SCIM_USER_STORE } from './scim.constants';
import type { ResolvedScimOptions } from './scim-options.interface';

/** One controller class per resource type, all with the same routes (RFC 7644 §3), guards, filter and interceptor. */
function resourceController(resourceType: ResourceTypeDefinition, storeToken: symbol, patchAnswersNoContent: boolean) {
  @Controller(resourceType.endpoint.slice(1))
  @UseGuards(ScimAccessGuard)
  @UseInterceptors(ScimRequestInterceptor)
  @UseFilters(ScimExceptionFilter)
  class ScimResourceController {
    readonly endpoint: ScimResourceEndpoint;

    constructor(@Inject(storeToken) store: ScimResourceStore, @Inject(SCIM_OPTIONS) options: ResolvedScimOptions) {
      this.endpoint = new ScimResourceEndpoint(resourceType, store, options, patchAnswersNoContent);
    }

    @Get()
    list(@Req() req: Request) {
      return this.endpoint.list(req);
    }

    @Get(':id')
    get(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Param('id') id: string) {
      return this.endpoint.get(req, res, id);
    }

    @Post()
    create(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
      return this.endpoint.create(req, res);
    }

    /** RFC 7644 §3.4.3: a query sent in the body; declared before `:id` routes, though POST has none. */
    @Post('.search')
    @HttpCode(200)
    search(@Req() req: Request) {
      return this.endpoint.search(req);
    }

    @Put(':id')
    replace(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Param('id') id: string) {
      return this.endpoint.replace(req, res, id);
    }

    @Patch(':id')
    patch(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Param('id') id: string) {
      return this.endpoint.patch(req, res, id);
    }

    @Delete(':id')
    @HttpCode(204)
    delete(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Param('id') id: string) {
      return this.endpoint.delete(req, res, id);
    }
  }
  Object.defineProperty(ScimResourceController, 'name', { value: `Scim${resourceType.name}sController` });
  return ScimResourceController as Type<unknown>;
}

/** `/Users`: a PATCH answers 200 with the updated user. */
export const ScimUsersController = resourceController(USER_RESOURCE_TYPE, SCIM_USER_STORE, false);
/** `/Groups`: a PATCH answers 204 unless attributes were asked for (Entra advises against echoing members). */
export const ScimGroupsController = resourceController(GROUP_RESOURCE_TYPE, SCIM_GROUP_STORE, true);
