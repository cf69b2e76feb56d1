import { All, Controller, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ScimError } from '../errors/scim-error';
import { ScimAccessGuard } from './scim-access.guard';
import { ScimExceptionFilter } from './scim-exception.filter';
import { ScimRequestInterceptor } from './scim-request.interceptor';

/**
 * Whatever no SCIM route serves under the SCIM root (an unknown endpoint, a method a route lacks, an id holding a
 * `/`) answers a SCIM 404 after the same access checks, instead of the host's default 404, which is not
 * `application/scim+json` and echoes the requested path (RFC 7644 §3.12). Registered last.
 */
@Controller()
@UseGuards(ScimAccessGuard)
@UseInterceptors(ScimRequestInterceptor)
@UseFilters(ScimExceptionFilter)
export class ScimFallbackController {
  @All(['', '{*path}'])
  notFound(): never {
    throw ScimError.notFound('There is no SCIM endpoint at this address');
  }
}
