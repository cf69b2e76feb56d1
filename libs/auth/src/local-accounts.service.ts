import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction, withTransaction } from '@nest-scim/persistence';
import {
  DomainRuleError,
  foldCase,
  GroupsService,
  MembershipService,
  PermissionsService,
  UserEntity,
  UsersService,
  UserView,
} from '@nest-scim/identity';
import { BOOTSTRAP_ADMIN_LOGIN } from './auth.constants';
import { AuthenticationFailure } from './auth.errors';
import { InjectAuthDataSource } from './inject-auth.decorator';
import { PasswordHasher } from './password-hasher.service';
import { generatePassword, validatePasswordStrength } from './password-policy.util';
import { SignInThrottleService } from './sign-in-throttle.service';
import { UserPasswordEntity } from './user-password.entity';

export interface CreateLocalUserInput {
  login: string;
  name?: string | null;
  email?: string | null;
  password: string;
}

export interface SignedInUser {
  userId: string;
  login: string;
}

/**
 * The administrator `ensureAdminAccount` leaves in place: the one it created, or, when an active administrator existed
 * already, the local `admin` account if it is one, else the earliest created active administrator.
 */
export type AdminBootstrapResult =
  | { created: false; userId: string; login: string }
  | {
      created: true;
      userId: string;
      login: string;
      /** Set only when no password was given: the host prints it once, then it is gone. */
      generatedPassword?: string;
    };

/** Local accounts: passwords (scrypt), sign-in with throttling, and the first administrator. */
@Injectable()
export class LocalAccountsService {
  private dummyHash?: Promise<string>;

  constructor(
    @InjectAuthDataSource() private readonly dataSource: DataSource,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    private readonly throttle: SignInThrottleService,
    private readonly users: UsersService,
    private readonly groups: GroupsService,
    private readonly membership: MembershipService,
    private readonly permissions: PermissionsService,
  ) {}

  /** Creates a local account with its password, in one transaction. */
  async createLocalUser(input: CreateLocalUserInput, manager?: EntityManager): Promise<UserView> {
    validatePasswordStrength(input.password);
    const hash = await this.hasher.hash(input.password);
    return withTransaction(this.dataSource, manager, async (m) => {
      const user = await this.users.create(
        { login: input.login, name: input.name, email: input.email, local: true },
        m,
      );
      await this.storeHash(m, user.id, hash);
      return user;
    });
  }

  /** Sets the password of a local account. External (SAML) accounts have none. */
  async setPassword(userId: string, password: string, manager?: EntityManager): Promise<void> {
    validatePasswordStrength(password);
    const hash = await this.hasher.hash(password);
    await withTransaction(this.dataSource, manager, async (m) => {
      const user = await m.findOneBy(UserEntity, { id: userId });
      if (!user) throw DomainRuleError.notFound('User not found');
      if (!user.local) throw DomainRuleError.invalid('Password cannot be changed when external authentication is used');
      await this.storeHash(m, userId, hash);
    });
  }

  /**
   * Checks a login and password. Throws AuthenticationFailure: `throttled` (with the seconds to wait) or
   * `invalid_credentials`, the latter without saying whether the login exists; a scrypt verification runs either way,
   * so timing does not tell either.
   *
   * Failures are counted per (address, login), per address and per login. A blocked pair or address is refused
   * before the password is checked. A blocked login is refused only from addresses that failed within the window:
   * guessers spread over many addresses get one guess per address and window, while the right password from an
   * address with no failure is never refused, so nobody can lock an account out by failing on purpose.
   * `context.address` is the caller's key for the source (see the server's sign-in route); unknown sources share one.
   */
  async authenticatePassword(
    login: string,
    password: string,
    context: { address?: string } = {},
  ): Promise<SignedInUser> {
    const subjects = this.throttle.signInSubjects(login, context.address);
    const [pair, address, account] = await this.throttle.inspect([
      subjects.loginAtAddress,
      subjects.address,
      subjects.login,
    ]);
    const waits = [pair.blockedForMs, address.blockedForMs];
    if (address.failedRecently) waits.push(account.blockedForMs);
    const wait = Math.ceil(Math.max(...waits) / 1000);
    if (wait > 0) throw AuthenticationFailure.throttled(wait);

    const user =
      typeof login === 'string'
        ? await this.dataSource.manager.findOneBy(UserEntity, { loginNormalized: foldCase(login) })
        : null;
    const stored = user ? await this.dataSource.manager.findOneBy(UserPasswordEntity, { userId: user.id }) : null;
    const matches = await this.hasher.verify(String(password), stored?.hash ?? (await this.dummy()));
    if (!user || !stored || !matches || !user.active || !user.local) {
      await this.throttle.recordFailure([subjects.loginAtAddress, subjects.address, subjects.login]);
      throw AuthenticationFailure.invalidCredentials();
    }
    // Only this address's count for this login is forgotten: a guesser holding one valid account must not be able
    // to clear its address's count, nor the legitimate user an attack on the login from elsewhere.
    await this.throttle.reset([subjects.loginAtAddress]);
    if (this.hasher.needsRehash(stored.hash)) {
      const upgraded = await this.hasher.hash(password);
      await inTransaction(this.dataSource, (m) => this.storeHash(m, user.id, upgraded));
    }
    return { userId: user.id, login: user.login };
  }

  /**
   * First start: when no active administrator exists, creates the local account `admin` in the administrators group
   * with the given password, or a generated one returned once for the host to print. Does nothing otherwise.
   */
  async ensureAdminAccount(options: { password?: string } = {}): Promise<AdminBootstrapResult> {
    if (options.password !== undefined) validatePasswordStrength(options.password);
    try {
      return await inTransaction(this.dataSource, async (m) => {
        const { administratorsGroup } = await this.groups.ensureBuiltIns(m);
        const existing = await this.existingAdministrator(m);
        if (existing) return existing;
        if (await this.users.findByLogin(BOOTSTRAP_ADMIN_LOGIN, m)) {
          throw new Error(
            `No active administrator exists and the login '${BOOTSTRAP_ADMIN_LOGIN}' is taken: grant admin to an account by hand`,
          );
        }
        const password = options.password ?? generatePassword();
        const user = await this.users.create({ login: BOOTSTRAP_ADMIN_LOGIN, name: 'Administrator', local: true }, m);
        await this.membership.addMembers(administratorsGroup.id, [user.id], m);
        await this.storeHash(m, user.id, await this.hasher.hash(password));
        return {
          created: true as const,
          userId: user.id,
          login: user.login,
          ...(options.password === undefined ? { generatedPassword: password } : {}),
        };
      });
    } catch (error) {
      // Another instance starting at the same moment created it first.
      if (error instanceof DomainRuleError && error.code === 'conflict') {
        const existing = await this.existingAdministrator();
        if (existing) return existing;
      }
      throw error;
    }
  }

  private async existingAdministrator(manager?: EntityManager): Promise<AdminBootstrapResult | undefined> {
    const bootstrapAdmin = await this.users.findByLogin(BOOTSTRAP_ADMIN_LOGIN, manager);
    if (bootstrapAdmin?.active && (await this.permissions.isAdmin(bootstrapAdmin.id, manager))) {
      return { created: false, userId: bootstrapAdmin.id, login: bootstrapAdmin.login };
    }
    const userId = await this.permissions.firstActiveAdministrator(manager);
    if (userId === undefined) return undefined;
    const user = await this.users.findById(userId, manager);
    return user ? { created: false, userId: user.id, login: user.login } : undefined;
  }

  private async storeHash(m: EntityManager, userId: string, hash: string): Promise<void> {
    await m.upsert(UserPasswordEntity, { userId, hash, updatedAt: new Date() }, ['userId']);
  }

  // A hash of nothing anyone knows, verified against when the login is unknown.
  private dummy(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(randomBytes(16).toString('hex'));
    return this.dummyHash;
  }
}
