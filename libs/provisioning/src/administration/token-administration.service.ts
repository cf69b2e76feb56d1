import { Injectable } from '@nestjs/common';
import { GeneratedUserToken, UserTokensService, UserTokenView } from '@nest-scim/auth';
import { ManagedInstance } from './managed-instance.service';

/** A token together with the login of its owner. */
export interface OwnedToken extends GeneratedUserToken {
  login: string;
}

/**
 * User tokens by their owner's login (an administrator may act on another user's tokens), such as the one an admin
 * pastes into Entra ID. The token itself is in the answer of `generate` and nowhere else, ever.
 */
@Injectable()
export class TokenAdministration {
  constructor(
    private readonly tx: ManagedInstance,
    private readonly tokens: UserTokensService,
  ) {}

  generate(login: string, input: { name: string; expiresAt?: Date | null }): Promise<OwnedToken> {
    return this.tx.run(async (m) => {
      const owner = await this.tx.userByLogin(login, m);
      const generated = await this.tokens.generate(
        { userId: owner.id, name: input.name, expiresAt: input.expiresAt },
        m,
      );
      return { ...generated, login: owner.login };
    });
  }

  async search(login: string): Promise<{ login: string; tokens: UserTokenView[] }> {
    const owner = await this.tx.userByLogin(login);
    return { login: owner.login, tokens: await this.tokens.search(owner.id) };
  }

  /** Revoking a name that does not exist does nothing. */
  revoke(login: string, name: string): Promise<void> {
    return this.tx.run(async (m) => {
      const owner = await this.tx.userByLogin(login, m);
      await this.tokens.revoke(owner.id, name, m);
    });
  }
}
