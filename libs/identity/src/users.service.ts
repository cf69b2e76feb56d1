import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { escapeLike, LIKE_ESCAPE, withTransaction } from '@nest-scim/persistence';
import { DomainRuleError } from './domain-rule.error';
import { MAX_PAGE_SIZE } from './identity.constants';
import { InjectIdentityDataSource } from './inject-identity.decorator';
import { foldCase } from './normalization.util';
import { PermissionsService } from './permissions.service';
import { Page, PageRequest, resolvePage } from './sql.util';
import { UserLifecycleEvents } from './user-lifecycle.events';
import {
  applyUserUpdate,
  checkExternalLoginFree,
  checkLoginFree,
  deactivateUserRow,
  findUserByLoginOrExternalLogin,
  insertNewUser,
  joinDefaultGroup,
  newUserRow,
} from './user-rows';
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

export interface UserSearch extends PageRequest {
  /** Part of the login, name or email, matched case-insensitively. */
  query?: string;
  /** Only managed (true) or only local (false) users. */
  managed?: boolean;
  /** Only active (true) or only deactivated (false) users; both when unset. */
  active?: boolean;
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
  async create(input: CreateUserInput, manager?: EntityManager): Promise<UserView> {
    const user = newUserRow(input);
    return withTransaction(this.dataSource, manager, async (m) => {
      // Checked before the INSERT rather than left to the unique indexes: on MySQL a violation's text quotes the value
      // beside the index name, so uniquenessConflict could name the wrong one (a login containing 'external_login').
      await checkLoginFree(m, user.loginNormalized, user.login, null);
      if (user.externalLoginNormalized !== null)
        await checkExternalLoginFree(m, user.externalLoginNormalized, user.externalLogin!, null);
      await insertNewUser(m, user);
      return toUserView(user);
    });
  }

  /** Changes login, name, email or external login; everything else attached to the account stays. */
  async update(userId: string, input: UpdateUserInput, manager?: EntityManager): Promise<UserView> {
    return withTransaction(this.dataSource, manager, async (m) => {
      const user = await this.load(m, userId);
      const changes = await applyUserUpdate(m, user, input);
      return toUserView({ ...user, ...changes });
    });
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
      const now = new Date();
      await deactivateUserRow(m, this.permissions, this.events, user, options.flavour, now);
      return toUserView({ ...user, active: false, updatedAt: user.active ? now : user.updatedAt });
    });
  }

  /** Reactivates a user and puts it back in the default group; kept memberships stay. */
  async reactivate(userId: string, manager?: EntityManager): Promise<UserView> {
    return withTransaction(this.dataSource, manager, async (m) => {
      const user = await this.load(m, userId);
      if (user.active) return toUserView(user);
      const now = new Date();
      await m.update(UserEntity, { id: userId }, { active: true, updatedAt: now });
      await joinDefaultGroup(m, userId);
      return toUserView({ ...user, active: true, updatedAt: now });
    });
  }

  async findById(userId: string, manager?: EntityManager): Promise<UserView | null> {
    const m = manager ?? this.dataSource.manager;
    const user = await m.findOneBy(UserEntity, { id: userId });
    return user ? toUserView(user) : null;
  }

  /** Finds a user by login, case-insensitively. */
  async findByLogin(login: string, manager?: EntityManager): Promise<UserView | null> {
    const m = manager ?? this.dataSource.manager;
    const user = await m.findOneBy(UserEntity, { loginNormalized: foldCase(login) });
    return user ? toUserView(user) : null;
  }

  /**
   * The user whose login is `value`, else the one whose external login is (a SAML account found by the value it signs
   * in with), case-insensitively: `findByLogin` then `findByExternalLogin`, in one statement.
   */
  async findByLoginOrExternalLogin(value: string, manager?: EntityManager): Promise<UserView | null> {
    const m = manager ?? this.dataSource.manager;
    const user = await findUserByLoginOrExternalLogin(m, value);
    return user ? toUserView(user) : null;
  }

  /** Finds the user a SAML sign-in names, by the login attribute's value, case-insensitively. */
  async findByExternalLogin(externalLogin: string, manager?: EntityManager): Promise<UserView | null> {
    const m = manager ?? this.dataSource.manager;
    const user = await m.findOneBy(UserEntity, { externalLoginNormalized: foldCase(externalLogin) });
    return user ? toUserView(user) : null;
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
      qb.andWhere('u.managed = :managed', { managed: criteria.managed });
    }
    if (criteria.active !== undefined) qb.andWhere('u.active = :active', { active: criteria.active });
    const total = await qb.clone().getCount();
    const users = await qb.orderBy('u.loginNormalized', 'ASC').offset(offset).limit(pageSize).getMany();
    return { items: users.map((u) => toUserView(u)), total, page, pageSize };
  }

  private async load(m: EntityManager, userId: string): Promise<UserEntity> {
    const user = await m.findOneBy(UserEntity, { id: userId });
    if (!user) throw DomainRuleError.notFound('User not found');
    return user;
  }
}
