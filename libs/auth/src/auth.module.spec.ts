import {
  ArgumentsHost,
  Catch,
  Controller,
  ExceptionFilter,
  Get,
  INestApplication,
  Module,
  Req,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Response } from 'express';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { buildDataSourceOptions } from '@nest-scim/persistence';
import { createScratchDatabase, ScratchDatabase, testDialects } from '@nest-scim/persistence/testing';
import {
  GroupsService,
  IDENTITY_ENTITIES,
  IdentityModule,
  PermissionsService,
  UsersService,
} from '@nest-scim/identity';
import { AdminPermissionGuard } from './admin-permission.guard';
import { AuthenticationFailure, PermissionDenied } from './auth.errors';
import { AUTH_ENTITIES } from './auth.entities';
import { AuthModule } from './auth.module';
import { AuthenticatedPrincipal, CurrentPrincipal } from './authenticated-principal';
import { LocalAccountsService } from './local-accounts.service';
import { TEST_PASSWORD_HASHING } from './testing';
import { UserTokenGuard } from './user-token.guard';
import { UserTokensService } from './user-tokens.service';

/** How the admin Web API renders auth errors; the SCIM layer would render RFC 7644 bodies instead. */
@Catch(AuthenticationFailure, PermissionDenied)
class WebApiErrorsFilter implements ExceptionFilter {
  catch(error: AuthenticationFailure | PermissionDenied, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(error.getStatus())
      .json({ errors: [{ msg: error.message }] });
  }
}

@Controller('api')
@UseFilters(WebApiErrorsFilter)
class ProbeController {
  @Get('token')
  @UseGuards(UserTokenGuard)
  token(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Req() req: { user?: unknown }) {
    return { principal, passportUser: req.user ?? null };
  }

  @Get('admin')
  @UseGuards(UserTokenGuard, AdminPermissionGuard)
  admin() {
    return { ok: true };
  }
}

/** No filter: a host that does nothing still answers 401, not 500. */
@Controller('plain')
class PlainController {
  @Get()
  @UseGuards(UserTokenGuard)
  plain() {
    return { ok: true };
  }
}

describe.each(testDialects())('AuthModule in a host (%s)', (dialect) => {
  let scratch: ScratchDatabase;
  let app: INestApplication;
  let adminToken: string;
  let userToken: string;
  let adminId: string;
  let userId: string;

  beforeAll(async () => {
    scratch = await createScratchDatabase(dialect);
    const identity = IdentityModule.forRoot();
    @Module({
      imports: [
        TypeOrmModule.forRoot({
          ...buildDataSourceOptions(
            { url: scratch.url, sqlitePath: scratch.sqlitePath },
            { entities: [...IDENTITY_ENTITIES, ...AUTH_ENTITIES], migrations: () => [] },
          ),
          synchronize: true,
        }),
        identity,
        AuthModule.forRoot({ imports: [identity], passwordHashing: TEST_PASSWORD_HASHING }),
      ],
      controllers: [ProbeController, PlainController],
    })
    class HostModule {}

    const moduleRef = await Test.createTestingModule({ imports: [HostModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();

    const bootstrap = await app.get(LocalAccountsService).ensureAdminAccount();
    if (!bootstrap.created) throw new Error('expected the admin account');
    adminId = bootstrap.userId;
    const users = app.get(UsersService);
    userId = (await users.create({ login: 'regular', local: true })).id;
    const tokens = app.get(UserTokensService);
    adminToken = (await tokens.generate({ userId: adminId, name: 'entra' })).token;
    userToken = (await tokens.generate({ userId, name: 'mine' })).token;
    // A second admin, so the first can be deactivated at the end.
    const second = await users.create({ login: 'second-admin', local: true });
    await app.get(PermissionsService).addUserPermission(second.id, 'admin');
  });

  afterAll(async () => {
    await app?.close();
    await scratch?.drop();
  });

  const basic = (token: string) => `Basic ${Buffer.from(`${token}:`).toString('base64')}`;

  it('accepts the token as Bearer and as Basic with an empty password', async () => {
    for (const header of [`Bearer ${adminToken}`, basic(adminToken)]) {
      const res = await request(app.getHttpServer()).get('/api/token').set('Authorization', header).expect(200);
      expect(res.body.principal).toMatchObject({ userId: adminId, login: 'admin', via: 'token' });
      expect(res.body.passportUser).toBeNull();
    }
  });

  it('refuses a request without credentials, with the error shaped by the API', async () => {
    for (const path of ['/api/token', '/api/admin']) {
      const res = await request(app.getHttpServer()).get(path).expect(401);
      expect(res.body).toEqual({ errors: [{ msg: 'Authentication is required' }] });
    }
    const plain = await request(app.getHttpServer()).get('/plain').set('Authorization', 'Bearer squ_nope').expect(401);
    expect(plain.body).toMatchObject({ statusCode: 401, message: "Token doesn't exist" });
  });

  it('never reads a token from the query string or a cookie', async () => {
    const path = '/api/token';
    await request(app.getHttpServer()).get(`${path}?access_token=${adminToken}`).expect(401);
    await request(app.getHttpServer()).get(path).set('Cookie', `access_token=${adminToken}`).expect(401);
  });

  it('refuses two Authorization headers', async () => {
    const server = app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/token', method: 'GET' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.setHeader('Authorization', [`Bearer ${adminToken}`, `Bearer ${userToken}`]);
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(401);
  });

  it('lets only administrators through the admin guard, checked on every request', async () => {
    await request(app.getHttpServer()).get('/api/admin').set('Authorization', `Bearer ${adminToken}`).expect(200);
    const res = await request(app.getHttpServer())
      .get('/api/admin')
      .set('Authorization', `Bearer ${userToken}`)
      .expect(403);
    expect(res.body).toEqual({ errors: [{ msg: 'Insufficient privileges' }] });
    await request(app.getHttpServer()).get('/api/token').set('Authorization', `Bearer ${userToken}`).expect(200);

    const permissions = app.get(PermissionsService);
    await permissions.addUserPermission(userId, 'admin');
    await request(app.getHttpServer()).get('/api/admin').set('Authorization', `Bearer ${userToken}`).expect(200);
    await permissions.removeUserPermission(userId, 'admin');
    await request(app.getHttpServer()).get('/api/admin').set('Authorization', `Bearer ${userToken}`).expect(403);
  });

  it('stops a token the moment it is revoked', async () => {
    const tokens = app.get(UserTokensService);
    const { token } = await tokens.generate({ userId: adminId, name: 'short-lived' });
    await request(app.getHttpServer()).get('/api/token').set('Authorization', `Bearer ${token}`).expect(200);
    await tokens.revoke(adminId, 'short-lived');
    const res = await request(app.getHttpServer())
      .get('/api/token')
      .set('Authorization', `Bearer ${token}`)
      .expect(401);
    expect(res.body).toEqual({ errors: [{ msg: "Token doesn't exist" }] });
  });

  it("stops the owner's tokens when the host deactivates the owner", async () => {
    expect((await app.get(GroupsService).administratorsGroup()).name).toBe('administrators');
    await app.get(UsersService).deactivate(adminId, { flavour: 'provisioning' });
    await request(app.getHttpServer()).get('/api/token').set('Authorization', `Bearer ${adminToken}`).expect(401);
    await request(app.getHttpServer()).get('/api/token').set('Authorization', basic(adminToken)).expect(401);
  });
});
