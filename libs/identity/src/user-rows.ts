import { insertRows, isUniqueViolation, selectEntities, namedParameters, sqlTable } from '@nest-scim/persistence';
import { randomUUID } from 'node:crypto';
import { EntityManager, FindOptionsWhere, Not } from 'typeorm';
import { DomainRuleError, LAST_ADMIN_MESSAGES } from './domain-rule.error';
import { GroupEntity } from './group.entity';
import { GroupMembershipEntity } from './group-membership.entity';
import { GroupPermissionEntity } from './group-permission.entity';
import { foldCase, normalizeLogin, validateDisplayValue } from './normalization.util';
import { holdsPermissionCondition, type PermissionsService } from './permissions.service';
import type { UserLifecycleEvents } from './user-lifecycle.events';
import { UserPermissionEntity } from './user-permission.entity';
import { ExternalProvider, UserEntity } from './user.entity';
import type { CreateUserInput, DeactivationFlavour, UpdateUserInput } from './users.service';

/*
 * The writes on a user's row that UsersService and the directory adapter share. Internal to the identity lib (not
 * exported from its index): each caller reads the rows these functions decide on itself, in its own transaction.
 */

const MISSING_BUILT_INS = 'The built-in groups are missing: call GroupsService.ensureBuiltIns() at start';

// Deliberately loose: the identity provider's values are stored as sent; this only refuses what cannot be an address.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/u;

/** The columns of a user's row an update decides on. */
export type UserRowForUpdate = Pick<
  UserEntity,
  'id' | 'login' | 'loginNormalized' | 'local' | 'externalLogin' | 'externalLoginNormalized'
>;

/** Runs a write and returns how many rows it changed, which `EntityManager.query` does not tell on SQLite. */
export async function changedRows(m: EntityManager, sql: string, parameters: unknown[]): Promise<number> {
  const runner = m.queryRunner ?? m.connection.createQueryRunner();
  try {
    return (await runner.query(sql, parameters, true)).affected ?? 0;
  } finally {
    if (runner !== m.queryRunner) await runner.release();
  }
}

export function validateEmail(email: string | null | undefined): string | null {
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

/** A new, active user's row, its values checked (not yet their uniqueness). */
export function newUserRow(input: CreateUserInput, managed = false): UserEntity {
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
  const now = new Date();
  return Object.assign(new UserEntity(), {
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
    managed,
    createdAt: now,
    updatedAt: now,
  });
}

/**
 * Inserts a new user's row and puts it in the default group. A user holding its login or external login already (the
 * caller may have looked for one in this transaction, or not) makes the unique indexes refuse the row: a conflict that
 * names which, the row not written. With `watched` (a permission), answers whether the default group grants it — the
 * only way a brand-new user can hold one — read by the membership's own insert; without, false.
 */
export async function insertNewUser(m: EntityManager, user: UserEntity, watched?: string): Promise<boolean> {
  try {
    await insertRows(m, UserEntity, [user]);
  } catch (error) {
    if (isUniqueViolation(error)) throw uniquenessConflict(error, user.login, user.externalLogin);
    throw error;
  }
  if (watched !== undefined && (await joinDefaultGroupAsNewUser(m, user.id, watched))) return false;
  await joinDefaultGroupAsNewUser(m, user.id);
  return watched !== undefined;
}

/**
 * The user whose login is `value`, else the one whose external login is (a SAML account found by the value it signs
 * in with), case-insensitively, in one statement.
 */
export async function findUserByLoginOrExternalLogin(m: EntityManager, value: string): Promise<UserEntity | null> {
  const key = foldCase(value);
  // At most two rows, both keys being unique; the login's match wins.
  const users = await selectEntities(m, UserEntity, 'login_normalized = ? OR external_login_normalized = ?', [
    key,
    key,
  ]);
  return users.find((u) => u.loginNormalized === key) ?? users[0] ?? null;
}

/** Refuses a login (its folded key) that a user other than `exceptId` holds. */
export async function checkLoginFree(
  m: EntityManager,
  loginNormalized: string,
  login: string,
  exceptId: string | null,
): Promise<void> {
  const where: FindOptionsWhere<UserEntity> = { loginNormalized };
  if (exceptId !== null) where.id = Not(exceptId);
  if (await m.existsBy(UserEntity, where)) {
    throw DomainRuleError.conflict(`A user with login '${login}' already exists`);
  }
}

export async function checkExternalLoginFree(
  m: EntityManager,
  key: string,
  externalLogin: string,
  exceptId: string | null,
): Promise<void> {
  const where: FindOptionsWhere<UserEntity> = { externalLoginNormalized: key };
  if (exceptId !== null) where.id = Not(exceptId);
  if (await m.existsBy(UserEntity, where)) {
    throw DomainRuleError.conflict(`A user with external login '${externalLogin}' already exists`);
  }
}

/**
 * Applies an update to a user's row as the caller read it in this transaction; `where` narrows the row written (the
 * directory adapter writes only managed accounts) and nothing is written when it matches no row: answers the changes
 * made, or null when no row matched.
 */
export async function applyUserUpdate(
  m: EntityManager,
  user: UserRowForUpdate,
  input: UpdateUserInput,
  where: FindOptionsWhere<UserEntity> = {},
): Promise<Partial<UserEntity> | null> {
  const changes: Partial<UserEntity> = {};
  if (input.login !== undefined && input.login !== user.login) {
    const key = normalizeLogin(validateDisplayValue(input.login, 'Login'));
    if (key !== user.loginNormalized) await checkLoginFree(m, key, input.login, user.id);
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
      if (key !== user.externalLoginNormalized) await checkExternalLoginFree(m, key, input.externalLogin, user.id);
      changes.externalLogin = input.externalLogin;
      changes.externalLoginNormalized = key;
    }
  }
  if (Object.keys(changes).length === 0) return changes;
  changes.updatedAt = new Date();
  try {
    const result = await m.update(UserEntity, { ...where, id: user.id }, changes);
    if (result.affected === 0) return null;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw uniquenessConflict(error, changes.login ?? user.login, changes.externalLogin ?? null);
    }
    throw error;
  }
  return changes;
}

/**
 * Deactivates a user (see DeactivationFlavour): refused for the last active administrator; the lifecycle listeners
 * end its tokens and sessions in this transaction. `wasActive` is the state the caller read with the row.
 */
export async function deactivateUserRow(
  m: EntityManager,
  permissions: PermissionsService,
  events: UserLifecycleEvents,
  user: { id: string; active: boolean },
  flavour: DeactivationFlavour,
  now: Date,
): Promise<void> {
  const userId = user.id;
  const apply = async () => {
    if (user.active) await m.update(UserEntity, { id: userId }, { active: false, updatedAt: now });
    if (flavour === 'product') {
      await m.delete(GroupMembershipEntity, { userId });
      await m.delete(UserPermissionEntity, { userId });
    }
  };
  if (await permissions.isAdmin(userId, m)) {
    await permissions.keepingAnAdministrator(m, LAST_ADMIN_MESSAGES.deactivate, apply);
  } else {
    await apply();
  }
  await events.userDeactivated(userId, m);
}

/**
 * Deactivates a managed, active user in one UPDATE when it does not hold `permission` (directly or through a group),
 * which the UPDATE's own condition reads; answers how many rows it changed. 0 says nothing: the user may hold the
 * permission, be inactive already, or not be managed — the caller then decides as it would have without this.
 */
export async function deactivateManagedUnlessHolding(
  m: EntityManager,
  userId: string,
  permission: string,
  now: Date,
): Promise<number> {
  const result = await m
    .createQueryBuilder()
    .update(UserEntity)
    .set({ active: false, updatedAt: now })
    .where({ id: userId, managed: true, active: true })
    .andWhere(`NOT ${holdsPermissionCondition(m, `${sqlTable(m, UserEntity)}.id`, ':permission')}`, { permission })
    .execute();
  return result.affected ?? 0;
}

/**
 * Puts a user created in this transaction in the default group with one INSERT … SELECT, which finds the group as it
 * inserts. Such a user is in no group yet, so no row inserted means the group is missing.
 */
/**
 * Puts a brand-new user in the default group. With `unlessGranting`, only when that group does not grant the
 * permission (answers whether it joined); without, always (a missing default group is an error).
 */
async function joinDefaultGroupAsNewUser(m: EntityManager, userId: string, unlessGranting?: string): Promise<boolean> {
  const unless =
    unlessGranting === undefined
      ? ''
      : ` AND NOT EXISTS (SELECT 1 FROM ${sqlTable(m, GroupPermissionEntity)} gp
                         WHERE gp.group_id = g.id AND gp.permission = :permission)`;
  const [sql, parameters] = namedParameters(
    m,
    `INSERT INTO ${sqlTable(m, GroupMembershipEntity)} (group_id, user_id, created_at)
     SELECT g.id, :userId, :now FROM ${sqlTable(m, GroupEntity)} g WHERE g.built_in = :role${unless}`,
    {
      userId,
      now: new Date(),
      role: 'default',
      ...(unlessGranting === undefined ? {} : { permission: unlessGranting }),
    },
  );
  const joined = (await changedRows(m, sql, parameters)) > 0;
  if (!joined && unlessGranting === undefined) throw new Error(MISSING_BUILT_INS);
  return joined;
}

/** Puts a user back in the default group; one already in it stays. */
export async function joinDefaultGroup(m: EntityManager, userId: string): Promise<void> {
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

/** Maps a unique-index failure (a concurrent insert won) to the message of the index that refused it. */
function uniquenessConflict(error: unknown, login: string, externalLogin: string | null): DomainRuleError {
  const text = String((error as Error).message);
  if (externalLogin !== null && text.includes('external_login')) {
    return DomainRuleError.conflict(`A user with external login '${externalLogin}' already exists`);
  }
  return DomainRuleError.conflict(`A user with login '${login}' already exists`);
}
