import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import {
  inTransaction,
  isUniqueViolation,
  readTimestamp,
  runFixedStatement,
  runWithScalarReads,
  ScalarRead,
  scalarValuesOf,
  ScalarValues,
  withScalarReads,
  withTransaction,
} from '@nest-scim/persistence';
import { DomainRuleError, GlobalPermission, PermissionsService, UserEntity } from '@nest-scim/identity';
import {
  LAST_CONNECTION_RESOLUTION_MS,
  MAX_TOKEN_NAME_LENGTH,
  USER_TOKEN_PREFIX,
  USER_TOKEN_RANDOM_BYTES,
} from './auth.constants';
import { AuthenticationFailure } from './auth.errors';
import type { AuthenticatedPrincipal } from './authenticated-principal';
import { InjectAuthDataSource } from './inject-auth.decorator';
import { sameDigest, sha384Hex } from './secrets.util';
import { UserTokenEntity } from './user-token.entity';

export interface GenerateUserTokenInput {
  userId: string;
  name: string;
  /** When the token stops working; none means it does not expire. */
  expiresAt?: Date | null;
}

/** The result of `generate`: the only time the token itself is ever seen. */
export interface GeneratedUserToken {
  token: string;
  id: string;
  name: string;
  createdAt: Date;
  expiresAt: Date | null;
}

/** A token as `search` lists it: never the token, never its hash. */
export interface UserTokenView {
  id: string;
  name: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastConnectionDate: Date | null;
  expired: boolean;
}

const CONTROL = /[\p{Cc}\p{Cf}]/u;

function validateTokenName(name: unknown): string {
  if (typeof name !== 'string' || name.trim().length === 0)
    throw DomainRuleError.invalid('The token name must not be empty');
  if (name.length > MAX_TOKEN_NAME_LENGTH) {
    throw DomainRuleError.invalid(`The token name is too long (${MAX_TOKEN_NAME_LENGTH} characters max)`);
  }
  if (CONTROL.test(name))
    throw DomainRuleError.invalid('The token name must not contain control or invisible characters');
  return name;
}

/**
 * User tokens as the product has them: `squ_` + 40 hex characters, stored as SHA-384 only, a name unique per user, an
 * optional expiry, a throttled last-use date. Who may generate a token for whom is the caller's policy.
 */
@Injectable()
export class UserTokensService {
  /** The authentication statement per permission asked about ('' for none), built once. */
  private readonly statements = new Map<string, AuthenticationStatement>();

  constructor(
    @InjectAuthDataSource() private readonly dataSource: DataSource,
    private readonly permissions: PermissionsService,
  ) {}

  async generate(input: GenerateUserTokenInput, manager?: EntityManager): Promise<GeneratedUserToken> {
    const name = validateTokenName(input.name);
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt !== null && !(expiresAt instanceof Date && expiresAt.getTime() > Date.now())) {
      throw DomainRuleError.invalid('The expiration date must be in the future');
    }
    const token = USER_TOKEN_PREFIX + randomBytes(USER_TOKEN_RANDOM_BYTES).toString('hex');
    return withTransaction(this.dataSource, manager, async (m) => {
      const user = await m.findOneBy(UserEntity, { id: input.userId });
      if (!user) throw DomainRuleError.notFound('User not found');
      if (!user.active) throw DomainRuleError.invalid('Tokens cannot be generated for a deactivated user');
      const duplicate = DomainRuleError.conflict(
        `A user token for login '${user.login}' and name '${name}' already exists`,
      );
      if (await m.existsBy(UserTokenEntity, { userId: user.id, name })) throw duplicate;
      const row: UserTokenEntity = {
        id: randomUUID(),
        userId: user.id,
        name,
        tokenHash: sha384Hex(token),
        createdAt: new Date(),
        expiresAt,
        lastConnectionDate: null,
      };
      try {
        await m.insert(UserTokenEntity, row);
      } catch (error) {
        if (isUniqueViolation(error)) throw duplicate;
        throw error;
      }
      return { token, id: row.id, name, createdAt: row.createdAt, expiresAt };
    });
  }

  /** The user's tokens, newest first. */
  async search(userId: string, manager?: EntityManager): Promise<UserTokenView[]> {
    const rows = await (manager ?? this.dataSource.manager).find(UserTokenEntity, {
      where: { userId },
      order: { createdAt: 'DESC', name: 'ASC' },
    });
    const now = Date.now();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
      lastConnectionDate: r.lastConnectionDate,
      expired: r.expiresAt !== null && r.expiresAt.getTime() <= now,
    }));
  }

  /** Revokes the user's token of that name; false when there was none. It stops working at once. */
  async revoke(userId: string, name: string, manager?: EntityManager): Promise<boolean> {
    const result = await withTransaction(this.dataSource, manager, (m) => m.delete(UserTokenEntity, { userId, name }));
    return (result.affected ?? 0) > 0;
  }

  async revokeAll(userId: string, manager?: EntityManager): Promise<void> {
    await withTransaction(this.dataSource, manager, (m) => m.delete(UserTokenEntity, { userId }));
  }

  /**
   * The SHA-384 digests of every stored token, for an in-process check that a presented token exists before doing
   * anything else with it (see TokenAuthenticationThrottle). Never the tokens themselves.
   */
  async existingDigests(): Promise<string[]> {
    const rows: { token_hash: string }[] = await this.dataSource
      .createQueryBuilder(UserTokenEntity, 't')
      .select('t.tokenHash', 'token_hash')
      .getRawMany();
    return rows.map((r) => r.token_hash);
  }

  /**
   * Authenticates a presented token, or throws an AuthenticationFailure: "Token doesn't exist", "The token expired on
   * <ISO date>" or "User doesn't exist". Every presented value, whatever its length or content, takes the same path:
   * hashed, looked up by hash, compared in constant time.
   */
  async authenticateToken(presented: string): Promise<AuthenticatedPrincipal> {
    return (await this.authenticate(presented, undefined, [])).principal;
  }

  /**
   * As authenticateToken, and whether the token's owner holds `permission` (directly or through a group), read in the
   * same statement: a route behind a token and a permission costs one read, not two.
   */
  async authenticateTokenHolding(
    presented: string,
    permission: GlobalPermission,
  ): Promise<{ principal: AuthenticatedPrincipal; holdsPermission: boolean }> {
    const { principal, holds } = await this.authenticate(presented, permission, []);
    return { principal, holdsPermission: holds };
  }

  /**
   * As authenticateTokenHolding, with other libs' reads (see ScalarRead) carried by the same statement: a request
   * whose check needs the token, the permission and rows of other libs still costs one round trip. Their values are
   * answered only for a token that authenticates; reads on another data source run beside the statement.
   */
  async authenticateTokenWith<R extends readonly ScalarRead<unknown>[]>(
    presented: string,
    permission: GlobalPermission,
    reads: R,
  ): Promise<{ principal: AuthenticatedPrincipal; holdsPermission: boolean; values: ScalarValues<R> }> {
    const { answer, values } = await runWithScalarReads(this.dataSource, reads, async (carried) => {
      const authentication = await this.authenticate(presented, permission, carried);
      return { answer: authentication, values: authentication.values };
    });
    return { principal: answer.principal, holdsPermission: answer.holds, values };
  }

  private async authenticate(
    presented: string,
    permission: GlobalPermission | undefined,
    reads: readonly ScalarRead<unknown>[],
  ): Promise<{ principal: AuthenticatedPrincipal; holds: boolean; values: unknown[] }> {
    const hash = sha384Hex(typeof presented === 'string' ? presented : '');
    const statement = this.statement(permission);
    const parameters = [...statement.parameters];
    parameters[statement.hashIndex] = hash;
    const extended = withScalarReads(statement.sql, parameters, reads);
    const rows = await runFixedStatement<TokenRow[]>(this.dataSource, extended.sql, extended.parameters);
    const row = rows[0];
    if (!row || !sameDigest(row.token_hash, hash)) throw AuthenticationFailure.unknownToken();
    const now = new Date();
    const expiresAt = readTimestamp(row.expires_at, 'nullable');
    if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) throw AuthenticationFailure.expiredToken(expiresAt);
    const account = this.permissions.readAccountStanding(row);
    if (account === null || !account.active) throw AuthenticationFailure.inactiveUser();
    const lastConnectionDate = readTimestamp(row.last_connection_date, 'nullable');
    if (lastConnectionDate === null || now.getTime() - lastConnectionDate.getTime() >= LAST_CONNECTION_RESOLUTION_MS) {
      await inTransaction(this.dataSource, async (m) => {
        await m.update(UserTokenEntity, { id: row.token_id }, { lastConnectionDate: now });
        // The owner's last connection follows, under the same throttle: no write per request on either row.
        await m
          .createQueryBuilder()
          .update(UserEntity)
          .set({ lastConnectionDate: now })
          .where('id = :id AND (last_connection_date IS NULL OR last_connection_date < :since)', {
            id: account.userId,
            since: new Date(now.getTime() - LAST_CONNECTION_RESOLUTION_MS),
          })
          .execute();
      });
    }
    return {
      principal: { userId: account.userId, login: account.login, via: 'token', tokenId: row.token_id },
      holds: account.holdsPermission,
      values: scalarValuesOf(row, reads),
    };
  }

  /**
   * The token's row and its owner's standing (identity's part of the statement), looked up by hash in one statement.
   * Built with the query builder once and then run as text: it runs on every authenticated request, and building a
   * statement costs more than running it.
   */
  private statement(permission: GlobalPermission | undefined): AuthenticationStatement {
    const key = permission ?? '';
    let statement = this.statements.get(key);
    if (!statement) {
      const slot = '\u0000token hash';
      const query = this.dataSource
        .createQueryBuilder(UserTokenEntity, 't')
        .select('t.id', 'token_id')
        .addSelect('t.tokenHash', 'token_hash')
        .addSelect('t.expiresAt', 'expires_at')
        .addSelect('t.lastConnectionDate', 'last_connection_date')
        .where('t.tokenHash = :hash', { hash: slot });
      this.permissions.joinAccountStanding(query, 't.userId', permission);
      const [sql, parameters] = query.getQueryAndParameters();
      statement = { sql, parameters, hashIndex: parameters.indexOf(slot) };
      this.statements.set(key, statement);
    }
    return statement;
  }
}

interface AuthenticationStatement {
  sql: string;
  parameters: unknown[];
  /** Where the token hash goes in `parameters`. */
  hashIndex: number;
}

/** A row of the authentication statement; the account's columns are identity's to read. */
interface TokenRow extends Record<string, unknown> {
  token_id: string;
  token_hash: string;
  expires_at: unknown;
  last_connection_date: unknown;
}
