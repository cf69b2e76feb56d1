import { Injectable } from '@nestjs/common';
import { AdminBootstrapResult, LocalAccountsService, UserTokensService } from '@nest-scim/auth';
import { DomainRuleError, PermissionsService, UsersService } from '@nest-scim/identity';
import { LicenseInfo, LicenseService } from '@nest-scim/license';
import { ScimStatus, ScimSwitch } from './scim-switch.service';

/** What Entra ID's provisioning page needs: the Tenant URL (when the host set `publicUrl`) and the secret token. */
export interface EntraCredentials {
  tenantUrl?: string;
  /** Shown once: only its hash is kept. */
  token: string;
  tokenId: string;
  tokenName: string;
  /** Whose token it is: an active administrator. */
  userId: string;
  login: string;
  expiresAt: Date | null;
}

export interface EntraTokenRequest {
  /** The administrator whose token it is; the one `ensureAdminAccount` gives when unset. */
  userId?: string;
  /** Unique per user; `entra-<ISO time>` when unset. */
  name?: string;
  expiresAt?: Date | null;
}

/**
 * Setting up an instance for Entra ID from a host's own code (a setup script, a first-run step, a test): the steps an
 * admin takes on the admin page, each checked as there. In order: `ensureAdminAccount`, `installLicense`, `enableScim`
 * (the host's sign-in must be ready, when it plugged a check in), `createEntraToken`.
 */
@Injectable()
export class ScimSetup {
  constructor(
    private readonly accounts: LocalAccountsService,
    private readonly licenses: LicenseService,
    private readonly scimSwitch: ScimSwitch,
    private readonly tokens: UserTokensService,
    private readonly users: UsersService,
    private readonly permissions: PermissionsService,
  ) {}

  /** The local `admin` account, created on the first call (a generated password when none is given), with its id. */
  ensureAdminAccount(options: { password?: string } = {}): Promise<AdminBootstrapResult> {
    return this.accounts.ensureAdminAccount(options);
  }

  /** Verifies and installs a signed license key; a bad key is refused with the reason and nothing changes. */
  installLicense(licenseKey: string): Promise<LicenseInfo> {
    return this.licenses.install(licenseKey);
  }

  /** Switches SCIM on (confirmed, as by calling this), unless it is on already; ScimEnableRefusedError otherwise. */
  async enableScim(): Promise<ScimStatus> {
    if (!(await this.scimSwitch.status()).enabled) await this.scimSwitch.enable({ confirmed: true });
    return this.scimSwitch.status();
  }

  /** A new user token of an administrator, with the Tenant URL: what to paste into Entra ID. */
  async createEntraToken(request: EntraTokenRequest = {}): Promise<EntraCredentials> {
    const userId = request.userId ?? (await this.accounts.ensureAdminAccount()).userId;
    const owner = await this.users.findById(userId);
    if (!owner || !(await this.permissions.isAdmin(owner.id))) {
      throw DomainRuleError.invalid('The Entra ID token must belong to an active administrator');
    }
    const generated = await this.tokens.generate({
      userId: owner.id,
      name: request.name ?? `entra-${new Date().toISOString()}`,
      expiresAt: request.expiresAt,
    });
    const { tenantUrl } = await this.scimSwitch.status();
    return {
      ...(tenantUrl ? { tenantUrl } : {}),
      token: generated.token,
      tokenId: generated.id,
      tokenName: generated.name,
      userId: owner.id,
      login: owner.login,
      expiresAt: generated.expiresAt,
    };
  }
}
