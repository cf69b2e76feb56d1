import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  InjectIdentityDataSource,
  ManagedStateService,
  PermissionsService,
  ScimUserLinkEntity,
  UserEntity,
  UsersService,
} from '@app/identity';
import { dialectOf, forUpdate } from '@app/persistence';
import { ProvisioningModeService } from '@app/saml';
import {
  applyPatch,
  assertIfMatch,
  compileFilter,
  PatchOperation,
  ScimError,
  ScimListRequest,
  ScimListResult,
  ScimRequestContext,
  ScimResourceData,
  ScimResourceStore,
  StoredResource,
  USER_RESOURCE_TYPE,
} from '@app/scim';
import { ScimAuditTrail } from './scim-audit-trail.service';
import { ScimTransactions } from './scim-transactions';
import { dateParameter, readDate, readPage } from './scim-sql.util';
import { ScimUserEmailEntity } from './scim-user-email.entity';
import {
  emailRows,
  productUserFields,
  storableOperations,
  storableUser,
  userProfileColumns,
} from './scim-user.mapping';
import { ScimUserProfileEntity } from './scim-user-profile.entity';
import { userFilterTargets } from './user-filter.targets';

interface UserRow {
  scim_id: string;
  user_id: string;
  login: string;
  active: number | boolean;
  document: string;
  version: number;
  created_at: unknown;
  updated_at: unknown;
}

/** The caller's own account: SCIM must never lock out the credential it is using (security-cases 12). */
function principalUserId(context: ScimRequestContext): string | undefined {
  const principal = context.principal as { userId?: unknown } | undefined;
  return typeof principal?.userId === 'string' ? principal.userId : undefined;
}

/**
 * /Users mapped onto the product's users. A SCIM user is a product user linked to a SCIM id (the managed state), with
 * its SCIM attributes kept as sent beside it. Every write is one transaction: it applies entirely or not at all.
 */
@Injectable()
export class ScimUsersStore implements ScimResourceStore {
  private readonly tx: ScimTransactions;
  private readonly targets = userFilterTargets();

  constructor(
    @InjectIdentityDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly managed: ManagedStateService,
    private readonly permissions: PermissionsService,
    mode: ProvisioningModeService,
    private readonly audit: ScimAuditTrail,
  ) {
    this.tx = new ScimTransactions(dataSource, mode);
  }

  list(request: ScimListRequest): Promise<ScimListResult> {
    return this.tx.read((m) => this.listWith(m, request));
  }

  private async listWith(m: EntityManager, request: ScimListRequest): Promise<ScimListResult> {
    const dialect = dialectOf(this.dataSource);
    const base = () => {
      const qb = m
        .createQueryBuilder()
        .from(ScimUserLinkEntity, 'su')
        .innerJoin(UserEntity, 'u', 'u.id = su.user_id')
        .innerJoin(ScimUserProfileEntity, 'p', 'p.user_id = su.user_id');
      if (request.filter) {
        const compiled = compileFilter(request.filter, this.targets, { formatDate: dateParameter(dialect) });
        qb.where(compiled.where, compiled.params);
      }
      return qb;
    };
    const { totalResults, rows } = await readPage<UserRow, ReturnType<typeof base>>(
      base,
      (qb) => this.selectRows(qb),
      ['p.created_at', 'su.scim_id'],
      request,
    );
    return { totalResults, resources: rows.map((row) => this.toStored(row)) };
  }

  get(id: string): Promise<StoredResource | undefined> {
    return this.tx.read(async (m) => {
      const row = await this.findRow(m, id, false);
      return row ? this.toStored(row) : undefined;
    });
  }

  create(sent: ScimResourceData, context: ScimRequestContext): Promise<StoredResource> {
    const data = storableUser(sent);
    return this.write(async (m) => {
      const fields = productUserFields(data);
      // userName is also the SAML login value, so a JIT account is found by its external login when its product login
      // differs; only external accounts have one, so no local account can be reached this way.
      const existing =
        (await this.users.findByLogin(fields.login, m)) ?? (await this.users.findByExternalLogin(fields.login, m));
      let userId: string;
      if (existing) {
        if (existing.managed) throw ScimError.uniqueness('A user with this userName already exists');
        // Only a just-in-time SAML account, with no password and no admin permission, may be adopted; anything else
        // would hand a local account to the identity provider (security-cases 10).
        if (existing.local || (await this.permissions.isAdmin(existing.id, m))) {
          throw ScimError.uniqueness('This userName belongs to a local account of the product');
        }
        userId = existing.id;
        await this.users.update(
          userId,
          { login: fields.login, name: fields.name, email: fields.email, externalLogin: fields.login },
          m,
        );
        if (!existing.active && fields.active) await this.users.reactivate(userId, m);
      } else {
        const created = await this.users.create(
          { login: fields.login, name: fields.name, email: fields.email, local: false, externalLogin: fields.login },
          m,
        );
        userId = created.id;
      }
      const scimId = await this.managed.linkUser(userId, m);
      if (!fields.active) await this.users.deactivate(userId, { flavour: 'provisioning' }, m);
      const now = new Date();
      await m.insert(ScimUserProfileEntity, {
        userId,
        ...userProfileColumns(data),
        document: JSON.stringify(data),
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await this.writeEmails(m, userId, data);
      await this.audit.record(m, {
        context,
        action: 'create',
        resourceType: 'User',
        resourceId: scimId,
        internalId: userId,
        after: data,
      });
      return this.mustFind(m, scimId);
    });
  }

  replace(id: string, data: ScimResourceData, context: ScimRequestContext): Promise<StoredResource> {
    return this.write(async (m) => {
      const current = await this.mustFindForUpdate(m, id, context);
      return this.save(m, current, data, context, 'replace');
    });
  }

  patch(id: string, operations: PatchOperation[], context: ScimRequestContext): Promise<StoredResource> {
    return this.write(async (m) => {
      const current = await this.mustFindForUpdate(m, id, context);
      const result = applyPatch(current.stored.data, storableOperations(operations), USER_RESOURCE_TYPE);
      if (typeof result.resource.core.userName !== 'string' || result.resource.core.userName === '') {
        throw ScimError.invalidValue("Attribute 'userName' is required");
      }
      if (!result.changed) return current.stored;
      return this.save(m, current, result.resource, context, 'patch');
    });
  }

  delete(id: string, context: ScimRequestContext): Promise<void> {
    return this.write(async (m) => {
      const current = await this.mustFindForUpdate(m, id, context);
      this.refuseSelf(current.userId, context, 'delete');
      // The account stays, deactivated, for the audit; the SCIM resource and its memberships go (issue: DELETE).
      await this.users.deactivate(current.userId, { flavour: 'product' }, m);
      await this.managed.unlinkUser(current.userId, m);
      await m.delete(ScimUserEmailEntity, { userId: current.userId });
      await m.delete(ScimUserProfileEntity, { userId: current.userId });
      await this.audit.record(m, {
        context,
        action: 'delete',
        resourceType: 'User',
        resourceId: id,
        internalId: current.userId,
        before: current.stored.data,
      });
    });
  }

  /** Writes a new state of the resource: product fields, activation, profile columns, emails, version. */
  private async save(
    m: EntityManager,
    current: { userId: string; stored: StoredResource },
    data: ScimResourceData,
    context: ScimRequestContext,
    action: 'replace' | 'patch',
  ): Promise<StoredResource> {
    const before = productUserFields(current.stored.data);
    const after = productUserFields(data);
    if (before.login !== after.login || before.name !== after.name || before.email !== after.email) {
      await this.users.update(
        current.userId,
        { login: after.login, name: after.name, email: after.email, externalLogin: after.login },
        m,
      );
    }
    if (before.active && !after.active) {
      this.refuseSelf(current.userId, context, 'deactivate');
      // Memberships stay: Entra still counts them and would not add them again on re-enabling.
      await this.users.deactivate(current.userId, { flavour: 'provisioning' }, m);
    } else if (!before.active && after.active) {
      await this.users.reactivate(current.userId, m);
    }
    await m.update(
      ScimUserProfileEntity,
      { userId: current.userId },
      {
        ...userProfileColumns(data),
        // Stripped here too, so a document written before passwords were dropped loses its password on the next write.
        document: JSON.stringify(storableUser(data)),
        version: current.stored.version + 1,
        updatedAt: new Date(),
      },
    );
    await this.writeEmails(m, current.userId, data);
    await this.audit.record(m, {
      context,
      action,
      resourceType: 'User',
      resourceId: current.stored.id,
      internalId: current.userId,
      before: current.stored.data,
      after: data,
    });
    return this.mustFind(m, current.stored.id);
  }

  private refuseSelf(userId: string, context: ScimRequestContext, action: 'deactivate' | 'delete'): void {
    if (principalUserId(context) === userId) {
      throw ScimError.forbidden(`SCIM cannot ${action} the account whose token it is using`);
    }
  }

  private async writeEmails(m: EntityManager, userId: string, data: ScimResourceData): Promise<void> {
    await m.delete(ScimUserEmailEntity, { userId });
    const rows = emailRows(data);
    if (rows.length)
      await m.insert(
        ScimUserEmailEntity,
        rows.map((row) => ({ ...row, userId })),
      );
  }

  private selectRows(qb: ReturnType<DataSource['createQueryBuilder']>) {
    return qb.select([
      'su.scim_id AS scim_id',
      'su.user_id AS user_id',
      'u.login AS login',
      'u.active AS active',
      'p.document AS document',
      'p.version AS version',
      'p.created_at AS created_at',
      'p.updated_at AS updated_at',
    ]);
  }

  private async findRow(m: EntityManager, scimId: string, lock: boolean): Promise<UserRow | undefined> {
    if (scimId.length > 64) return undefined;
    let qb = this.selectRows(
      m
        .createQueryBuilder()
        .from(ScimUserLinkEntity, 'su')
        .innerJoin(UserEntity, 'u', 'u.id = su.user_id')
        .innerJoin(ScimUserProfileEntity, 'p', 'p.user_id = su.user_id')
        .where('su.scim_id = :scimId', { scimId }),
    );
    if (lock) qb = forUpdate(qb, m);
    return qb.getRawOne<UserRow>();
  }

  private async mustFind(m: EntityManager, scimId: string): Promise<StoredResource> {
    const row = await this.findRow(m, scimId, false);
    if (!row) throw ScimError.notFound('User not found');
    return this.toStored(row);
  }

  private async mustFindForUpdate(
    m: EntityManager,
    scimId: string,
    context: ScimRequestContext,
  ): Promise<{ userId: string; stored: StoredResource }> {
    const row = await this.findRow(m, scimId, true);
    if (!row) throw ScimError.notFound('User not found');
    const stored = this.toStored(row);
    assertIfMatch(context.ifMatch, stored.version);
    return { userId: row.user_id, stored };
  }

  /** The stored document, with the product's login and active flag, which are the truth. */
  private toStored(row: UserRow): StoredResource {
    const data = JSON.parse(row.document) as ScimResourceData;
    data.core.userName = row.login;
    data.core.active = row.active === true || row.active === 1;
    return {
      id: row.scim_id,
      data,
      created: readDate(row.created_at),
      lastModified: readDate(row.updated_at),
      version: Number(row.version),
    };
  }

  private write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.tx.write(work);
  }
}
