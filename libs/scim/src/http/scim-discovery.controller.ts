import { All, Controller, Get, Inject, Param, Req, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import type { Request } from 'express';
import { ScimError } from '../errors/scim-error';
import {
  resourceTypeDocument,
  resourceTypesListResponse,
  schemaDocument,
  schemasListResponse,
  serviceProviderConfig,
} from '../schema/discovery.documents';
import { ScimAccessGuard } from './scim-access.guard';
import { ScimExceptionFilter } from './scim-exception.filter';
import { ScimRequestInterceptor } from './scim-request.interceptor';
import { SCIM_OPTIONS } from './scim.constants';
import type { ResolvedScimOptions } from './scim-options.interface';

/**
 * RFC 7644 §4 discovery, behind the same access checks as the resources (discovery is not
 * public), and /Bulk answering 501 while bulk is unsupported (§3.7, ServiceProviderConfig `bulk.supported: false`).
 */
@Controller()
@UseGuards(ScimAccessGuard)
@UseInterceptors(ScimRequestInterceptor)
@UseFilters(ScimExceptionFilter)
export class ScimDiscoveryController {
  constructor(@Inject(SCIM_OPTIONS) private readonly options: ResolvedScimOptions) {}

  private baseUrl(request: Request): string {
    const origin = this.options.publicUrl ?? `${request.protocol}://${request.get('host') ?? 'localhost'}`;
    return origin + this.options.basePath;
  }

  @Get('ServiceProviderConfig')
  serviceProviderConfig(@Req() req: Request) {
    return serviceProviderConfig({ baseUrl: this.baseUrl(req), maxResults: this.options.limits.maxResults });
  }

  @Get('Schemas')
  schemas(@Req() req: Request) {
    return schemasListResponse(this.baseUrl(req));
  }

  @Get('Schemas/:id')
  schema(@Req() req: Request, @Param('id') id: string) {
    return schemaDocument(id, this.baseUrl(req));
  }

  @Get('ResourceTypes')
  resourceTypes(@Req() req: Request) {
    return resourceTypesListResponse(this.baseUrl(req));
  }

  @Get('ResourceTypes/:id')
  resourceType(@Req() req: Request, @Param('id') id: string) {
    return resourceTypeDocument(id, this.baseUrl(req));
  }

  @All('Bulk')
  bulk(): never {
    throw new ScimError(501, 'Bulk operations are not supported');
  }
}
