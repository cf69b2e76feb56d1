import { DynamicModule, Module, ModuleMetadata, Provider, Type } from '@nestjs/common';
import { ProvisionedSignIn } from '../sign-in/provisioned-sign-in.service';
import { GroupAdministration } from './group-administration.service';
import { ManagedInstance } from './managed-instance.service';
import { PermissionAdministration } from './permission-administration.service';
import { ScimSetup } from './scim-setup.service';
import { ScimSideCopies } from './scim-side-copies.service';
import { ScimSwitch } from './scim-switch.service';
import { SIGN_IN_READINESS, SignInReadiness } from './sign-in-readiness';
import { TokenAdministration } from './token-administration.service';
import { UserAdministration } from './user-administration.service';

export const ADMINISTRATION_SERVICES = [
  ManagedInstance,
  ScimSideCopies,
  UserAdministration,
  GroupAdministration,
  PermissionAdministration,
  TokenAdministration,
  ScimSwitch,
  ScimSetup,
  ProvisionedSignIn,
];

/**
 * The product's rules of a managed instance as services: user, group, permission and token administration under the
 * "externally managed" refusals, the SCIM switch with its prerequisites, the setup steps, and the SCIM-mode sign-in
 * rule. `imports` must hold the feature's settings, identity, auth, license and SAML modules (and whatever the host's
 * SignInReadiness injects).
 */
@Module({})
export class ProvisioningAdministrationModule {
  static register(
    imports: NonNullable<ModuleMetadata['imports']>,
    signInReadiness: Type<SignInReadiness> | undefined,
  ): DynamicModule {
    const readiness: Provider[] = signInReadiness
      ? [signInReadiness, { provide: SIGN_IN_READINESS, useExisting: signInReadiness }]
      : [];
    return {
      module: ProvisioningAdministrationModule,
      imports,
      providers: [...readiness, ...ADMINISTRATION_SERVICES],
      exports: ADMINISTRATION_SERVICES,
    };
  }
}
