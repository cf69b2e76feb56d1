import type { INestApplication } from '@nestjs/common';
import { ScimSetup } from '@nest-scim/provisioning';

export interface EntraSetup {
  /** The secret token to paste into Entra ID (Provisioning › Admin Credentials). */
  token: string;
}

/**
 * What an administrator of the product does once before connecting Entra ID, through the feature's setup API: switch
 * SCIM on (the license must allow it; this product plugs no sign-in prerequisite, its sign-in being its own) and make
 * a token for Entra. The token belongs to the provisioning feature's own `admin` account, which exists only to hold
 * it; the product's people are the ones Entra provisions into `people`.
 */
export async function setUpEntraProvisioning(app: INestApplication, tokenName: string): Promise<EntraSetup> {
  const setup = app.get(ScimSetup);
  // No one signs in with this account's password: it is generated, and never shown.
  await setup.ensureAdminAccount();
  await setup.enableScim();
  const { token } = await setup.createEntraToken({ name: tokenName });
  return { token };
}
