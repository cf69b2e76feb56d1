import { testDialects } from '@nest-scim/persistence/testing';
import { DomainRuleError } from '@nest-scim/identity';
import { AuthenticationFailure } from './auth.errors';
import { PasswordHasher } from './password-hasher.service';
import { SignInThrottleEntity } from './sign-in-throttle.entity';
import { AuthTestDatabase, openAuthTestDatabase } from './testing';
import { UserPasswordEntity } from './user-password.entity';

const PASSWORD = 'Correct-Horse-42';

async function failure(promise: Promise<unknown>): Promise<AuthenticationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationFailure);
  return error as AuthenticationFailure;
}

describe.each(testDialects())('LocalAccountsService (%s)', (dialect) => {
  describe('first start', () => {
    let db: AuthTestDatabase;
    beforeEach(async () => {
      db = await openAuthTestDatabase(dialect);
    });
    afterEach(async () => {
      await db?.close();
    });

    it('creates admin with a generated password, returned once, and only once', async () => {
      const result = await db.accounts.ensureAdminAccount();
      if (!result.created) throw new Error('expected an account');
      expect(result.login).toBe('admin');
      expect(result.generatedPassword).toMatch(/^.{24}$/);
      expect(await db.permissions.isAdmin(result.userId)).toBe(true);
      const admins = await db.groups.administratorsGroup();
      expect(await db.membership.isMember(admins.id, result.userId)).toBe(true);
      await expect(db.accounts.authenticatePassword('admin', result.generatedPassword!)).resolves.toEqual({
        userId: result.userId,
        login: 'admin',
      });
      // Once it exists, its id is still given, without a password.
      expect(await db.accounts.ensureAdminAccount()).toEqual({ created: false, userId: result.userId, login: 'admin' });
    });

    it('uses the given password and keeps only its hash', async () => {
      const result = await db.accounts.ensureAdminAccount({ password: PASSWORD });
      expect(result).toMatchObject({ created: true, login: 'admin' });
      expect(result).not.toHaveProperty('generatedPassword');
      const dump = JSON.stringify(await db.dataSource.query('SELECT * FROM user_passwords'));
      expect(dump).not.toContain(PASSWORD);
      const row = await db.dataSource.getRepository(UserPasswordEntity).findOneByOrFail({});
      expect(row.hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      await expect(db.accounts.authenticatePassword('ADMIN', PASSWORD)).resolves.toMatchObject({ login: 'admin' });
    });

    it('refuses a weak bootstrap password', async () => {
      await expect(db.accounts.ensureAdminAccount({ password: 'admin' })).rejects.toThrow(
        'Password must be at least 12 characters long',
      );
      expect((await db.users.search()).total).toBe(0);
    });

    it('does nothing when an administrator exists already, and names that administrator', async () => {
      const existing = await db.users.create({ login: 'root', local: true });
      await db.permissions.addUserPermission(existing.id, 'admin');
      expect(await db.accounts.ensureAdminAccount()).toEqual({ created: false, userId: existing.id, login: 'root' });
      expect(await db.users.findByLogin('admin')).toBeNull();
    });

    it("names the local 'admin' account before any other administrator, and an admin through a group too", async () => {
      const viaGroup = await db.users.create({ login: 'group-admin', local: true });
      const admins = await db.groups.administratorsGroup();
      await db.membership.addMembers(admins.id, [viaGroup.id]);
      expect(await db.accounts.ensureAdminAccount()).toEqual({
        created: false,
        userId: viaGroup.id,
        login: 'group-admin',
      });
      const admin = await db.users.create({ login: 'admin', local: true });
      await db.permissions.addUserPermission(admin.id, 'admin');
      expect(await db.accounts.ensureAdminAccount()).toEqual({ created: false, userId: admin.id, login: 'admin' });
    });

    it('creates one admin when several instances start at once', async () => {
      const results = await Promise.all(Array.from({ length: 3 }, () => db.accounts.ensureAdminAccount()));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.userId)).size).toBe(1);
    });
  });

  describe('signing in', () => {
    let db: AuthTestDatabase;
    beforeAll(async () => {
      db = await openAuthTestDatabase(dialect, {
        signInThrottle: {
          maxFailuresPerLoginAndAddress: 3,
          maxFailuresPerLogin: 6,
          maxFailuresPerAddress: 10,
          windowSeconds: 60,
        },
      });
    });
    afterAll(async () => {
      await db?.close();
    });

    it('accepts the right password, case-insensitive login, and nothing else', async () => {
      const user = await db.accounts.createLocalUser({ login: 'Olivia', password: PASSWORD });
      await expect(db.accounts.authenticatePassword('olivia', PASSWORD)).resolves.toEqual({
        userId: user.id,
        login: 'Olivia',
      });
      const wrong = await failure(db.accounts.authenticatePassword('olivia', 'Correct-Horse-43'));
      expect([wrong.reason, wrong.message, wrong.getStatus()]).toEqual([
        'invalid_credentials',
        'Authentication failed',
        401,
      ]);
      const unknown = await failure(db.accounts.authenticatePassword('nobody', PASSWORD));
      expect(unknown.message).toBe('Authentication failed');
    });

    it('refuses deactivated and external accounts', async () => {
      const user = await db.accounts.createLocalUser({ login: 'peggy', password: PASSWORD });
      await db.users.deactivate(user.id);
      expect((await failure(db.accounts.authenticatePassword('peggy', PASSWORD))).reason).toBe('invalid_credentials');
      const external = await db.users.create({ login: 'saml-only', local: false });
      await expect(db.accounts.setPassword(external.id, PASSWORD)).rejects.toThrow(
        'Password cannot be changed when external authentication is used',
      );
    });

    it('enforces the password rules', async () => {
      const cases: [string, string][] = [
        ['short-1A', 'Password must be at least 12 characters long'],
        ['alllowercase-1', 'Password must contain at least one uppercase character'],
        ['ALLUPPERCASE-1', 'Password must contain at least one lowercase character'],
        ['No-Digits-Here', 'Password must contain at least one digit'],
        ['NoSpecials1234', 'Password must contain at least one special character'],
      ];
      for (const [password, message] of cases) {
        const error = await db.accounts.createLocalUser({ login: 'rules', password }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DomainRuleError);
        expect((error as Error).message).toBe(message);
      }
    });

    const WRONG = 'Wrong-Password-1';
    const at = (address: string) => ({ address });

    it('blocks a login at one address after repeated failures, even for the right password, and says when to retry', async () => {
      await db.accounts.createLocalUser({ login: 'quentin', password: PASSWORD });
      for (let i = 0; i < 3; i++) {
        expect((await failure(db.accounts.authenticatePassword('quentin', WRONG, at('192.0.2.1')))).reason).toBe(
          'invalid_credentials',
        );
      }
      const blocked = await failure(db.accounts.authenticatePassword('QUENTIN', PASSWORD, at('192.0.2.1')));
      expect(blocked.reason).toBe('throttled');
      expect(blocked.getStatus()).toBe(429);
      expect(blocked.retryAfterSeconds).toBeGreaterThan(50);
      expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect(blocked.message).toBe(`Too many failed sign-in attempts, retry after ${blocked.retryAfterSeconds} s`);
      // Counters live in the database (hashed subjects), where every instance sees them.
      const rows = await db.dataSource.getRepository(SignInThrottleEntity).find();
      expect(JSON.stringify(rows)).not.toContain('quentin');
      expect(JSON.stringify(rows)).not.toContain('192.0.2.1');
      expect(rows.some((r) => r.blockedUntil !== null)).toBe(true);
      // The same login from an address that never failed: the right password works.
      await expect(db.accounts.authenticatePassword('quentin', PASSWORD, at('192.0.2.2'))).resolves.toBeDefined();
    });

    it('nobody locks the owner out: after failures from many addresses, the right password from a clean address works', async () => {
      await db.accounts.createLocalUser({ login: 'olga', password: PASSWORD });
      // Six addresses fail twice each: the login passes its limit (6) with no address reaching its own.
      for (let a = 1; a <= 6; a++) {
        for (let i = 0; i < 2; i++)
          await failure(db.accounts.authenticatePassword('olga', WRONG, at(`198.51.100.${a}`)));
      }
      // The attackers' addresses are refused for this login, the right password included …
      for (let a = 1; a <= 6; a++) {
        expect((await failure(db.accounts.authenticatePassword('olga', PASSWORD, at(`198.51.100.${a}`)))).reason).toBe(
          'throttled',
        );
      }
      // … while the owner, from an address that has not failed, signs in.
      await expect(db.accounts.authenticatePassword('olga', PASSWORD, at('203.0.113.50'))).resolves.toBeDefined();
      // A new address still gets a guess, but only one while the login is blocked.
      expect((await failure(db.accounts.authenticatePassword('olga', WRONG, at('198.51.100.77')))).reason).toBe(
        'invalid_credentials',
      );
      expect((await failure(db.accounts.authenticatePassword('olga', PASSWORD, at('198.51.100.77')))).reason).toBe(
        'throttled',
      );
      // Other logins from those addresses are not refused for olga's sake.
      await db.accounts.createLocalUser({ login: 'oscar', password: PASSWORD });
      await expect(db.accounts.authenticatePassword('oscar', PASSWORD, at('198.51.100.1'))).resolves.toBeDefined();
    });

    it('throttles a source address across logins; another address is unaffected', async () => {
      await db.accounts.createLocalUser({ login: 'rupert', password: PASSWORD });
      const address = '203.0.113.7';
      for (let i = 0; i < 10; i++) {
        await failure(db.accounts.authenticatePassword(`a${i}`, WRONG, { address }));
      }
      expect((await failure(db.accounts.authenticatePassword('rupert', PASSWORD, { address }))).reason).toBe(
        'throttled',
      );
      await expect(
        db.accounts.authenticatePassword('rupert', PASSWORD, { address: '198.51.100.1' }),
      ).resolves.toBeDefined();
    });

    it('the blocks end with their window', async () => {
      await db.accounts.createLocalUser({ login: 'walter', password: PASSWORD });
      for (let i = 0; i < 3; i++) await failure(db.accounts.authenticatePassword('walter', WRONG, at('192.0.2.9')));
      const subjects = db.throttle.signInSubjects('walter', '192.0.2.9');
      const later = new Date(Date.now() + 61_000);
      const [now, after] = await Promise.all([
        db.throttle.retryAfterSeconds([subjects.loginAtAddress]),
        db.throttle.retryAfterSeconds([subjects.loginAtAddress], later),
      ]);
      expect(now).toBeGreaterThan(0);
      expect(after).toBe(0);
    });

    it('forgets the failures of a login at an address after a successful sign-in there', async () => {
      await db.accounts.createLocalUser({ login: 'sybil', password: PASSWORD });
      for (let i = 0; i < 2; i++) await failure(db.accounts.authenticatePassword('sybil', WRONG, at('192.0.2.20')));
      await db.accounts.authenticatePassword('sybil', PASSWORD, at('192.0.2.20'));
      for (let i = 0; i < 2; i++) await failure(db.accounts.authenticatePassword('sybil', WRONG, at('192.0.2.20')));
      await expect(db.accounts.authenticatePassword('sybil', PASSWORD, at('192.0.2.20'))).resolves.toBeDefined();
    });

    it('upgrades a hash made with older parameters at the next sign-in', async () => {
      const user = await db.accounts.createLocalUser({ login: 'trent', password: PASSWORD });
      const repo = db.dataSource.getRepository(UserPasswordEntity);
      const weaker = await new PasswordHasher({ cost: 512, blockSize: 8, parallelization: 1 }).hash(PASSWORD);
      await repo.update({ userId: user.id }, { hash: weaker });
      await db.accounts.authenticatePassword('trent', PASSWORD);
      const upgraded = (await repo.findOneByOrFail({ userId: user.id })).hash;
      expect(upgraded.startsWith('scrypt$1024$8$1$')).toBe(true);
    });
  });
});
