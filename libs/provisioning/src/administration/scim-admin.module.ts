import {
  ArgumentsHost,
  Body,
  CanActivate,
  Catch,
  Controller,
  DynamicModule,
  ExceptionFilter,
  ExecutionContext,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Module,
  ModuleMetadata,
  Post,
  Query,
  Type,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ModuleRef, RouterModule } from '@nestjs/core';
import type { Response } from 'express';
import { DomainRuleError } from '@nest-scim/identity';
import {
  ScimActivity,
  type ScimActivityReadRequest,
  type ScimConnectionHealth,
  type ScimCyclePage,
  type ScimFailurePage,
} from '../activity/scim-activity.service';
import { ScimAuditPage, ScimAuditTrail } from '../scim-audit-trail.service';
import { ScimEnableRefusedError } from './scim-enable-refused.error';
import { EntraCredentials, ScimSetup } from './scim-setup.service';
import { ScimStatus, ScimSwitch } from './scim-switch.service';

export interface ScimAdminModuleOptions {
  /** Modules that export the feature's services: the host's `ScimProvisioningModule.forRootAsync(…)` object. */
  imports?: ModuleMetadata['imports'];
  /** Where the routes live, e.g. `admin/scim`. */
  path: string;
  /**
   * The host's guards, run in order before every route (its own admin check: the feature does not know who the
   * host's administrators are). Resolved from the host's modules through `imports`, or made here when not found.
   */
  guards: Type<CanActivate>[];
}

const SCIM_ADMIN_GUARDS = Symbol('SCIM_ADMIN_GUARDS');

/** Runs the host's guards in order; a refusal is theirs to shape (their exception, or 403). */
@Injectable()
class ScimAdminGuard implements CanActivate {
  constructor(@Inject(SCIM_ADMIN_GUARDS) private readonly guards: CanActivate[]) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    for (const guard of this.guards) if (!(await guard.canActivate(context))) return false;
    return true;
  }
}

/** Errors as `{ "message": …, "errors"?: [...] }` with the status each rule gives. */
@Catch()
class ScimAdminExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = render(exception);
    response.status(status).json(body);
  }
}

function render(exception: unknown): [number, Record<string, unknown>] {
  if (exception instanceof ScimEnableRefusedError) {
    return [HttpStatus.BAD_REQUEST, { message: exception.message, failures: exception.failures }];
  }
  if (exception instanceof DomainRuleError) {
    const status = exception.code === 'not_found' ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST;
    return [status, { message: exception.message }];
  }
  if (exception instanceof HttpException) return [exception.getStatus(), { message: exception.message }];
  return [HttpStatus.INTERNAL_SERVER_ERROR, { message: 'Internal server error' }];
}

function optionalInteger(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw DomainRuleError.invalid(`'${name}' must be a positive integer`);
  return parsed;
}

function optionalText(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw DomainRuleError.invalid(`'${name}' must be given once, as text`);
  return value;
}

/**
 * The SCIM switch, the Entra ID token and the audit trail over HTTP, for a host that wants them as they are: `GET
 * status`, `POST enable` (`{"confirm": true}`), `POST disable`, `POST token` (`{"name"?, "expiresAt"?, "userId"?}`:
 * the Tenant URL and a new token of an administrator), `GET audit` (`resourceType`, `resourceId`, `tokenId`, `from`,
 * `to`, `p`, `ps`), and the provisioning activity: `GET activity` (cycles), `GET failures` (by cause) with `from`,
 * `to`, `p`, `ps`, and `GET connection`. JSON bodies: the host's own body parser reads them.
 */
@Controller()
@UseGuards(ScimAdminGuard)
@UseFilters(ScimAdminExceptionFilter)
class ScimAdminController {
  constructor(
    private readonly scimSwitch: ScimSwitch,
    private readonly setup: ScimSetup,
    private readonly audit: ScimAuditTrail,
    private readonly activity: ScimActivity,
  ) {}

  @Get('status')
  status(): Promise<ScimStatus> {
    return this.scimSwitch.status();
  }

  @Post('enable')
  @HttpCode(204)
  async enable(@Body() body: unknown): Promise<void> {
    const confirm = (body as { confirm?: unknown } | undefined)?.confirm;
    await this.scimSwitch.enable({ confirmed: confirm === true || confirm === 'true' });
  }

  @Post('disable')
  @HttpCode(204)
  async disable(): Promise<void> {
    await this.scimSwitch.disable();
  }

  @Post('token')
  async token(@Body() body: unknown): Promise<EntraCredentials> {
    const fields = (body ?? {}) as Record<string, unknown>;
    const expiresText = optionalText(fields.expiresAt, 'expiresAt');
    const expiresAt = expiresText === undefined ? undefined : new Date(expiresText);
    if (expiresAt && Number.isNaN(expiresAt.getTime())) {
      throw DomainRuleError.invalid("'expiresAt' must be an ISO 8601 date");
    }
    return this.setup.createEntraToken({
      userId: optionalText(fields.userId, 'userId'),
      name: optionalText(fields.name, 'name'),
      expiresAt,
    });
  }

  @Get('audit')
  auditTrail(@Query() query: Record<string, unknown>): Promise<ScimAuditPage> {
    return this.audit.read({
      resourceType: optionalText(query.resourceType, 'resourceType'),
      resourceId: optionalText(query.resourceId, 'resourceId'),
      tokenId: optionalText(query.tokenId, 'tokenId'),
      from: optionalText(query.from, 'from'),
      to: optionalText(query.to, 'to'),
      page: optionalInteger(query.p, 'p'),
      pageSize: optionalInteger(query.ps, 'ps'),
    });
  }

  @Get('activity')
  cycles(@Query() query: Record<string, unknown>): Promise<ScimCyclePage> {
    return this.activity.cycles(activityWindow(query));
  }

  @Get('failures')
  failures(@Query() query: Record<string, unknown>): Promise<ScimFailurePage> {
    return this.activity.failures(activityWindow(query));
  }

  @Get('connection')
  connection(): Promise<ScimConnectionHealth> {
    return this.activity.connection();
  }
}

function activityWindow(query: Record<string, unknown>): ScimActivityReadRequest {
  return {
    from: optionalText(query.from, 'from'),
    to: optionalText(query.to, 'to'),
    page: optionalInteger(query.p, 'p'),
    pageSize: optionalInteger(query.ps, 'ps'),
  };
}

/**
 * An optional admin API for the SCIM feature, mounted where the host says and behind the host's own guards:
 * `ScimAdminModule.register({ imports: [provisioning], path: 'admin/scim', guards: [MyAdminGuard] })`. A host with
 * its own admin API calls the same services (ScimSwitch, ScimSetup, ScimAuditTrail) instead.
 */
@Module({})
export class ScimAdminModule {
  static register(options: ScimAdminModuleOptions): DynamicModule {
    const path = options.path.replace(/^\/+|\/+$/g, '');
    return {
      module: ScimAdminModule,
      imports: [...(options.imports ?? []), RouterModule.register([{ path, module: ScimAdminModule }])],
      controllers: [ScimAdminController],
      providers: [
        {
          provide: SCIM_ADMIN_GUARDS,
          inject: [ModuleRef],
          useFactory: (moduleRef: ModuleRef) =>
            Promise.all(
              options.guards.map(async (guard) => {
                try {
                  return moduleRef.get(guard, { strict: false });
                } catch {
                  return moduleRef.create(guard);
                }
              }),
            ),
        },
        ScimAdminGuard,
        ScimAdminExceptionFilter,
      ],
    };
  }
}
