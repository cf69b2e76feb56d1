import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { LessThan } from 'typeorm';
import { DomainRuleError, UserEntity } from '@nest-scim/identity';
import { deleteInBatches, withTransaction } from '@nest-scim/persistence';
import type { ResolvedAuthOptions } from './auth-options.interface';
import type { AuthenticatedPrincipal } from './authenticated-principal';
import { InjectAuthDataSource, InjectAuthOptions } from './inject-auth.decorator';
import { sameDigest, sha256Hex } from './secrets.util';
import { UserSessionEntity } from './user-session.entity';

export interface CreatedSession {
  /** The value for the HttpOnly cookie; only its SHA-256 is stored. */
  token: string;
  expiresAt: Date;
}

/** Admin-page sessions. The cookie itself is the host's business; this keeps the server side. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectAuthDataSource() private readonly dataSource: DataSource,
    @InjectAuthOptions() private readonly options: ResolvedAuthOptions,
  ) {}

  async createSession(userId: string, manager?: EntityManager): Promise<CreatedSession> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.options.sessionTtlSeconds * 1000);
    await withTransaction(this.dataSource, manager, async (m) => {
      const user = await m.findOneBy(UserEntity, { id: userId });
      if (!user || !user.active) throw DomainRuleError.notFound('User not found');
      await m.insert(UserSessionEntity, {
        id: randomUUID(),
        userId,
        tokenHash: sha256Hex(token),
        createdAt: now,
        expiresAt,
      });
      // A sign-in (password or SAML) is a connection: recorded on the user, as the product shows it in user searches.
      await m.update(UserEntity, { id: userId }, { lastConnectionDate: now });
    });
    return { token, expiresAt };
  }

  /** The principal of a live session; undefined for an unknown, expired or revoked one, or an inactive user. */
  async resolveSession(token: string | undefined): Promise<AuthenticatedPrincipal | undefined> {
    if (typeof token !== 'string' || token.length === 0) return undefined;
    const hash = sha256Hex(token);
    const row = await this.dataSource.manager.findOne(UserSessionEntity, {
      where: { tokenHash: hash },
      relations: { user: true },
    });
    if (!row || !sameDigest(row.tokenHash, hash)) return undefined;
    if (row.expiresAt.getTime() <= Date.now() || !row.user?.active) return undefined;
    return { userId: row.user.id, login: row.user.login, via: 'session' };
  }

  /** Ends a session (sign-out). */
  async revokeSession(token: string, manager?: EntityManager): Promise<void> {
    if (typeof token !== 'string' || token.length === 0) return;
    await withTransaction(this.dataSource, manager, (m) =>
      m.delete(UserSessionEntity, { tokenHash: sha256Hex(token) }),
    );
  }

  async revokeAllSessions(userId: string, manager?: EntityManager): Promise<void> {
    await withTransaction(this.dataSource, manager, (m) => m.delete(UserSessionEntity, { userId }));
  }

  /** Deletes expired sessions in bounded batches; returns how many. For a periodic clean-up, on any instance. */
  async purgeExpired(now = new Date()): Promise<number> {
    return deleteInBatches(this.dataSource, UserSessionEntity, 'id', { expiresAt: LessThan(now) });
  }
}
