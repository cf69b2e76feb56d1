import type { DataSource } from 'typeorm';
import type { Dialect } from '@nest-scim/persistence';
import { IdentityTestDatabase, openIdentityTestDatabase } from '@nest-scim/identity/testing';
import type { AuthOptions } from './auth-options.interface';
import { AUTH_ENTITIES } from './auth.entities';
import { resolveAuthOptions } from './auth.module';
import { AuthUserLifecycleListener } from './auth-user-lifecycle.listener';
import { LocalAccountsService } from './local-accounts.service';
import { PasswordHasher } from './password-hasher.service';
import { SessionsService } from './sessions.service';
import { SignInThrottleService } from './sign-in-throttle.service';
import { UserTokensService } from './user-tokens.service';

export interface AuthServices {
  accounts: LocalAccountsService;
  sessions: SessionsService;
  throttle: SignInThrottleService;
  tokens: UserTokensService;
  hasher: PasswordHasher;
}

/** Cheap scrypt parameters: tests hash many passwords and are not what an attacker sees. */
export const TEST_PASSWORD_HASHING = { cost: 1024, blockSize: 8, parallelization: 1 };

/** The auth services wired by hand over an identity test database, with the deactivation listener registered. */
export function createAuthServices(identity: IdentityTestDatabase, options: AuthOptions = {}): AuthServices {
  const resolved = resolveAuthOptions({ passwordHashing: TEST_PASSWORD_HASHING, ...options });
  const dataSource: DataSource = identity.dataSource;
  const hasher = new PasswordHasher(resolved.passwordHashing);
  const throttle = new SignInThrottleService(dataSource, resolved);
  new AuthUserLifecycleListener(identity.events).onModuleInit();
  return {
    accounts: new LocalAccountsService(
      dataSource,
      hasher,
      throttle,
      identity.users,
      identity.groups,
      identity.membership,
      identity.permissions,
    ),
    sessions: new SessionsService(dataSource, resolved),
    throttle,
    tokens: new UserTokensService(dataSource, identity.permissions),
    hasher,
  };
}

export interface AuthTestDatabase extends IdentityTestDatabase, AuthServices {}

/** A scratch database with the identity and auth tables, the built-in groups, and every service wired. */
export async function openAuthTestDatabase(dialect: Dialect, options: AuthOptions = {}): Promise<AuthTestDatabase> {
  const identity = await openIdentityTestDatabase(dialect, { extraEntities: AUTH_ENTITIES });
  return Object.assign(identity, createAuthServices(identity, options));
}
