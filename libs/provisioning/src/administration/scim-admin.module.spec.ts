import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  INestApplication,
  Injectable,
  Module,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { UserTokensService } from '@nest-scim/auth';
import { MANAGED_INSTANCE_MESSAGE, UsersService } from '@nest-scim/identity';
import { makeLicenseKeyPair, signLicense } from '@nest-scim/license/testing';
import { buildDataSourceOptions } from '@nest-scim/persistence';
import { createScratchDatabase, ScratchDatabase, testDialects } from '@nest-scim/persistence/testing';
import { SCIM_PROVISIONING_SCHEMA } from '../provisioning.schema';
import { ScimProvisioningModule } from '../scim-provisioning.module';
import { ProvisionedSignIn } from '../sign-in/provisioned-sign-in.service';
import { GroupAdministration } from './group-administration.service';
import { ScimAdminModule } from './scim-admin.module';
import { ScimSetup } from './scim-setup.service';
import { UserAdministration } from './user-administration.service';

const vendor = makeLicenseKeyPair();
const SCIM_JSON = 'application/scim+json';

/** The host's own notion of an administrator; the feature does not know it. */
@Injectable()
class HostAdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    if (request.headers['x-host-admin'] !== 'yes') throw new ForbiddenException('Host administrators only');
    return true;
  }
}

/*
 * A host on its own sign-in (no SAML anywhere) that embeds the feature: it gets the managed-instance rules through the
 * services, mounts the optional admin API where and behind what it chooses, and sets up an instance for Entra ID.
 */
describe.each(testDialects())('embedding the rules and the admin API (%s)', (dialect) => {
  let database: ScratchDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    database = await createScratchDatabase(dialect);
    const provisioning = ScimProvisioningModule.forRootAsync({
      useFactory: () => ({
        trustedLicensePublicKeys: [vendor.publicKey],
        publicUrl: 'https://shop.example',
        productName: 'Acme Shop',
      }),
    });
    @Module({
      imports: [
        TypeOrmModule.forRoot({
          ...buildDataSourceOptions({ url: database.url, sqlitePath: database.sqlitePath }, SCIM_PROVISIONING_SCHEMA),
          migrationsRun: true,
        }),
        provisioning,
        ScimAdminModule.register({ imports: [provisioning], path: 'backoffice/scim', guards: [HostAdminGuard] }),
      ],
    })
    class HostModule {}
    const moduleRef = await Test.createTestingModule({ imports: [HostModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const admin = () => ({
    get: (path: string) => request(app.getHttpServer()).get(`/backoffice/scim/${path}`).set('x-host-admin', 'yes'),
    post: (path: string, body: object = {}) =>
      request(app.getHttpServer()).post(`/backoffice/scim/${path}`).set('x-host-admin', 'yes').send(body),
  });
  const license = () =>
    signLicense(vendor.privateKey, {
      licensee: 'Acme',
      edition: 'enterprise',
      features: ['scim'],
      expiresAt: '2099-12-31',
    });
  let token = '';

  it("answers only behind the host's guard", async () => {
    const refused = await request(app.getHttpServer()).post('/backoffice/scim/enable').send({ confirm: true });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('Host administrators only');
    await admin().get('status').expect(200, { enabled: false, tenantUrl: 'https://shop.example/api/scim/v2' });
  });

  it('refuses to switch SCIM on without confirmation and license, naming both; no sign-in prerequisite was plugged', async () => {
    const refused = await admin().post('enable', { confirm: false }).expect(400);
    expect(refused.body.failures.map((f: { prerequisite: string }) => f.prerequisite)).toEqual([
      'confirmation',
      'license',
    ]);
    await admin().get('status').expect(200, { enabled: false, tenantUrl: 'https://shop.example/api/scim/v2' });
  });

  it('sets the instance up for Entra ID: license, switch, token; the token works on SCIM', async () => {
    const setup = app.get(ScimSetup);
    await setup.installLicense(license());
    await admin().post('enable', { confirm: true }).expect(204);
    const issued = await admin().post('token', { name: 'entra' }).expect(201);
    expect(issued.body).toMatchObject({
      tenantUrl: 'https://shop.example/api/scim/v2',
      login: 'admin',
      tokenName: 'entra',
      expiresAt: null,
    });
    token = issued.body.token;
    expect(token).toMatch(/^squ_[0-9a-f]{40}$/);
    const bootstrap = await setup.ensureAdminAccount();
    expect(bootstrap).toMatchObject({ created: false, login: 'admin', userId: issued.body.userId });

    await request(app.getHttpServer())
      .post('/api/scim/v2/Users')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', SCIM_JSON)
      .send(JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@contoso.com' }))
      .expect(201);
  });

  it("adds members with PATCH on the README's builder, which declares MySQL whatever the server (MariaDB included)", async () => {
    const scim = (method: 'post' | 'patch' | 'get', path: string) =>
      request(app.getHttpServer())
        [method](`/api/scim/v2/${path}`)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', SCIM_JSON);
    const ada = await scim('get', 'Users?filter=userName eq "ada@contoso.com"').expect(200);
    const adaId: string = ada.body.Resources[0].id;
    const group = await scim('post', 'Groups')
      .send(JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Shop staff' }))
      .expect(201);
    const patched = await scim('patch', `Groups/${group.body.id}`).send(
      JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: [{ value: adaId }] }],
      }),
    );
    expect(patched.status).toBe(204);
    const read = await scim('get', `Groups/${group.body.id}`).expect(200);
    expect(read.body.members.map((m: { value: string }) => m.value)).toEqual([adaId]);
    await scim('patch', `Groups/${group.body.id}`)
      .send(
        JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'remove', path: `members[value eq "${adaId}"]` }],
        }),
      )
      .expect(204);
  });

  it('refuses a token for someone who is not an administrator, or with a bad expiry, and makes none', async () => {
    const ada = await app.get(UsersService).findByLogin('ada@contoso.com');
    const { userId: adminId } = await app.get(ScimSetup).ensureAdminAccount();
    const tokens = app.get(UserTokensService);
    const count = async () => (await tokens.search(adminId)).length + (await tokens.search(ada!.id)).length;
    const before = await count();
    expect((await admin().post('token', { userId: ada!.id }).expect(400)).body.message).toBe(
      'The Entra ID token must belong to an active administrator',
    );
    expect((await admin().post('token', { expiresAt: 'soon' }).expect(400)).body.message).toBe(
      "'expiresAt' must be an ISO 8601 date",
    );
    expect(await count()).toBe(before);
  });

  it('reads the audit trail of SCIM writes, and refuses bad criteria', async () => {
    const page = await admin().get('audit?resourceType=User').expect(200);
    expect(page.body.total).toBe(1);
    expect(page.body.entries[0]).toMatchObject({ action: 'create', resourceType: 'User', actorLogin: 'admin' });
    expect((await admin().get('audit?from=yesterday').expect(400)).body.message).toBe(
      "'from' must be an ISO 8601 date",
    );
    expect((await admin().get('audit?resourceType=Team').expect(400)).body.message).toBe(
      "'resourceType' must be User or Group",
    );
  });

  it("reads Entra ID's activity: the cycle of the create above, no failure, an active connection", async () => {
    const cycles = (await admin().get('activity').expect(200)).body;
    expect(cycles.total).toBe(1);
    expect(cycles.cycles[0]).toMatchObject({ failures: 0, users: { created: 1 } });
    expect((await admin().get('failures').expect(200)).body).toMatchObject({ total: 0, groups: [] });
    expect((await admin().get('connection').expect(200)).body).toMatchObject({
      scimEnabled: true,
      state: 'active',
      quarantineRisk: false,
    });
    expect((await admin().get('failures?to=soon').expect(400)).body.message).toBe("'to' must be an ISO 8601 date");
  });

  it("gives the host the managed-instance rules through the services, in SonarQube's words", async () => {
    const users = app.get(UserAdministration);
    const groups = app.get(GroupAdministration);
    await expect(users.create({ login: 'local', name: 'Local', local: false })).rejects.toThrow(
      MANAGED_INSTANCE_MESSAGE,
    );
    await expect(groups.create({ name: 'Shop staff' })).rejects.toThrow(MANAGED_INSTANCE_MESSAGE);
    await expect(users.deactivate('ada@contoso.com', 'someone-else')).rejects.toThrow(MANAGED_INSTANCE_MESSAGE);
    expect(await app.get(UsersService).findByLogin('local')).toBeNull();

    // The SCIM-mode sign-in rule, for whatever sign-in the host has.
    const signIn = app.get(ProvisionedSignIn);
    const identity = (login: string) => ({ login, name: login, email: null, groups: [] });
    expect(await signIn.signIn(identity('stranger@contoso.com'))).toEqual({
      kind: 'refused',
      reason: 'no_account',
      message: 'You have no account on Acme Shop.',
    });
    expect((await signIn.signIn(identity('ADA@contoso.com'))).kind).toBe('signed_in');
  });

  it('switches back to just in time: the rules lift and SCIM refuses', async () => {
    await admin().post('disable').expect(204);
    expect(await admin().get('status').expect(200)).toMatchObject({ body: { enabled: false } });
    await app.get(GroupAdministration).create({ name: 'Shop clerks' });
    await request(app.getHttpServer()).get('/api/scim/v2/Users').set('Authorization', `Bearer ${token}`).expect(403);
  });
});
