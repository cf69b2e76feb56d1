import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { InjectIdentityDataSource } from '@nest-scim/identity';
import {
  dialectOf,
  forUpdateClause,
  insertRows,
  isUniqueViolation,
  namedParameters,
  readTimestamp,
  runFixedStatement,
  sqlTable,
} from '@nest-scim/persistence';
import { ProvisioningModeService } from '@nest-scim/saml';
import {
  applyPatch,
  assertIfMatch,
  PatchOperation,
  ScimError,
  ScimListRequest,
  ScimListResult,
  ScimRequestContext,
  ScimResourceData,
  ScimResourceStore,
  StoredResource,
  USER_RESOURCE_TYPE,
  FilterTargets,
} from '@nest-scim/scim';
import { compileFilter } from './filter';
import {
  DirectoryUserChanges,
  DirectoryUserHandle,
  DirectoryUserInput,
  SCIM_DIRECTORY,
  ScimDirectory,
} from './directory/scim-directory.port';
import { ScimHookUser } from './directory/scim-provisioning.hooks';
import { ScimHookRunner } from './directory/scim-hook.runner';
import { ScimAuditTrail } from './scim-audit-trail.service';
import { ScimTransactions } from './scim-transactions';
import { dateParameter, readPage } from './scim-sql.util';
import { ScimUserEmailEntity } from './scim-user-email.entity';
import {
  emailRows,
  productColumns,
  ProductUserFields,
  productUserFields,
  storableOperations,
  storableUser,
  userProfileColumns,
} from './scim-user.mapping';
import { ScimUserLinkEntity } from './scim-user-link.entity';
import { ScimUserProfileEntity } from './scim-user-profile.entity';
import { userFilterTargets } from './user-filter.targets';

interface UserRow {
  scim_id: string;
  user_id: string;
  user_name: string;
  active: number | boolean;
  document: string;
  version: number;
  created_at: unknown;
  updated_at: unknown;
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

/** A user as a write holds it: its side row locked, the directory's handle, and the resource as it stood. */
interface LockedResource {
  userId: string;
  user: DirectoryUserHandle;
  stored: StoredResource;
}

function directoryInput(fields: ProductUserFields): DirectoryUserInput {
  return { userName: fields.login, displayName: fields.name, email: fields.email, active: fields.active };
}

/** The product fields a write changes, and only those (see ScimDirectory.updateUser). */
function changedFields(before: ProductUserFields, after: ProductUserFields): DirectoryUserChanges {
  const changes: DirectoryUserChanges = {};
  if (before.login !== after.login) changes.userName = after.login;
  if (before.name !== after.name) changes.displayName = after.name;
  if (before.email !== after.email) changes.email = after.email;
  return changes;
}

/** The user as hooks see it. */
function hookUser(userId: string, scimId: string, data: ScimResourceData): ScimHookUser {
  const fields = productUserFields(data);
  return { id: userId, ...directoryInput(fields), scimId, data };
}

/** A userName another SCIM user holds, found by the side table's unique index (an adapter may compare otherwise). */
async function uniqueUserName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw ScimError.uniqueness('A user with this userName already exists');
    throw error;
  }
}

/** The caller's own account: SCIM must never lock out the credential it is using. */
function principalUserId(context: ScimRequestContext): string {
  return context.principal.userId;
}

/**
 * /Users mapped onto the product's users through the directory port. A SCIM user is a product user linked to a SCIM
 * id, with its SCIM attributes kept as sent beside it in the feature's side tables (keyed by the product's id), which
 * reads and filters use. Every write is one transaction, hooks included: it applies entirely or not at all.
 */
@Injectable()
export class ScimUsersStore implements ScimResourceStore {
  private readonly tx: ScimTransactions;
  private readonly targets: FilterTargets;
  private listSelectSql?: string;

  constructor(
    @InjectIdentityDataSource() private readonly dataSource: DataSource,
    @Inject(SCIM_DIRECTORY) private readonly directory: ScimDirectory,
    mode: ProvisioningModeService,
    private readonly audit: ScimAuditTrail,
    private readonly hooks: ScimHookRunner,
  ) {
    this.targets = userFilterTargets(sqlTable(dataSource, ScimUserEmailEntity));
    this.tx = new ScimTransactions(dataSource, mode);
  }

  list(request: ScimListRequest): Promise<ScimListResult> {
    return this.tx.read((m) => this.listWith(m, request));
  }

  private async listWith(m: EntityManager, request: ScimListRequest): Promise<ScimListResult> {
    const dialect = dialectOf(this.dataSource);
    if (request.filter && request.sort === undefined && request.count > 0) {
      // Entra's lookup (`userName eq`, first page, zero or one match), once per user it provisions: the page is read
      // with a statement whose text is fixed but for the filter, rather than one TypeORM's query builder
      // rebuilds on every request. A full page, which needs the count too, goes readPage's way.
      const compiled = compileFilter(request.filter, this.targets, { formatDate: dateParameter(dialect) });
      const [sql, parameters] = namedParameters(
        m,
        `${this.listSelect()} WHERE ${compiled.where} ORDER BY p.created_at ASC, su.scim_id ASC LIMIT :count OFFSET :offset`,
        { ...compiled.params, count: request.count, offset: request.startIndex - 1 },
      );
      const rows = await runFixedStatement<UserRow[]>(m, sql, parameters);
      const lastPage = rows.length < request.count && (rows.length > 0 || request.startIndex === 1);
      if (lastPage) {
        return { totalResults: request.startIndex - 1 + rows.length, resources: rows.map((row) => this.toStored(row)) };
      }
    }
    const base = () => {
      const qb = m
        .createQueryBuilder()
        .from(ScimUserLinkEntity, 'su')
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
      const input = directoryInput(fields);
      const created = await this.directory.createUser(m, input);
      let userId: string;
      let adopted = false;
      if (created.outcome === 'created') {
        userId = created.user.id;
      } else {
        // The product has an account of this userName: a SCIM user already (409), or one the directory may take over
        // (it refuses local accounts and administrators).
        if (await m.existsBy(ScimUserLinkEntity, { userId: created.existing.id })) {
          throw ScimError.uniqueness('A user with this userName already exists');
        }
        userId = (await this.directory.adoptUser(m, created.existing.id, input)).id;
        adopted = true;
      }
      const scimId = randomUUID();
      const now = new Date();
      const document = JSON.stringify(data);
      await insertRows(m, ScimUserLinkEntity, [{ scimId, userId, createdAt: now }]);
      await uniqueUserName(() =>
        insertRows(m, ScimUserProfileEntity, [
          {
            userId,
            ...productColumns(fields),
            ...userProfileColumns(data),
            document,
            version: 1,
            createdAt: now,
            updatedAt: now,
          },
        ]),
      );
      // Email rows are keyed by the product id: an adopted account may have left some from an earlier SCIM life.
      if (adopted) await this.writeEmails(m, userId, data);
      else await this.insertEmails(m, userId, data);
      await this.audit.record(m, {
        context,
        action: adopted ? 'adopt' : 'create',
        resourceType: 'User',
        resourceId: scimId,
        internalId: userId,
        after: data,
      });
      await this.hooks.emit('created', m, { resourceType: 'User', user: hookUser(userId, scimId, data), adopted });
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
      // What becomes of the product's account is the directory's choice (identity keeps it, deactivated, without its
      // memberships); the SCIM resource goes.
      await this.directory.deleteUser(m, current.user);
      await m.delete(ScimUserLinkEntity, { userId: current.userId });
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
      await this.hooks.emit('deleted', m, {
        resourceType: 'User',
        user: hookUser(current.userId, id, current.stored.data),
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
    const changes = changedFields(before, after);
    if (Object.keys(changes).length > 0) await this.directory.updateUser(m, current.user, changes);
    if (before.active && !after.active) {
      this.refuseSelf(current.userId, context, 'deactivate');
      // Memberships stay: Entra still counts them and would not add them again on re-enabling.
      await this.directory.deactivateUser(m, current.user);
    } else if (!before.active && after.active) {
      await this.directory.reactivateUser(m, current.user);
    }
    // Stripped here too, so a document written before passwords were dropped loses its password on the next write.
    const document = JSON.stringify(storableUser(data));
    const version = current.stored.version + 1;
    const updatedAt = new Date();
    await uniqueUserName(() =>
      m.update(
        ScimUserProfileEntity,
        { userId: current.userId },
        { ...productColumns(after), ...userProfileColumns(data), document, version, updatedAt },
      ),
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
    await this.emitChanges(m, current, data, before, after);
    return this.written(m, current.stored.id, document, {
      login: after.login,
      active: after.active,
      created: current.stored.created,
      lastModified: updatedAt,
      version,
    });
  }

  /** `updated`, then `renamed`, `deactivated` or `reactivated` as the write changed them. */
  private async emitChanges(
    m: EntityManager,
    current: LockedResource,
    data: ScimResourceData,
    before: ProductUserFields,
    after: ProductUserFields,
  ): Promise<void> {
    const user = hookUser(current.userId, current.stored.id, storableUser(data));
    await this.hooks.emit('updated', m, {
      resourceType: 'User',
      user,
      before: hookUser(current.userId, current.stored.id, current.stored.data),
    });
    if (before.login !== after.login) {
      await this.hooks.emit('renamed', m, { resourceType: 'User', user, from: before.login, to: after.login });
    }
    if (before.active !== after.active)
      await this.hooks.emit(after.active ? 'reactivated' : 'deactivated', m, { user });
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
    await insertRows(
      m,
      ScimUserEmailEntity,
      rows.map((row) => ({ ...row, userId })),
    );
  }

  /** selectRows over the two side tables, as hand-written SQL built once: a read by id or Entra's lookup. */
  private listSelect(): string {
    this.listSelectSql ??=
      'SELECT su.scim_id AS scim_id, su.user_id AS user_id, p.user_name AS user_name, p.active AS active, ' +
      'p.document AS document, p.version AS version, p.created_at AS created_at, p.updated_at AS updated_at ' +
      `FROM ${sqlTable(this.dataSource, ScimUserLinkEntity)} su ` +
      `INNER JOIN ${sqlTable(this.dataSource, ScimUserProfileEntity)} p ON p.user_id = su.user_id`;
    return this.listSelectSql;
  }

  private selectRows(qb: ReturnType<DataSource['createQueryBuilder']>) {
    return qb.select([
      'su.scim_id AS scim_id',
      'su.user_id AS user_id',
      'p.user_name AS user_name',
      'p.active AS active',
      'p.document AS document',
      'p.version AS version',
      'p.created_at AS created_at',
      'p.updated_at AS updated_at',
    ]);
  }

  private async findRow(m: EntityManager, scimId: string, lock: boolean): Promise<UserRow | undefined> {
    if (scimId.length > 64) return undefined;
    const rows = await runFixedStatement<UserRow[]>(
      m,
      `${this.listSelect()} WHERE su.scim_id = ?${lock ? forUpdateClause(m) : ''}`,
      [scimId],
    );
    return rows[0];
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
    // The side row locked above orders concurrent writes to this user; the directory locks the product's row.
    const user = await this.directory.lockUser(m, row.user_id);
    if (!user) throw ScimError.notFound('User not found');
    return { userId: row.user_id, user, stored };
  }

  /**
   * The resource as a read would now find it, built from what this request wrote rather than read back: the document
   * parsed from the very text stored, then the login and active flag set on it as `toStored` sets them, and
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

  /** The stored document, with the product's login and active flag as SCIM last wrote them to the product. */
  private toStored(row: UserRow): StoredResource {
    const data = JSON.parse(row.document) as ScimResourceData;
    data.core.userName = row.user_name;
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
