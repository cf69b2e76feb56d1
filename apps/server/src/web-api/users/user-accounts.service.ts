import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type DataSource, In } from 'typeorm';
import { escapeLike, LIKE_ESCAPE } from '@nest-scim/persistence';
import {
  AuthenticatedPrincipal,
  AuthenticationFailure,
  LocalAccountsService,
  UserPasswordEntity,
  UserSessionEntity,
} from '@nest-scim/auth';
import {
  DomainRuleError,
  foldCase,
  GroupEntity,
  GroupMembershipEntity,
  InjectIdentityDataSource,
  Page,
  UserEntity,
  UsersService,
  UserView,
} from '@nest-scim/identity';
import {
  assertInstanceNotManaged,
  ManagedInstance,
  NewUser,
  ScimGroupLinkEntity,
  ScimSideCopies,
  ScimUserLinkEntity,
  UserAdministration,
} from '@nest-scim/provisioning';
import { SamlSettingsService } from '@nest-scim/saml';
import { pageQuery } from '../query-paging';
import type { SwitchCounts } from '../scim-management/scim-switch.consequences';

/** The product's `selected` parameter: members only (default), non-members only, or both. */
export type SelectionMode = 'selected' | 'deselected' | 'all';

export interface MembershipSearch {
  selected: SelectionMode;
  query?: string;
  page: number;
  pageSize: number;
}

/** What `api/users/search` shows of each user beyond its row: groups, token count and last connection. */
export interface UserActivity {
  groups: string[];
  tokensCount: number;
  lastConnectionDate: Date | null;
}

export interface MemberItem {
  login: string;
  name: string;
  active: boolean;
  managed: boolean;
  selected: boolean;
}

export interface GroupMembershipItem {
  group: GroupEntity;
  selected: boolean;
}

/** The identity providers an account can move to: SAML, once it is enabled (as the product offers enabled ones). */
const SAML_PROVIDER = 'saml';
/** The product's anonymous login: `sq-removed-` and six random letters or digits. */
const ANONYMOUS_PREFIX = 'sq-removed-';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function anonymousLogin(): string {
  const bytes = randomBytes(6);
  return ANONYMOUS_PREFIX + [...bytes].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

function loginOrNameLike(alias: string, query: string): [string, Record<string, string>] {
  return [
    `(${alias}.loginNormalized LIKE :folded ESCAPE '${LIKE_ESCAPE}' OR LOWER(${alias}.name) LIKE :lowered ESCAPE '${LIKE_ESCAPE}')`,
    { folded: `%${escapeLike(foldCase(query))}%`, lowered: `%${escapeLike(query.toLowerCase())}%` },
  ];
}

/**
 * The account operations of the product's `api/users` and `api/user_groups` beyond create, update and deactivate:
 * memberships seen from either side, passwords, identity providers, anonymization, and reactivation by creating a
 * deactivated login again. The rules of an externally managed instance apply as the product applies them.
 */
@Injectable()
export class UserAccountsService {
  constructor(
    @InjectIdentityDataSource() private readonly dataSource: DataSource,
    private readonly tx: ManagedInstance,
    private readonly users: UsersService,
    private readonly accounts: LocalAccountsService,
    private readonly administration: UserAdministration,
    private readonly saml: SamlSettingsService,
    private readonly copies: ScimSideCopies,
  ) {}

  /** Groups, token count and last connection of each user, in three statements whatever the page size. */
  async activityOf(userIds: readonly string[]): Promise<Map<string, UserActivity>> {
    const activity = new Map<string, UserActivity>(
      userIds.map((id) => [id, { groups: [], tokensCount: 0, lastConnectionDate: null }]),
    );
    if (userIds.length === 0) return activity;
    const m = this.dataSource.manager;
    const ids = [...userIds];
    const groups = await m
      .createQueryBuilder(GroupMembershipEntity, 'gm')
      .innerJoin(GroupEntity, 'g', 'g.id = gm.groupId')
      .select('gm.userId', 'userId')
      .addSelect('g.name', 'name')
      .where('gm.userId IN (:...ids)', { ids })
      .orderBy('g.nameNormalized', 'ASC')
      .getRawMany<{ userId: string; name: string }>();
    for (const row of groups) activity.get(row.userId)?.groups.push(row.name);
    const tokens: { user_id: string; count: number | string }[] = await m.query(
      `SELECT user_id, COUNT(*) AS count FROM user_tokens WHERE user_id IN (${ids.map(() => '?').join(', ')}) GROUP BY user_id`,
      ids,
    );
    for (const row of tokens) {
      const entry = activity.get(row.user_id);
      if (entry) entry.tokensCount = Number(row.count);
    }
    const rows = await m.find(UserEntity, { select: { id: true, lastConnectionDate: true }, where: { id: In(ids) } });
    for (const row of rows) {
      const entry = activity.get(row.id);
      if (entry) entry.lastConnectionDate = row.lastConnectionDate;
    }
    return activity;
  }

  /**
   * What a switch of the provisioning mode concerns: active users, active local accounts (password sign-in: they stay
   * local under SCIM, and one of them holds Entra's token), managed users, groups and managed groups, and the users and
   * groups SCIM links (kept while SCIM is off).
   */
  async switchCounts(): Promise<SwitchCounts> {
    const m = this.dataSource.manager;
    const [activeUsers, localAccounts, managedUsers, groups, managedGroups, linkedUsers, linkedGroups] =
      await Promise.all([
        m.countBy(UserEntity, { active: true }),
        m.countBy(UserEntity, { local: true, active: true }),
        m.countBy(UserEntity, { managed: true }),
        m.count(GroupEntity),
        m.countBy(GroupEntity, { managed: true }),
        m.count(ScimUserLinkEntity),
        m.count(ScimGroupLinkEntity),
      ]);
    return { activeUsers, localAccounts, managedUsers, groups, managedGroups, linkedUsers, linkedGroups };
  }

  /** `api/user_groups/users`: users with whether each belongs to the group. Non-members offered are active users. */
  async membersOf(
    groupName: string,
    search: MembershipSearch,
  ): Promise<{ group: GroupEntity; page: Page<MemberItem> }> {
    const m = this.dataSource.manager;
    const view = await this.tx.groupByName(groupName);
    const group = await m.findOneByOrFail(GroupEntity, { id: view.id });
    const qb = m
      .createQueryBuilder(UserEntity, 'u')
      .leftJoin(GroupMembershipEntity, 'gm', 'gm.userId = u.id AND gm.groupId = :groupId', { groupId: group.id })
      .addSelect('gm.userId', 'member_id');
    if (search.selected === 'selected') qb.andWhere('gm.userId IS NOT NULL');
    else if (search.selected === 'deselected')
      qb.andWhere('gm.userId IS NULL AND u.active = :active', { active: true });
    else qb.andWhere('(gm.userId IS NOT NULL OR u.active = :active)', { active: true });
    if (search.query) qb.andWhere(...loginOrNameLike('u', search.query));
    const { total, query } = await pageQuery(qb, 'u.loginNormalized', search);
    const { entities, raw } = await query.getRawAndEntities<{ u_id: string; member_id: string | null }>();
    const members = new Set(raw.filter((r) => r.member_id !== null).map((r) => r.u_id));
    const items = entities.map((u) => ({
      login: u.login,
      name: u.name,
      active: u.active,
      managed: u.managed,
      selected: members.has(u.id),
    }));
    return { group, page: { items, total, page: search.page, pageSize: search.pageSize } };
  }

  /** `api/users/groups`: groups with whether the (active) user belongs to each. */
  async groupsOf(login: string, search: MembershipSearch): Promise<Page<GroupMembershipItem>> {
    const m = this.dataSource.manager;
    const user = await this.users.findByLogin(login);
    if (!user || !user.active) throw DomainRuleError.notFound(`Unknown user: ${login}`);
    const qb = m
      .createQueryBuilder(GroupEntity, 'g')
      .leftJoin(GroupMembershipEntity, 'gm', 'gm.groupId = g.id AND gm.userId = :userId', { userId: user.id })
      .addSelect('gm.groupId', 'member_of');
    if (search.selected === 'selected') qb.andWhere('gm.groupId IS NOT NULL');
    else if (search.selected === 'deselected') qb.andWhere('gm.groupId IS NULL');
    if (search.query) {
      qb.andWhere(`g.nameNormalized LIKE :query ESCAPE '${LIKE_ESCAPE}'`, {
        query: `%${escapeLike(foldCase(search.query))}%`,
      });
    }
    const { total, query } = await pageQuery(qb, 'g.nameNormalized', search);
    const { entities, raw } = await query.getRawAndEntities<{ g_id: string; member_of: string | null }>();
    const memberOf = new Set(raw.filter((r) => r.member_of !== null).map((r) => r.g_id));
    const items = entities.map((group) => ({ group, selected: memberOf.has(group.id) }));
    return { items, total, page: search.page, pageSize: search.pageSize };
  }

  /**
   * `api/users/create` as the product has it: a login that belongs to a deactivated user reactivates that account
   * with the new name, email and password, instead of being refused. An active login is still a conflict.
   */
  async createOrReactivate(input: NewUser, create: (input: NewUser) => Promise<UserView>): Promise<UserView> {
    const existing = await this.users.findByLogin(input.login);
    if (!existing || existing.active) return create(input);
    if (input.local && !input.password) throw DomainRuleError.invalid('Password is mandatory and must not be empty');
    if (!input.local && input.password) throw DomainRuleError.invalid('Password should only be set on local user');
    if (input.local !== existing.local) {
      throw DomainRuleError.invalid(
        `User '${existing.login}' is ${existing.local ? 'a local' : 'an external'} account and is reactivated as one`,
      );
    }
    return this.tx.run(async (m, instanceManaged) => {
      assertInstanceNotManaged(instanceManaged);
      const user = await this.tx.userByLogin(input.login, m);
      if (user.active) throw DomainRuleError.conflict(`An active user with login '${user.login}' already exists`);
      await this.users.update(user.id, { name: input.name, email: input.email || null }, m);
      if (input.local) await this.accounts.setPassword(user.id, input.password!, m);
      const reactivated = await this.users.reactivate(user.id, m);
      await this.copies.userChanged(m, user.id);
      return reactivated;
    });
  }

  /**
   * `api/users/change_password`. One's own password needs the previous one (checked as a sign-in is, throttle
   * included) and must differ from it; an admin sets anyone else's. The account's sessions end, as in the product;
   * the caller learns whether its own session ended so it can open a new one.
   */
  async changePassword(
    input: { login: string; password: string; previousPassword?: string },
    caller: AuthenticatedPrincipal,
    context: { address?: string },
  ): Promise<{ ownSessionsEnded: boolean }> {
    const user = await this.users.findByLogin(input.login);
    if (!user || !user.active) throw DomainRuleError.notFound(`User with login '${input.login}' has not been found`);
    const own = user.id === caller.userId;
    if (!user.local) throw DomainRuleError.invalid('Password cannot be changed when external authentication is used');
    if (own) {
      if (!input.previousPassword) throw DomainRuleError.invalid("The 'previousPassword' parameter is missing");
      try {
        await this.accounts.authenticatePassword(user.login, input.previousPassword, context);
      } catch (error) {
        if (error instanceof AuthenticationFailure && error.reason === 'invalid_credentials') {
          throw DomainRuleError.invalid('Incorrect password');
        }
        throw error;
      }
      if (input.previousPassword === input.password) {
        throw DomainRuleError.invalid('Password must be different from old password');
      }
    }
    await this.tx.run(async (m) => {
      await this.accounts.setPassword(user.id, input.password, m);
      await m.delete(UserSessionEntity, { userId: user.id });
    });
    return { ownSessionsEnded: own };
  }

  /**
   * `api/users/update_identity_provider`: the account signs in through another provider from now on (SAML, the one
   * this product has, once it is enabled). A local account becomes external and loses its password; there is no way
   * back to local. Refused while the instance is externally managed.
   */
  async updateIdentityProvider(input: { login: string; provider: string; identity?: string }): Promise<void> {
    await this.tx.run(async (m, instanceManaged) => {
      assertInstanceNotManaged(instanceManaged);
      const providers = (await this.saml.isEnabled(m)) ? [SAML_PROVIDER] : [];
      if (!providers.includes(input.provider)) {
        throw DomainRuleError.invalid(
          `Value of parameter 'newExternalProvider' (${input.provider}) must be one of: [${providers.join(', ')}]`,
        );
      }
      const user = await this.users.findByLogin(input.login, m);
      if (!user || !user.active) throw DomainRuleError.notFound(`User '${input.login}' doesn't exist`);
      const identity = input.identity ?? user.externalLogin ?? user.login;
      if (user.local) {
        await m.update(UserEntity, { id: user.id }, { local: false, externalProvider: SAML_PROVIDER });
        await m.delete(UserPasswordEntity, { userId: user.id });
      } else {
        await m.update(UserEntity, { id: user.id }, { externalProvider: SAML_PROVIDER });
      }
      await this.users.update(user.id, { externalLogin: identity }, m);
    });
  }

  /**
   * `api/users/anonymize`: a deactivated user's login and name become `sq-removed-…`, its email, external identity,
   * password and SCIM data go. A managed user is the identity provider's while the instance is externally managed.
   */
  async anonymize(login: string): Promise<void> {
    await this.administration.anonymize(login, anonymousLogin);
  }
}
