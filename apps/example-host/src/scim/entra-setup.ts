import type { INestApplication } from '@nestjs/common';
import { LocalAccountsService, UserTokensService } from '@app/auth';
import { UsersService } from '@app/identity';
import { LicenseService } from '@app/license';
import { ProvisioningModeService } from '@app/saml';

export interface EntraSetup {
  /** The secret token to paste into Entra ID (Provisioning › Admin Credentials). */
  token: string;
}

/** Switches SCIM on through the feature's switch, which checks its prerequisites (the license among them). */
export async function switchScimOn(app: INestApplication): Promise<void> {
  const mode = app.get(ProvisioningModeService);
  if (!(await mode.isScimEnabled())) await mode.enableScim({ confirmed: true, license: app.get(LicenseService) });
}

/**
 * What an administrator of the product does once before connecting Entra ID: switch SCIM on (the license must allow
 * it) and make a token for Entra. The token belongs to the provisioning feature's own `admin` account, which exists
 * only to hold it; the product's people are the ones Entra provisions into `people`.
 */
export async function setUpEntraProvisioning(
  app: INestApplication,
  tokenName: string,
  switchOn: (app: INestApplication) => Promise<void> = switchScimOn,
): Promise<EntraSetup> {
  // No one signs in with this account's password: it is generated, and never shown.
  await app.get(LocalAccountsService).ensureAdminAccount();
  const admin = await app.get(UsersService).findByLogin('admin');
  if (!admin) throw new Error("The provisioning 'admin' account is missing");
  await switchOn(app);
  const { token } = await app.get(UserTokensService).generate({ userId: admin.id, name: tokenName });
  return { token };
}
