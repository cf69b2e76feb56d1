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
import { dialectOf, forUpdate, readTimestamp } from '@app/persistence';
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
import { dateParameter, readPage } from './scim-sql.util';
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

/** The row a write locks: also the product columns UsersService decides on, so it need not read the user again. */
interface LockedUserRow extends UserRow {
  login_normalized: string;
  local: number | boolean;
  external_login: string | null;
  external_login_normalized: string | null;
}

/** What a write knows of the resource it leaves, besides the document it wrote. */
interface WrittenState {
  login: string;
  active: boolean;
  created: Date;
  lastModified: Date;
  version: number;
}

/** The width of `scim_user_profiles.document` on MySQL (TEXT), in bytes. */
const MAX_MYSQL_DOCUMENT_BYTES = 65_535;

function flag(value: number | boolean): boolean {
  return value === true || value === 1;
}

/** Email rows are rewritten only when they change: equal lists mean equal rows (emailRows derives them). */
function sameEmails(before: ScimResourceData, after: ScimResourceData): boolean {
  const a = emailRows(before);
  const b = emailRows(after);
  return (
    a.length === b.length &&
    a.every(
      (row, i) =>
        row.position === b[i].position &&
        row.value === b[i].value &&
        row.valueNormalized === b[i].valueNormalized &&
        row.type === b[i].type &&
        row.primary === b[i].primary,
    )
  );
}

/** A user's row as a write holds it: the product columns for UsersService, and the resource as it stood. */
interface LockedResource {
  userId: string;
  user: Parameters<UsersService['updateLocked']>[0];
  stored: StoredResource;
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
      this.targets,
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
      const existing = await this.users.findByLoginOrExternalLogin(fields.login, m);
      let userId: string;
      let scimId: string;
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
        scimId = await this.managed.linkUser(userId, m);
        if (!fields.active) await this.users.deactivate(userId, { flavour: 'provisioning' }, m);
      } else {
        // The lookup above found neither the login nor the external login taken, in this transaction.
        const created = await this.users.create(
          { login: fields.login, name: fields.name, email: fields.email, local: false, externalLogin: fields.login },
          m,
          { loginsChecked: true },
        );
        userId = created.id;
        scimId = await this.managed.linkNewUser(created, m);
        if (!fields.active) await this.users.deactivateLocked(created, { flavour: 'provisioning' }, m);
      }
      const now = new Date();
      const document = JSON.stringify(data);
      await m.insert(ScimUserProfileEntity, {
        userId,
        ...userProfileColumns(data),
        document,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      // A new user has no email rows to replace; an adopted account is rewritten as before.
      if (existing) await this.writeEmails(m, userId, data);
      else await this.insertEmails(m, userId, data);
      await this.audit.record(m, {
        context,
        action: 'create',
        resourceType: 'User',
        resourceId: scimId,
        internalId: userId,
        after: data,
      });
      return this.written(m, scimId, document, {
        login: fields.login,
        active: fields.active,
        created: now,
        lastModified: now,
        version: 1,
      });
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
      await this.users.deactivateLocked(current.user, { flavour: 'product' }, m);
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
    current: LockedResource,
    data: ScimResourceData,
    context: ScimRequestContext,
    action: 'replace' | 'patch',
  ): Promise<StoredResource> {
    const before = productUserFields(current.stored.data);
    const after = productUserFields(data);
    // The user's row was read with the lock this request holds: the identity service need not read it again.
    if (before.login !== after.login || before.name !== after.name || before.email !== after.email) {
      await this.users.updateLocked(
        current.user,
        { login: after.login, name: after.name, email: after.email, externalLogin: after.login },
        m,
      );
    }
    if (before.active && !after.active) {
      this.refuseSelf(current.userId, context, 'deactivate');
      // Memberships stay: Entra still counts them and would not add them again on re-enabling.
      await this.users.deactivateLocked(current.user, { flavour: 'provisioning' }, m);
    } else if (!before.active && after.active) {
      await this.users.reactivateLocked(current.user, m);
    }
    // Stripped here too, so a document written before passwords were dropped loses its password on the next write.
    const document = JSON.stringify(storableUser(data));
    const version = current.stored.version + 1;
    const updatedAt = new Date();
    await m.update(
      ScimUserProfileEntity,
      { userId: current.userId },
      { ...userProfileColumns(data), document, version, updatedAt },
    );
    if (!sameEmails(current.stored.data, data)) await this.writeEmails(m, current.userId, data);
    await this.audit.record(m, {
      context,
      action,
      resourceType: 'User',
      resourceId: current.stored.id,
      internalId: current.userId,
      before: current.stored.data,
      after: data,
    });
    return this.written(m, current.stored.id, document, {
      login: after.login,
      active: after.active,
      created: current.stored.created,
      lastModified: updatedAt,
      version,
    });
  }

  private refuseSelf(userId: string, context: ScimRequestContext, action: 'deactivate' | 'delete'): void {
    if (principalUserId(context) === userId) {
      throw ScimError.forbidden(`SCIM cannot ${action} the account whose token it is using`);
    }
  }

  private async writeEmails(m: EntityManager, userId: string, data: ScimResourceData): Promise<void> {
    await m.delete(ScimUserEmailEntity, { userId });
    await this.insertEmails(m, userId, data);
  }

  private async insertEmails(m: EntityManager, userId: string, data: ScimResourceData): Promise<void> {
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

  private async findRow(m: EntityManager, scimId: string, lock: false): Promise<UserRow | undefined>;
  private async findRow(m: EntityManager, scimId: string, lock: true): Promise<LockedUserRow | undefined>;
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
    if (lock) {
      qb = forUpdate(
        qb.addSelect([
          'u.login_normalized AS login_normalized',
          'u.local AS local',
          'u.external_login AS external_login',
          'u.external_login_normalized AS external_login_normalized',
        ]),
        m,
      );
    }
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
  ): Promise<LockedResource> {
    const row = await this.findRow(m, scimId, true);
    if (!row) throw ScimError.notFound('User not found');
    const stored = this.toStored(row);
    assertIfMatch(context.ifMatch, stored.version);
    return {
      userId: row.user_id,
      user: {
        id: row.user_id,
        login: row.login,
        loginNormalized: row.login_normalized,
        local: flag(row.local),
        externalLogin: row.external_login,
        externalLoginNormalized: row.external_login_normalized,
        active: flag(row.active),
      },
      stored,
    };
  }

  /**
   * The resource as a read would now find it, built from what this request wrote rather than read back: the document
   * parsed from the very text stored, then the product's login and active flag set on it as `toStored` sets them, and
   * DATETIME(3) keeps the millisecond Dates written exactly. On MySQL a document longer than its TEXT column would be
   * cut short by a server not in strict mode: it is read back then, so such a write still fails as it did.
   */
  private written(
    m: EntityManager,
    scimId: string,
    document: string,
    state: WrittenState,
  ): StoredResource | Promise<StoredResource> {
    if (dialectOf(m) === 'mysql' && Buffer.byteLength(document, 'utf8') > MAX_MYSQL_DOCUMENT_BYTES) {
      return this.mustFind(m, scimId);
    }
    const data = JSON.parse(document) as ScimResourceData;
    data.core.userName = state.login;
    data.core.active = state.active;
    return { id: scimId, data, created: state.created, lastModified: state.lastModified, version: state.version };
  }

  /** The stored document, with the product's login and active flag, which are the truth. */
  private toStored(row: UserRow): StoredResource {
    const data = JSON.parse(row.document) as ScimResourceData;
    data.core.userName = row.login;
    data.core.active = flag(row.active);
    return {
      id: row.scim_id,
      data,
      created: readTimestamp(row.created_at),
      lastModified: readTimestamp(row.updated_at),
      version: Number(row.version),
    };
  }

  private write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.tx.write(work);
  }
}
