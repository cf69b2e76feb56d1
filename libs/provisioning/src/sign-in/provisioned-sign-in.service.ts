import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { CreatedSession, SessionsService } from '@nest-scim/auth';
import {
  DomainRuleError,
  ExternalProvider,
  GroupsService,
  IDENTITY_DATA_SOURCE,
  MembershipService,
  UsersService,
  UserView,
} from '@nest-scim/identity';
import { inTransaction } from '@nest-scim/persistence';
import { ProvisioningModeService } from '@nest-scim/saml';
import { ScimSideCopies } from '../administration/scim-side-copies.service';
import { PROVISIONING_OPTIONS, ScimProvisioningOptions } from '../provisioning-options.interface';

/** A person the host's sign-in (SAML, OIDC…) vouched for: the values its identity provider asserted. */
export interface SignInIdentity {
  /** The value matched against the accounts' external login; SCIM sets it to the userName. */
  login: string;
  name: string;
  email: string | null;
  /** Names of groups to join just in time; unknown names are ignored. */
  groups: readonly string[];
}

/** The product's name when the host names none, in "You have no account on <product>." */
export const DEFAULT_PRODUCT_NAME = 'this product';

export type SignInRefusalReason =
  /** SCIM mode and no account SCIM provisioned for this login. */
  | 'no_account'
  /** The account exists but is deactivated. */
  | 'deactivated'
  /** Just-in-time mode, and the login already belongs to another account (a local one, say). */
  | 'login_taken'
  /** Just-in-time mode, and the login or name is one the product cannot store (too long, control characters). */
  | 'invalid_identity';

export type SignInOutcome =
  | { kind: 'signed_in'; user: UserView; session: CreatedSession; created: boolean }
  | { kind: 'refused'; reason: SignInRefusalReason; message: string };

/**
 * What a person the host's sign-in vouched for may do here, by the provisioning mode (the SCIM-mode sign-in rule):
 * - just in time, an unknown login gets an external account, a known one has its name and email refreshed, and the
 *   group attribute joins it to existing groups of those names;
 * - under SCIM, only an active account SCIM manages may sign in, and nothing is created or changed: the identity
 *   provider keeps those accounts up to date through SCIM.
 * Local accounts never sign in through SAML (they have no external login); they keep their password.
 */
@Injectable()
export class ProvisionedSignIn {
  constructor(
    @Inject(IDENTITY_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(PROVISIONING_OPTIONS) private readonly options: ScimProvisioningOptions,
    private readonly provisioningMode: ProvisioningModeService,
    private readonly users: UsersService,
    private readonly groups: GroupsService,
    private readonly membership: MembershipService,
    private readonly sessions: SessionsService,
    private readonly copies: ScimSideCopies,
  ) {}

  /**
   * Opens a session for the identity, or says why not. `provider` is recorded on accounts created just in time.
   */
  async signIn(identity: SignInIdentity, provider: ExternalProvider = 'saml'): Promise<SignInOutcome> {
    const attempt = () =>
      inTransaction(this.dataSource, async (m) => {
        // Read inside the transaction (a shared lock on MySQL): a switch of the mode waits for this sign-in.
        const mode = await this.provisioningMode.currentMode(m);
        return mode === 'scim' ? this.signInManaged(identity, m) : this.signInJustInTime(identity, provider, m);
      });
    try {
      try {
        return await attempt();
      } catch (error) {
        // Another sign-in of the same new login won the race to create it; this one then finds it.
        if (error instanceof DomainRuleError && error.code === 'conflict') return await attempt();
        throw error;
      }
    } catch (error) {
      if (error instanceof DomainRuleError && error.code === 'invalid') {
        return { kind: 'refused', reason: 'invalid_identity', message: error.message };
      }
      throw error;
    }
  }

  private async signInManaged(identity: SignInIdentity, m: EntityManager): Promise<SignInOutcome> {
    // SCIM sets the external login to the userName, so the login attribute and Entra's userName must agree.
    const user = await this.findExternal(identity.login, m);
    if (!user || !user.managed) return this.refuse('no_account');
    if (!user.active) return this.refuse('deactivated');
    return { kind: 'signed_in', user, session: await this.sessions.createSession(user.id, m), created: false };
  }

  private async signInJustInTime(
    identity: SignInIdentity,
    provider: ExternalProvider,
    m: EntityManager,
  ): Promise<SignInOutcome> {
    let user = await this.findExternal(identity.login, m);
    let created = false;
    if (user) {
      // An administrator's deactivation stands: unlike the product, signing in again does not reactivate.
      if (!user.active) return this.refuse('deactivated');
      user = await this.refreshProfile(user, identity, m);
    } else {
      if (await this.users.findByLogin(identity.login, m)) return this.refuse('login_taken', identity.login);
      user = await this.users.create(
        {
          login: identity.login,
          name: identity.name,
          email: usableEmail(identity.email),
          local: false,
          externalLogin: identity.login,
          externalProvider: provider,
        },
        m,
      );
      created = true;
    }
    await this.joinGroups(user.id, identity.groups, m);
    return { kind: 'signed_in', user, session: await this.sessions.createSession(user.id, m), created };
  }

  /** By external login; an account SCIM manages is also found by its login (the userName) should the two differ. */
  private async findExternal(login: string, m: EntityManager): Promise<UserView | null> {
    const byExternalLogin = await this.users.findByExternalLogin(login, m);
    if (byExternalLogin) return byExternalLogin;
    const byLogin = await this.users.findByLogin(login, m);
    return byLogin && byLogin.managed && !byLogin.local ? byLogin : null;
  }

  private async refreshProfile(user: UserView, identity: SignInIdentity, m: EntityManager): Promise<UserView> {
    const email = usableEmail(identity.email) ?? user.email;
    if (user.name === identity.name && user.email === email) return user;
    try {
      const updated = await this.users.update(user.id, { name: identity.name, email }, m);
      // An account SCIM linked before the switch back to just in time: its SCIM copy follows.
      await this.copies.userChanged(m, user.id);
      return updated;
    } catch (error) {
      // A value the product would not store (control characters, say) leaves the profile as it was; the update
      // validates before it writes, so the transaction is untouched.
      if (error instanceof DomainRuleError && error.code === 'invalid') return user;
      throw error;
    }
  }

  /**
   * Joins the groups the attribute names that exist here; unknown names are ignored, as the product does, and the
   * default group needs no joining. Memberships the attribute no longer names are left alone.
   */
  private async joinGroups(userId: string, names: readonly string[], m: EntityManager): Promise<void> {
    for (const name of names) {
      const group = await this.groups.findByName(name, m);
      if (!group || group.builtIn === 'default') continue;
      const wasMember = await this.membership.isMember(group.id, userId, m);
      await this.membership.addMembers(group.id, [userId], m);
      if (!wasMember) await this.copies.memberChanged(m, group.id, userId);
    }
  }

  private refuse(reason: Exclude<SignInRefusalReason, 'invalid_identity'>, login?: string): SignInOutcome {
    const product = this.options.productName ?? DEFAULT_PRODUCT_NAME;
    const message =
      reason === 'login_taken'
        ? `The login '${login}' is already used by another account on ${product}.`
        : `You have no account on ${product}.`;
    return { kind: 'refused', reason, message };
  }
}

/** The identity provider's email, when it is one the product would store. */
function usableEmail(email: string | null): string | null {
  return email !== null && /^[^\s@]+@[^\s@]+$/u.test(email) && email.length <= 255 ? email : null;
}
