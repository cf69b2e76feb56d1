// The module object itself (not an ES namespace copy), so a spy sees the services' calls.
import crypto from 'node:crypto';
import { testDialects } from '@nest-scim/persistence/testing';
import { DomainRuleError, UserEntity, UserView } from '@nest-scim/identity';
import { AuthenticationFailure } from './auth.errors';
import { AuthTestDatabase, openAuthTestDatabase } from './testing';
import { UserTokenEntity } from './user-token.entity';

const TOKEN_SHAPE = /^squ_[0-9a-f]{40}$/;

async function failure(promise: Promise<unknown>): Promise<AuthenticationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationFailure);
  return error as AuthenticationFailure;
}

describe.each(testDialects())('UserTokensService (%s)', (dialect) => {
  let db: AuthTestDatabase;
  let owner: UserView;

  beforeAll(async () => {
    db = await openAuthTestDatabase(dialect);
    owner = await db.users.create({ login: 'scim-bot', local: true });
    await db.permissions.addUserPermission(owner.id, 'admin');
    // A second administrator, so that the owner may be deactivated.
    const other = await db.users.create({ login: 'other-admin', local: true });
    await db.permissions.addUserPermission(other.id, 'admin');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('generates squ_ + 40 hex characters and authenticates with it', async () => {
    const generated = await db.tokens.generate({ userId: owner.id, name: 'entra' });
    expect(generated.token).toMatch(TOKEN_SHAPE);
    expect(generated).toMatchObject({ name: 'entra', expiresAt: null });
    const principal = await db.tokens.authenticateToken(generated.token);
    expect(principal).toEqual({ userId: owner.id, login: 'scim-bot', via: 'token', tokenId: generated.id });
  });

  it('stores only the SHA-384 of the token', async () => {
    const { token, id } = await db.tokens.generate({ userId: owner.id, name: 'hash-only' });
    const rows: Record<string, unknown>[] = await db.dataSource.query('SELECT * FROM user_tokens');
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.slice(4));
    const row = rows.find((r) => r.id === id)!;
    expect(row.token_hash).toBe(crypto.createHash('sha384').update(token).digest('hex'));
  });

  it('never returns the token or its hash when listing', async () => {
    const { token } = await db.tokens.generate({ userId: owner.id, name: 'listed' });
    const listed = await db.tokens.search(owner.id);
    expect(listed.map((t) => t.name)).toEqual(expect.arrayContaining(['entra', 'listed']));
    for (const t of listed)
      expect(Object.keys(t).sort()).toEqual(['createdAt', 'expired', 'expiresAt', 'id', 'lastConnectionDate', 'name']);
    expect(JSON.stringify(listed)).not.toContain(token);
  });

  it('refuses a second token of the same name for one user, not for another user', async () => {
    await db.tokens.generate({ userId: owner.id, name: 'twice' });
    const error = await db.tokens.generate({ userId: owner.id, name: 'twice' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainRuleError);
    expect(error).toMatchObject({
      code: 'conflict',
      message: "A user token for login 'scim-bot' and name 'twice' already exists",
    });
    const someoneElse = await db.users.create({ login: 'someone', local: true });
    await expect(db.tokens.generate({ userId: someoneElse.id, name: 'twice' })).resolves.toBeDefined();
  });

  it('refuses an expiration date in the past and an empty name', async () => {
    await expect(
      db.tokens.generate({ userId: owner.id, name: 'old', expiresAt: new Date(Date.now() - 1000) }),
    ).rejects.toThrow('The expiration date must be in the future');
    await expect(db.tokens.generate({ userId: owner.id, name: '  ' })).rejects.toThrow(
      'The token name must not be empty',
    );
  });

  it('fails wrong-length and wrong-content tokens alike, through the constant-time comparison', async () => {
    const { token } = await db.tokens.generate({ userId: owner.id, name: 'probe' });
    const flip = (c: string) => (c === 'a' ? 'b' : 'a');
    const candidates = [
      token.slice(0, -1),
      `${token}0`,
      token.slice(0, -1) + flip(token.slice(-1)),
      `squ_${flip(token[4])}${token.slice(5)}`,
      token.toUpperCase(),
      '',
      'x'.repeat(5000),
      `sqa_${token.slice(4)}`,
    ];
    for (const candidate of candidates) {
      const error = await failure(db.tokens.authenticateToken(candidate));
      expect([error.reason, error.message, error.getStatus()]).toEqual(['unknown_token', "Token doesn't exist", 401]);
    }
    const compare = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      await db.tokens.authenticateToken(token);
      expect(compare).toHaveBeenCalledTimes(1);
      const [a, b] = compare.mock.calls[0] as [Buffer, Buffer];
      expect([a.length, b.length]).toEqual([48, 48]);
    } finally {
      compare.mockRestore();
    }
  });

  it('stops working the moment it is revoked', async () => {
    const { token } = await db.tokens.generate({ userId: owner.id, name: 'to-revoke' });
    await db.tokens.authenticateToken(token);
    expect(await db.tokens.revoke(owner.id, 'to-revoke')).toBe(true);
    expect((await failure(db.tokens.authenticateToken(token))).message).toBe("Token doesn't exist");
    expect(await db.tokens.revoke(owner.id, 'to-revoke')).toBe(false);
  });

  it('stops working once expired, saying when', async () => {
    const soon = new Date(Date.now() + 60_000);
    const { token, id } = await db.tokens.generate({ userId: owner.id, name: 'expiring', expiresAt: soon });
    await db.tokens.authenticateToken(token);
    const past = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    await db.dataSource.getRepository(UserTokenEntity).update({ id }, { expiresAt: past });
    const error = await failure(db.tokens.authenticateToken(token));
    expect([error.reason, error.message]).toEqual(['expired_token', 'The token expired on 2024-01-02T03:04:05.678Z']);
    expect((await db.tokens.search(owner.id)).find((t) => t.id === id)?.expired).toBe(true);
  });

  it("says the user doesn't exist when the owner is inactive", async () => {
    const user = await db.users.create({ login: 'inactive-owner', local: true });
    const { token } = await db.tokens.generate({ userId: user.id, name: 't' });
    // Straight in the table: the path the deactivation services never leave open, checked on its own.
    await db.dataSource.getRepository(UserEntity).update({ id: user.id }, { active: false });
    const error = await failure(db.tokens.authenticateToken(token));
    expect([error.reason, error.message]).toEqual(['inactive_user', "User doesn't exist"]);
  });

  it.each(['product', 'provisioning'] as const)(
    "is deleted when the owner is deactivated (%s flavour), with the owner's sessions",
    async (flavour) => {
      const user = await db.users.create({ login: `deactivated-${flavour}`, local: true });
      const { token } = await db.tokens.generate({ userId: user.id, name: 'entra' });
      const session = await db.sessions.createSession(user.id);
      await db.users.deactivate(user.id, { flavour });
      expect((await failure(db.tokens.authenticateToken(token))).reason).toBe('unknown_token');
      expect(await db.sessions.resolveSession(session.token)).toBeUndefined();
      expect(await db.dataSource.getRepository(UserTokenEntity).countBy({ userId: user.id })).toBe(0);
      await db.users.reactivate(user.id);
      expect((await failure(db.tokens.authenticateToken(token))).reason).toBe('unknown_token');
    },
  );

  it('records the last use at most once a minute', async () => {
    const { token, id } = await db.tokens.generate({ userId: owner.id, name: 'last-used' });
    const repo = db.dataSource.getRepository(UserTokenEntity);
    expect((await repo.findOneByOrFail({ id })).lastConnectionDate).toBeNull();
    await db.tokens.authenticateToken(token);
    const first = (await repo.findOneByOrFail({ id })).lastConnectionDate!;
    expect(Date.now() - first.getTime()).toBeLessThan(10_000);

    const thirtySecondsAgo = new Date(Date.now() - 30_000);
    await repo.update({ id }, { lastConnectionDate: thirtySecondsAgo });
    await db.tokens.authenticateToken(token);
    expect((await repo.findOneByOrFail({ id })).lastConnectionDate?.getTime()).toBe(thirtySecondsAgo.getTime());

    await repo.update({ id }, { lastConnectionDate: new Date(Date.now() - 61_000) });
    await db.tokens.authenticateToken(token);
    expect(Date.now() - (await repo.findOneByOrFail({ id })).lastConnectionDate!.getTime()).toBeLessThan(10_000);
  });

  it('says in the same statement whether the owner holds a permission, directly or through a group', async () => {
    const direct = await db.tokens.generate({ userId: owner.id, name: 'holding-direct' });
    const viaGroup = await db.users.create({ login: 'group-admin', local: true });
    const group = await db.groups.create({ name: 'token-admins' });
    await db.permissions.addGroupPermission(group.id, 'admin');
    await db.membership.addMembers(group.id, [viaGroup.id]);
    const grouped = await db.tokens.generate({ userId: viaGroup.id, name: 'holding-group' });
    const plain = await db.users.create({ login: 'plain-user', local: true });
    const none = await db.tokens.generate({ userId: plain.id, name: 'holding-none' });

    const holding = async (token: string) => (await db.tokens.authenticateTokenHolding(token, 'admin')).holdsPermission;
    expect(await holding(direct.token)).toBe(true);
    expect(await holding(grouped.token)).toBe(true);
    expect(await holding(none.token)).toBe(false);
    const { principal } = await db.tokens.authenticateTokenHolding(grouped.token, 'admin');
    expect(principal).toEqual({ userId: viaGroup.id, login: 'group-admin', via: 'token', tokenId: grouped.id });

    // Taking the group's permission away shows at the next authentication.
    await db.permissions.removeGroupPermission(group.id, 'admin');
    expect(await holding(grouped.token)).toBe(false);
    const unknown = await failure(db.tokens.authenticateTokenHolding(`squ_${'0'.repeat(40)}`, 'admin'));
    expect(unknown.reason).toBe('unknown_token');
  });
});
