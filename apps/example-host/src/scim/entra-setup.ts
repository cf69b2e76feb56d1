import type { INestApplication } from '@nestjs/common';
import { LocalAccountsService, UserTokensService } from '@app/auth';
import { UsersService } from '@app/identity';
import { LicenseService } from '@app/license';
import { ProvisioningModeService } from '@app/saml';

export interface EntraSetup {
  /** The secret token to paste into Entra ID (Provisioning › Admin Credentials). */
  token: string;
}

/**
 * What an administrator of the product does once before connecting Entra ID: switch SCIM on (the license must allow
 * it) and make a token for Entra. The token belongs to the provisioning feature's own `admin` account, which exists
 * only to hold it; the product's people are the ones Entra provisions into `people`.
 */
export async function setUpEntraProvisioning(app: INestApplication, tokenName: string): Promise<EntraSetup> {
  // No one signs in with this account's password: it is generated, and never shown.
  await app.get(LocalAccountsService).ensureAdminAccount();
  const admin = await app.get(UsersService).findByLogin('admin');
  if (!admin) throw new Error("The provisioning 'admin' account is missing");
  const mode = app.get(ProvisioningModeService);
  if (!(await mode.isScimEnabled())) await mode.enableScim({ confirmed: true, license: app.get(LicenseService) });
  const { token } = await app.get(UserTokensService).generate({ userId: admin.id, name: tokenName });
  return { token };
}
