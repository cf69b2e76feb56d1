import { INestApplication, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource, EntityManager } from 'typeorm';
import { LocalAccountsService, UserTokensService } from '@nest-scim/auth';
import { GroupsService, MembershipService, UsersService } from '@nest-scim/identity';
import { LicenseService } from '@nest-scim/license';
import { makeLicenseKeyPair, signLicense } from '@nest-scim/license/testing';
import { Dialect, resolveDataSourceOptions } from '@nest-scim/persistence';
import { createScratchDatabase, ScratchDatabase, testDialects } from '@nest-scim/persistence/testing';
import {
  PRODUCT_REFUSED_MESSAGE,
  SCIM_PROVISIONING_SCHEMA,
  ScimDirectoryError,
  ScimProvisioningHooks,
  ScimProvisioningModule,
  ScimSetup,
} from '@nest-scim/provisioning';
import { productGroupId, productUserId } from '../support/scim-links';

const SCIM = '/api/scim/v2';
const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

type HookName = keyof ScimProvisioningHooks;

interface Recorded {
  name: HookName;
  event: Record<string, unknown>;
  /** What the hook's manager saw of the product: the change is there, in the request's transaction. */
  seen: unknown;
}

/** What the hooks recorded, and the failure the next call of one of them is to throw. */
@Injectable()
class HookLog {
  calls: Recorded[] = [];
  failure?: { on: HookName; error: unknown };

  take(): Recorded[] {
    const calls = this.calls;
    this.calls = [];
    return calls;
  }
}

@Module({ providers: [HookLog], exports: [HookLog] })
class HookLogModule {}

/** A host's hooks: each writes a record of its own through the request's manager, then may throw. */
@Injectable()
class RecordingHooks implements ScimProvisioningHooks {
  constructor(private readonly log: HookLog) {}

  created = (m: EntityManager, e: object) => this.record('created', m, e);
  updated = (m: EntityManager, e: object) => this.record('updated', m, e);
  renamed = (m: EntityManager, e: object) => this.record('renamed', m, e);
  deactivated = (m: EntityManager, e: object) => this.record('deactivated', m, e);
  reactivated = (m: EntityManager, e: object) => this.record('reactivated', m, e);
  deleted = (m: EntityManager, e: object) => this.record('deleted', m, e);
  memberAdded = (m: EntityManager, e: object) => this.record('memberAdded', m, e);
  memberRemoved = (m: EntityManager, e: object) => this.record('memberRemoved', m, e);

  private async record(name: HookName, m: EntityManager, event: object): Promise<void> {
    const e = event as { user?: { id: string }; group?: { id: string } };
    // Read through the manager: on MySQL another connection would not see the uncommitted change.
    const seen = e.user
      ? (await m.query('SELECT login, active FROM users WHERE id = ?', [e.user.id]))[0]
      : (await m.query('SELECT name FROM user_groups WHERE id = ?', [e.group!.id]))[0];
    await m.query('INSERT INTO hook_records (name) VALUES (?)', [name]);
    this.log.calls.push({ name, event: event as Record<string, unknown>, seen });
    if (this.log.failure?.on === name) {
      const { error } = this.log.failure;
      this.log.failure = undefined;
      throw error;
    }
  }
}

interface HookApp {
  app: INestApplication;
  dataSource: DataSource;
  log: HookLog;
  token: string;
  close(): Promise<void>;
}

async function startHookApp(dialect: Dialect): Promise<HookApp> {
  const database: ScratchDatabase = await createScratchDatabase(dialect);
  const keys = makeLicenseKeyPair();
  @Module({
    imports: [
      TypeOrmModule.forRootAsync({
        useFactory: async () => ({
          ...(await resolveDataSourceOptions(
            { url: database.url, sqlitePath: database.sqlitePath },
            SCIM_PROVISIONING_SCHEMA,
          )),
          migrationsRun: true,
        }),
      }),
      ScimProvisioningModule.forRootAsync({
        imports: [HookLogModule],
        hooks: [RecordingHooks],
        useFactory: () => ({ trustedLicensePublicKeys: [keys.publicKey] }),
      }),
    ],
  })
  class HookHostModule {}

  const app = await NestFactory.create(HookHostModule, { logger: false, abortOnError: false });
  await app.init();
  const dataSource = app.get<DataSource>(getDataSourceToken());
  await dataSource.query('CREATE TABLE hook_records (name VARCHAR(32) NOT NULL)');
  const accounts = app.get(LocalAccountsService);
  await accounts.ensureAdminAccount({ password: 'Admin-password-1234' });
  const admin = await accounts.authenticatePassword('admin', 'Admin-password-1234', { address: '127.0.0.1' });
  const { token } = await app.get(UserTokensService).generate({ userId: admin.userId, name: 'entra' });
  const licenses = app.get(LicenseService);
  await licenses.install(
    signLicense(keys.privateKey, {
      licensee: 'Hooks Inc.',
      edition: 'enterprise',
      features: ['scim', 'saml'],
      expiresAt: new Date(Date.now() + 24 * 3600 * 1000),
    }),
  );
  await app.get(ScimSetup).enableScim();
  return {
    app,
    dataSource,
    log: app.get(HookLog),
    token,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

describe.each(testDialects())('provisioning hooks inside the SCIM transaction (%s)', (dialect) => {
  let h: HookApp;
  const send = (method: 'post' | 'patch' | 'put' | 'delete' | 'get', path: string, body?: unknown) => {
    const req = request(h.app.getHttpServer())
      [method](SCIM + path)
      .set('Authorization', `Bearer ${h.token}`);
    return body === undefined ? req : req.set('Content-Type', 'application/scim+json').send(JSON.stringify(body));
  };
  const patch = (path: string, ...operations: unknown[]) =>
    send('patch', path, { schemas: [PATCH_URN], Operations: operations });
  const createUser = async (userName: string) => {
    const res = await send('post', '/Users', {
      schemas: [USER_URN],
      userName,
      displayName: `Display ${userName}`,
      active: true,
      emails: [{ primary: true, type: 'work', value: userName }],
    }).expect(201);
    return res.body as { id: string };
  };
  const hookRecords = async () =>
    ((await h.dataSource.query('SELECT name FROM hook_records')) as { name: string }[]).map((r) => r.name).sort();
  const auditRows = async (resourceType: string) =>
    Number(
      (
        (await h.dataSource.query('SELECT COUNT(*) AS n FROM scim_audit_events WHERE resource_type = ?', [
          resourceType,
        ])) as { n: number | string }[]
      )[0].n,
    );
  const expectRefusal = (res: request.Response, status: number, detail: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.body).toMatchObject({ status: String(status), detail });
  };

  beforeAll(async () => {
    h = await startHookApp(dialect);
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(async () => {
    h.log.take();
    h.log.failure = undefined;
    await h.dataSource.query('DELETE FROM hook_records');
  });

  it('created: a new user, with its fields, SCIM id and document, in the transaction that made it', async () => {
    const user = await createUser('ada@contoso.example');
    const userId = await productUserId(h.dataSource, user.id);
    expect(h.log.take()).toEqual([
      {
        name: 'created',
        event: {
          resourceType: 'User',
          adopted: false,
          user: {
            id: userId,
            scimId: user.id,
            userName: 'ada@contoso.example',
            displayName: 'Display ada@contoso.example',
            email: 'ada@contoso.example',
            active: true,
            data: expect.objectContaining({ core: expect.objectContaining({ userName: 'ada@contoso.example' }) }),
          },
        },
        seen: { login: 'ada@contoso.example', active: expect.anything() },
      },
    ]);
    expect(await hookRecords()).toEqual(['created']);
  });

  it('updated, renamed, deactivated and reactivated, each with what changed', async () => {
    const user = await createUser('bob@contoso.example');
    h.log.take();
    await patch(`/Users/${user.id}`, { op: 'replace', path: 'displayName', value: 'Bob B.' }).expect(200);
    expect(h.log.take().map((c) => c.name)).toEqual(['updated']);

    await patch(`/Users/${user.id}`, { op: 'replace', path: 'userName', value: 'robert@contoso.example' }).expect(200);
    const renamed = h.log.take();
    expect(renamed.map((c) => c.name)).toEqual(['updated', 'renamed']);
    expect(renamed[0].event).toMatchObject({
      resourceType: 'User',
      user: { userName: 'robert@contoso.example', displayName: 'Bob B.' },
      before: { userName: 'bob@contoso.example' },
    });
    expect(renamed[1]).toMatchObject({
      event: { from: 'bob@contoso.example', to: 'robert@contoso.example' },
      seen: { login: 'robert@contoso.example' },
    });

    await patch(`/Users/${user.id}`, { op: 'replace', path: 'active', value: false }).expect(200);
    const deactivated = h.log.take();
    expect(deactivated.map((c) => c.name)).toEqual(['updated', 'deactivated']);
    expect(deactivated[1].event).toMatchObject({ user: { active: false, scimId: user.id } });
    expect(Number((deactivated[1].seen as { active: unknown }).active)).toBe(0);

    await patch(`/Users/${user.id}`, { op: 'replace', path: 'active', value: true }).expect(200);
    expect(h.log.take().map((c) => c.name)).toEqual(['updated', 'reactivated']);

    // A PATCH that changes nothing calls no hook.
    await patch(`/Users/${user.id}`, { op: 'replace', path: 'active', value: true }).expect(200);
    expect(h.log.take()).toEqual([]);
  });

  it('group hooks: created, one memberAdded / memberRemoved per membership changed, renamed, deleted', async () => {
    const [a, b] = [await createUser('g-a@contoso.example'), await createUser('g-b@contoso.example')];
    h.log.take();
    const created = await send('post', '/Groups', {
      schemas: [GROUP_URN],
      displayName: 'Engineering',
      members: [{ value: a.id }],
    }).expect(201);
    const groupId = await productGroupId(h.dataSource, created.body.id);
    const aId = await productUserId(h.dataSource, a.id);
    const bId = await productUserId(h.dataSource, b.id);
    const group = { id: groupId, scimId: created.body.id, displayName: 'Engineering' };
    expect(h.log.take().map((c) => [c.name, c.event])).toEqual([
      ['created', { resourceType: 'Group', group, adopted: false }],
      ['memberAdded', { group, user: { id: aId, scimId: a.id } }],
    ]);

    const version = (await send('get', `/Groups/${created.body.id}`).expect(200)).body.meta.version;
    // Adding a member again and removing a non-member change nothing: no hook, no new version.
    await patch(
      `/Groups/${created.body.id}`,
      { op: 'Add', path: 'members', value: [{ value: a.id }] },
      { op: 'Remove', path: 'members', value: [{ value: b.id }] },
    ).expect(204);
    expect(h.log.take()).toEqual([]);
    expect((await send('get', `/Groups/${created.body.id}`).expect(200)).body.meta.version).toBe(version);

    await patch(
      `/Groups/${created.body.id}`,
      { op: 'Add', path: 'members', value: [{ value: a.id }, { value: b.id }] },
      { op: 'Remove', path: 'members', value: [{ value: a.id }] },
    ).expect(204);
    expect(h.log.take().map((c) => [c.name, c.event])).toEqual([
      ['memberRemoved', { group, user: { id: aId, scimId: a.id } }],
      ['memberAdded', { group, user: { id: bId, scimId: b.id } }],
    ]);
    expect((await send('get', `/Groups/${created.body.id}`).expect(200)).body.meta.version).not.toBe(version);

    await patch(`/Groups/${created.body.id}`, { op: 'replace', path: 'displayName', value: 'R&D' }).expect(204);
    const renamed = h.log.take();
    expect(renamed.map((c) => c.name)).toEqual(['updated', 'renamed']);
    expect(renamed[1]).toMatchObject({ event: { from: 'Engineering', to: 'R&D' }, seen: { name: 'R&D' } });

    await send('delete', `/Users/${b.id}`).expect(204);
    expect(h.log.take().map((c) => [c.name, (c.event as { resourceType: string }).resourceType])).toEqual([
      ['deleted', 'User'],
    ]);
    await send('delete', `/Groups/${created.body.id}`).expect(204);
    expect(h.log.take().map((c) => [c.name, c.event])).toEqual([
      ['deleted', { resourceType: 'Group', group: { ...group, displayName: 'R&D' } }],
    ]);
  });

  it('a hook that throws leaves no trace: no user, no group, no membership, no audit row, no record', async () => {
    const member = await createUser('member@contoso.example');
    const memberId = await productUserId(h.dataSource, member.id);
    await h.dataSource.query('DELETE FROM hook_records');
    const groupsBefore = await auditRows('Group');
    const usersBefore = await auditRows('User');

    h.log.failure = { on: 'memberAdded', error: new Error('the host’s own table refused it') };
    const refused = await send('post', '/Groups', {
      schemas: [GROUP_URN],
      displayName: 'Doomed',
      members: [{ value: member.id }],
    });
    expectRefusal(refused, 409, PRODUCT_REFUSED_MESSAGE);
    expect(await h.app.get(GroupsService).findByName('Doomed')).toBeNull();
    expect((await h.app.get(MembershipService).groupsOfUser(memberId)).map((g) => g.name)).not.toContain('Doomed');
    const listed = await send('get', `/Groups?filter=${encodeURIComponent('displayName eq "Doomed"')}`).expect(200);
    expect(listed.body.totalResults).toBe(0);
    expect(await auditRows('Group')).toBe(groupsBefore);
    expect(await hookRecords()).toEqual([]);

    h.log.failure = { on: 'created', error: new ScimDirectoryError('refused', 'This person is on legal hold') };
    const user = await send('post', '/Users', { schemas: [USER_URN], userName: 'held@contoso.example', active: true });
    expectRefusal(user, 409, 'This person is on legal hold');
    expect(await h.app.get(UsersService).findByLogin('held@contoso.example')).toBeNull();
    expect(await auditRows('User')).toBe(usersBefore);
    expect(await hookRecords()).toEqual([]);
  });

  it('a refused rename or delete leaves the user as it was; a known refusal keeps its status and message', async () => {
    const user = await createUser('stay@contoso.example');
    // The port of meta.location is supertest's, new on each request.
    const state = async () => {
      const body = (await send('get', `/Users/${user.id}`).expect(200)).body;
      return { ...body, meta: { ...body.meta, location: undefined } };
    };
    const before = await state();
    await h.dataSource.query('DELETE FROM hook_records');

    h.log.failure = { on: 'renamed', error: new ScimDirectoryError('invalid', 'Logins must keep their domain') };
    const rename = await patch(`/Users/${user.id}`, { op: 'replace', path: 'userName', value: 'moved@elsewhere' });
    expect(rename.status).toBe(400);
    expect(rename.body).toMatchObject({ scimType: 'invalidValue', detail: 'Logins must keep their domain' });

    h.log.failure = { on: 'deleted', error: new TypeError('cannot read the host’s record') };
    expectRefusal(await send('delete', `/Users/${user.id}`), 409, PRODUCT_REFUSED_MESSAGE);

    expect(await state()).toEqual(before);
    expect(await h.app.get(UsersService).findByLogin('stay@contoso.example')).toMatchObject({
      active: true,
      managed: true,
    });
    expect(await hookRecords()).toEqual([]);
  });
});
