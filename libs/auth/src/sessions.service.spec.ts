// The module object itself (not an ES namespace copy), so a spy sees the services' calls.
import crypto from 'node:crypto';
import { testDialects } from '@nest-scim/persistence/testing';
import { AuthTestDatabase, openAuthTestDatabase } from './testing';
import { UserSessionEntity } from './user-session.entity';

describe.each(testDialects())('SessionsService (%s)', (dialect) => {
  let db: AuthTestDatabase;

  beforeAll(async () => {
    db = await openAuthTestDatabase(dialect, { sessionTtlSeconds: 3600 });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('resolves a new session to its user, and stores only a SHA-256 of it', async () => {
    const user = await db.users.create({ login: 'session-user', local: true });
    const { token, expiresAt } = await db.sessions.createSession(user.id);
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(3590_000);
    expect(await db.sessions.resolveSession(token)).toEqual({ userId: user.id, login: 'session-user', via: 'session' });
    const dump = JSON.stringify(await db.dataSource.query('SELECT * FROM user_sessions'));
    expect(dump).not.toContain(token);
    expect(dump).toContain(crypto.createHash('sha256').update(token).digest('hex'));
  });

  it('resolves nothing for an unknown, revoked or expired session', async () => {
    const user = await db.users.create({ login: 'session-ends', local: true });
    const a = await db.sessions.createSession(user.id);
    const b = await db.sessions.createSession(user.id);
    expect(await db.sessions.resolveSession(`${a.token}x`)).toBeUndefined();
    expect(await db.sessions.resolveSession('')).toBeUndefined();
    await db.sessions.revokeSession(a.token);
    expect(await db.sessions.resolveSession(a.token)).toBeUndefined();
    expect(await db.sessions.resolveSession(b.token)).toBeDefined();
    await db.dataSource
      .getRepository(UserSessionEntity)
      .update({ userId: user.id }, { expiresAt: new Date(Date.now() - 1000) });
    expect(await db.sessions.resolveSession(b.token)).toBeUndefined();
    await db.sessions.purgeExpired();
    expect(await db.dataSource.getRepository(UserSessionEntity).countBy({ userId: user.id })).toBe(0);
  });

  it('refuses a session for an inactive user', async () => {
    const user = await db.users.create({ login: 'session-inactive', local: true });
    await db.users.deactivate(user.id);
    await expect(db.sessions.createSession(user.id)).rejects.toThrow('User not found');
  });
});
