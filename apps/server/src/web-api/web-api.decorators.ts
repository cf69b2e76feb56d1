import { applyDecorators, Controller, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBasicAuth,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminPermissionGuard } from '@nest-scim/auth';
import { SessionOrTokenGuard } from '../saml-sign-in/session-or-token.guard';
import { WebApiErrorBodyDto } from './web-api-error';
import { WebApiExceptionFilter } from './web-api-exception.filter';
import { WebApiValidationPipe } from './web-api-validation.pipe';

/** Names of the security schemes in the OpenAPI document. */
export const OPENAPI_SECURITY = { bearer: 'userToken', basic: 'userTokenAsBasic', cookie: 'session' } as const;

/**
 * A controller of the admin Web API: its routes under `api/<path>`, with the Web API's error filter and validation
 * bound to it (never globally, so a host embedding the server keeps its own).
 */
export function WebApiController(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    Controller(`api/${path}`),
    UseFilters(WebApiExceptionFilter),
    UsePipes(WebApiValidationPipe),
    ApiTags(tag),
    ApiBadRequestResponse({ description: 'Invalid parameters or a refused operation', type: WebApiErrorBodyDto }),
  );
}

/**
 * For routes of administrators only: a signed-in admin (session cookie) or an admin's user token (Bearer, or Basic
 * with the token as login and an empty password). 401 without valid credentials, 403 for anyone else.
 */
export function AdminOnly(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseGuards(SessionOrTokenGuard, AdminPermissionGuard),
    ApiBearerAuth(OPENAPI_SECURITY.bearer),
    ApiBasicAuth(OPENAPI_SECURITY.basic),
    ApiCookieAuth(OPENAPI_SECURITY.cookie),
    ApiUnauthorizedResponse({ description: 'No valid session or user token', type: WebApiErrorBodyDto }),
    ApiForbiddenResponse({ description: 'The caller is not an administrator', type: WebApiErrorBodyDto }),
  );
}

/** A route that names a user, group or token owner that may not exist. */
export function ApiNotFound(): MethodDecorator {
  return ApiNotFoundResponse({ description: 'A user or group it names does not exist', type: WebApiErrorBodyDto });
}
