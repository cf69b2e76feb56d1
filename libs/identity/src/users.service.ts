import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { escapeLike, LIKE_ESCAPE } from '@app/persistence';
import { DomainRuleError, LAST_ADMIN_MESSAGES } from './domain-rule.error';
import { GroupEntity } from './group.entity';
import { GroupMembershipEntity } from './group-membership.entity';
import { MAX_PAGE_SIZE } from './identity.constants';
import { InjectIdentityDataSource } from './inject-identity.decorator';
import { managedUserIds } from './managed-ids.util';
import { foldCase, normalizeLogin, validateDisplayValue } from './normalization.util';
import { PermissionsService } from './permissions.service';
import { ScimUserLinkEntity } from './scim-user-link.entity';
import { isUniqueViolation, Page, PageRequest, resolvePage, withTransaction } from './sql.util';
import { UserLifecycleEvents } from './user-lifecycle.events';
import { UserPermissionEntity } from './user-permission.entity';
import { ExternalProvider, UserEntity } from './user.entity';
import { toUserView, UserView } from './user.view';

export interface CreateUserInput {
  login: string;
  /** Defaults to the login. */
  name?: string | null;
  email?: string | null;
  /** A local account signs in with a password; an external one through SAML. */
  local: boolean;
  /** For an external account: the SAML login attribute value; defaults to the login. */
  externalLogin?: string | null;
  /** For an external account; defaults to `saml`. */
  externalProvider?: ExternalProvider | null;
}

export interface CreateUserOptions {
  /**
   * The caller looked, in this transaction, for a user holding the new login as login or as external login and found
   * none (the SCIM store does, before creating): the same checks are not run again. A concurrent duplicate is still
   * refused by the unique indexes, as it always was.
   */
  loginsChecked?: boolean;
}

export interface UpdateUserInput {
  /** A new login: the id, memberships, permissions and tokens stay with the account. */
  login?: string;
  name?: string;
  email?: string | null;
  externalLogin?: string | null;
}

/**
 * `product`: the admin Web API's deactivation, which also removes the user's memberships (the default group
 * included) and direct permissions, as the product does.
 * `provisioning`: the identity provider's (SCIM `active: false`), which keeps memberships, because Entra still counts
 * them and would not add them again when it re-enables the user.
 * Both end the user's tokens and sessions in the same transaction.
 */
export type DeactivationFlavour = 'product' | 'provisioning';

/**
 * The columns of a user's row the `…Locked` methods decide on, as their caller read them in its transaction with a
 * lock (FOR UPDATE on MySQL; SQLite runs one write at a time), or as it just inserted them.
 */
export type LockedUser = Pick<
  UserEntity,
  'id' | 'login' | 'loginNormalized' | 'local' | 'externalLogin' | 'externalLoginNormalized' | 'active'
>;

const MISSING_BUILT_INS = 'The built-in groups are missing: call GroupsService.ensureBuiltIns() at start';

export interface UserSearch extends PageRequest {
  /** Part of the login, name or email, matched case-insensitively. */
  query?: string;
  /** Only managed (true) or only local (false) users. */
  managed?: boolean;
  /** Only active (true) or only deactivated (false) users; both when unset. */
  active?: boolean;
}

// Deliberately loose: the identity provider's values are stored as sent; this only refuses what cannot be an address.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/u;

/** Runs a write and returns how many rows it changed, which `EntityManager.query` does not tell on SQLite. */
async function changedRows(m: EntityManager, sql: string, parameters: unknown[]): Promise<number> {
  const runner = m.queryRunner ?? m.connection.createQueryRunner();
  try {
    return (await runner.query(sql, parameters, true)).affected ?? 0;
  } finally {
    if (runner !== m.queryRunner) await runner.release();
  }
}

function validateEmail(email: string | null | undefined): string | null {
  if (email === undefined || email === null || email === '') return null;
  validateDisplayValue(email, 'Email');
  if (!EMAIL_SHAPE.test(email)) throw DomainRuleError.invalid(`Email '${email}' is not valid`);
  return email;
}

/**
 * The value when the product could mail it (what a user's `email` accepts), else null. For a caller that keeps an
 * identity provider's value as sent elsewhere (SCIM keeps `"emailName357"` in its document) and gives the product only
 * an address it can use: such a user simply has no email in the product.
 */
export function mailableEmail(value: string | null | undefined): string | null {
  try {
    return validateEmail(value);
  } catch (error) {
    if (error instanceof DomainRuleError) return null;
    throw error;
  }
}

/** Users: creation, updates (a login rename included), deactivation and reactivation, searches. */
@Injectable()
export class UsersService {
  constructor(
    @InjectIdentityDataSource() private readonly dataSource: DataSource,
    private readonly permissions: PermissionsService,
    private readonly events: UserLifecycleEvents,
  ) {}

  /**
   * Creates an active user in the default group. The login is unique case-insensitively (`Alice`, `alice` and
   * `Ａｌｉｃｅ` are one login), as is the external login.
   */
  async create(input: CreateUserInput, manager?: EntityManager, options: CreateUserOptions = {}): Promise<UserView> {
    const login = validateDisplayValue(input.login, 'Login');
    const loginNormalized = normalizeLogin(login);
    const name = validateDisplayValue(input.name ?? login, 'Name');
    const email = validateEmail(input.email);
    let externalLogin: string | null = null;
    let externalProvider: ExternalProvider | null = null;
    if (input.local) {
      if (input.externalLogin || input.externalProvider) {
        throw DomainRuleError.invalid('A local account has no external login or provider');
      }
    } else {
      externalLogin = input.externalLogin ?? login;
      externalProvider = input.externalProvider ?? 'saml';
    }
    const externalLoginNormalized = externalLogin === null ? null : normalizeLogin(externalLogin, 'External login');
    return withTransaction(this.dataSource, manager, async (m) => {
      // Checked before the INSERT rather than left to the unique indexes: on MySQL a violation's text quotes the value
      // beside the index name, so uniquenessConflict could name the wrong one (a login containing 'external_login').
      if (!options.loginsChecked) {
        await this.checkLoginFree(m, loginNormalized, login);
        if (externalLoginNormalized !== null)
          await this.checkExternalLoginFree(m, externalLoginNormalized, externalLogin!);
      }
      const now = new Date();
      const user = m.create(UserEntity, {
        id: randomUUID(),
        login,
        loginNormalized,
        name,
        email,
        active: true,
        local: input.local,
        externalLogin,
        externalLoginNormalized,
        externalProvider,
        createdAt: now,
        updatedAt: now,
      });
      try {
        await m.insert(UserEntity, user);
      } catch (error) {
        if (isUniqueViolation(error)) throw this.uniquenessConflict(error, login, externalLogin);
        throw error;
      }
      await this.joinDefaultGroupAsNewUser(m, user.id);
      return toUserView(user, false);
    });
  }

  /** Changes login, name, email or external login; everything else attached to the account stays. */
  async update(userId: string, input: UpdateUserInput, manager?: EntityManager): Promise<UserView> {
    return withTransaction(this.dataSource, manager, async (m) => {
      const user = await this.load(m, userId);
      const changes = await this.applyUpdate(m, user, input);
      return this.view(m, { ...user, ...changes });
    });
  }

  /**
   * `update` for a caller holding the user's row (see LockedUser): the same rules and writes, without reading the row
   * again nor answering a view.
   */
  async updateLocked(user: LockedUser, input: UpdateUserInput, manager: EntityManager): Promise<void> {
    await this.applyUpdate(manager, user, input);
  }

  private async applyUpdate(m: EntityManager, user: LockedUser, input: UpdateUserInput): Promise<Partial<UserEntity>> {
    const changes: Partial<UserEntity> = {};
    if (input.login !== undefined && input.login !== user.login) {
      const key = normalizeLogin(validateDisplayValue(input.login, 'Login'));
      if (key !== user.loginNormalized) await this.checkLoginFree(m, key, input.login);
      changes.login = input.login;
      changes.loginNormalized = key;
    }
    if (input.name !== undefined) changes.name = validateDisplayValue(input.name, 'Name');
    if (input.email !== undefined) changes.email = validateEmail(input.email);
    if (input.externalLogin !== undefined && input.externalLogin !== user.externalLogin) {
      if (user.local) throw DomainRuleError.invalid('A local account has no external login or provider');
      if (input.externalLogin === null) {
        changes.externalLogin = null;
        changes.externalLoginNormalized = null;
      } else {
        const key = normalizeLogin(input.externalLogin, 'External login');
        if (key !== user.externalLoginNormalized) await this.checkExternalLoginFree(m, key, input.externalLogin);
        changes.externalLogin = input.externalLogin;
        changes.externalLoginNormalized = key;
      }
    }
    if (Object.keys(changes).length > 0) {
      changes.updatedAt = new Date();
      try {
        await m.update(UserEntity, { id: user.id }, changes);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw this.uniquenessConflict(error, changes.login ?? user.login, changes.externalLogin ?? null);
        }
        throw error;
      }
    }
    return changes;
  }

  /**
   * Deactivates a user (see DeactivationFlavour); deactivating an inactive user again is harmless. Refused for the
   * last active administrator. Tokens and sessions end in the same transaction, through the lifecycle listeners.
   */
  async deactivate(
    userId: string,
    options: { flavour: DeactivationFlavour } = { flavour: 'product' },
    manager?: EntityManager,
  ): Promise<UserView> {
    return withTransaction(this.dataSource, manager, async (m) => {
      const user = await this.load(m, userId);
      const now = await this.applyDeactivation(m, user, options.flavour);
      return this.view(m, { ...user, active: false, updatedAt: user.active ? now : user.updatedAt });
    });
  }

  /**
   * `deactivate` for a caller holding the user's row (see LockedUser): the same rules (the last administrator stays),
   * writes and lifecycle events, without reading the row again nor answering a view.
   */
  async deactivateLocked(
    user: Pick<LockedUser, 'id' | 'active'>,
    options: { flavour: DeactivationFlavour },
    manager: EntityManager,
  ): Promise<void> {
    await this.applyDeactivation(manager, user, options.flavour);
  }

  private async applyDeactivation(
    m: EntityManager,
    user: Pick<LockedUser, 'id' | 'active'>,
    flavour: DeactivationFlavour,
  ): Promise<Date> {
    const userId = user.id;
    const now = new Date();
    const apply = async () => {
      if (user.active) await m.update(UserEntity, { id: userId }, { active: false, updatedAt: now });
      if (flavour === 'product') {
        await m.delete(GroupMembershipEntity, { userId });
        await m.delete(UserPermissionEntity, { userId });
      }
    };
    if (await this.permissions.isAdmin(userId, m)) {
      await this.permissions.keepingAnAdministrator(m, LAST_ADMIN_MESSAGES.deactivate, apply);
    } else {
      await apply();
    }
    await this.events.userDeactivated(userId, m);
    return now;
  }

  /** Reactivates a user and puts it back in the default group; kept memberships stay. */
  async reactivate(userId: string, manager?: EntityManager): Promise<UserView> {
    return withTransaction(this.dataSource, manager, async (m) => {
      const user = await this.load(m, userId);
      if (user.active) return this.view(m, user);
      const now = await this.applyReactivation(m, userId);
      return this.view(m, { ...user, active: true, updatedAt: now });
    });
  }

  /** `reactivate` for a caller holding the user's row (see LockedUser), without reading it again nor answering a view. */
  async reactivateLocked(user: Pick<LockedUser, 'id' | 'active'>, manager: EntityManager): Promise<void> {
    if (!user.active) await this.applyReactivation(manager, user.id);
  }

  private async applyReactivation(m: EntityManager, userId: string): Promise<Date> {
    const now = new Date();
    await m.update(UserEntity, { id: userId }, { active: true, updatedAt: now });
    await this.joinDefaultGroup(m, userId);
    return now;
  }

  async findById(userId: string, manager?: EntityManager): Promise<UserView | null> {
    const m = manager ?? this.dataSource.manager;
    const user = await m.findOneBy(UserEntity, { id: userId });
    return user ? this.view(m, user) : null;
  }

  /** Finds a user by login, case-insensitively. */
  async findByLogin(login: string, manager?: EntityManager): Promise<UserView | null> {
    const m = manager ?? this.dataSource.manager;
    const user = await m.findOneBy(UserEntity, { loginNormalized: foldCase(login) });
    return user ? this.view(m, user) : null;
  }

  /**
   * The user whose login is `value`, else the one whose external login is (a SAML account found by the value it signs
   * in with), case-insensitively: `findByLogin` then `findByExternalLogin`, in one statement.
   */
  async findByLoginOrExternalLogin(value: string, manager?: EntityManager): Promise<UserView | null> {
    const m = manager ?? this.dataSource.manager;
    const key = foldCase(value);
    // At most two rows, both keys being unique. The database says which matched on the login, so the comparison is its
    // own, as in the two lookups; whether a user is managed comes with it through the LEFT JOIN.
    const { entities, raw } = await m
      .createQueryBuilder(UserEntity, 'u')
      .leftJoin(ScimUserLinkEntity, 'su', 'su.userId = u.id')
      .addSelect('su.userId', 'linked_user_id')
      .addSelect('CASE WHEN u.loginNormalized = :key THEN 1 ELSE 0 END', 'login_match')
      .where('u.loginNormalized = :key OR u.externalLoginNormalized = :key', { key })
      .getRawAndEntities<{ u_id: string; linked_user_id: string | null; login_match: number | string }>();
    const row = raw.find((r) => Number(r.login_match) === 1) ?? raw[0];
    const user = row && entities.find((u) => u.id === row.u_id);
    return user ? toUserView(user, row.linked_user_id !== null) : null;
  }

  /** Finds the user a SAML sign-in names, by the login attribute's value, case-insensitively. */
  async findByExternalLogin(externalLogin: string, manager?: EntityManager): Promise<UserView | null> {
    const m = manager ?? this.dataSource.manager;
    const user = await m.findOneBy(UserEntity, { externalLoginNormalized: foldCase(externalLogin) });
    return user ? this.view(m, user) : null;
  }

  /** A page of users ordered by login; the matching, counting and paging happen in SQL. */
  async search(criteria: UserSearch = {}, manager?: EntityManager): Promise<Page<UserView>> {
    const m = manager ?? this.dataSource.manager;
    const { page, pageSize, offset } = resolvePage(criteria, MAX_PAGE_SIZE);
    const qb = m.createQueryBuilder(UserEntity, 'u');
    if (criteria.query) {
      // Logins match on their folded key; names and emails through LOWER(), the collation being binary.
      const folded = `%${escapeLike(foldCase(criteria.query))}%`;
      const lowered = `%${escapeLike(criteria.query.toLowerCase())}%`;
      qb.andWhere(
        `(u.loginNormalized LIKE :folded ESCAPE '${LIKE_ESCAPE}'
          OR LOWER(u.name) LIKE :lowered ESCAPE '${LIKE_ESCAPE}'
          OR LOWER(u.email) LIKE :lowered ESCAPE '${LIKE_ESCAPE}')`,
        { folded, lowered },
      );
    }
    if (criteria.managed !== undefined) {
      qb.andWhere(`${criteria.managed ? '' : 'NOT '}EXISTS (SELECT 1 FROM scim_users su WHERE su.user_id = u.id)`);
    }
    if (criteria.active !== undefined) qb.andWhere('u.active = :active', { active: criteria.active });
    const total = await qb.clone().getCount();
    const users = await qb.orderBy('u.loginNormalized', 'ASC').offset(offset).limit(pageSize).getMany();
    const managed = await managedUserIds(
      m,
      users.map((u) => u.id),
    );
    return { items: users.map((u) => toUserView(u, managed.has(u.id))), total, page, pageSize };
  }

  private async load(m: EntityManager, userId: string): Promise<UserEntity> {
    const user = await m.findOneBy(UserEntity, { id: userId });
    if (!user) throw DomainRuleError.notFound('User not found');
    return user;
  }

  private async view(m: EntityManager, user: UserEntity): Promise<UserView> {
    return toUserView(user, (await managedUserIds(m, [user.id])).size > 0);
  }

  /**
   * Puts a user created in this transaction in the default group with one INSERT … SELECT, which finds the group as it
   * inserts. Such a user is in no group yet, so no row inserted means the group is missing.
   */
  private async joinDefaultGroupAsNewUser(m: EntityManager, userId: string): Promise<void> {
    const [sql, parameters] = m.connection.driver.escapeQueryWithParameters(
      `INSERT INTO group_members (group_id, user_id, created_at)
       SELECT g.id, :userId, :now FROM user_groups g WHERE g.built_in = :role`,
      { userId, now: new Date(), role: 'default' },
    );
    if ((await changedRows(m, sql, parameters)) === 0) throw new Error(MISSING_BUILT_INS);
  }

  private async joinDefaultGroup(m: EntityManager, userId: string): Promise<void> {
    const group = await m.findOne(GroupEntity, { select: { id: true }, where: { builtIn: 'default' } });
    if (!group) throw new Error(MISSING_BUILT_INS);
    await m
      .createQueryBuilder()
      .insert()
      .into(GroupMembershipEntity)
      .values({ groupId: group.id, userId, createdAt: new Date() })
      .orIgnore()
      .execute();
  }

  private async checkLoginFree(m: EntityManager, loginNormalized: string, login: string): Promise<void> {
    if (await m.existsBy(UserEntity, { loginNormalized })) {
      throw DomainRuleError.conflict(`A user with login '${login}' already exists`);
    }
  }

  private async checkExternalLoginFree(m: EntityManager, key: string, externalLogin: string): Promise<void> {
    if (await m.existsBy(UserEntity, { externalLoginNormalized: key })) {
      throw DomainRuleError.conflict(`A user with external login '${externalLogin}' already exists`);
    }
  }

  /** Maps a unique-index failure (a concurrent insert won) to the message of the index that refused it. */
  private uniquenessConflict(error: unknown, login: string, externalLogin: string | null): DomainRuleError {
    const text = String((error as Error).message);
    if (externalLogin !== null && text.includes('external_login')) {
      return DomainRuleError.conflict(`A user with external login '${externalLogin}' already exists`);
    }
    return DomainRuleError.conflict(`A user with login '${login}' already exists`);
  }
}
