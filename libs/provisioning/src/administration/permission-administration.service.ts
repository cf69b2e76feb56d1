import { Injectable } from '@nestjs/common';
import { GlobalPermission, PermissionsService } from '@nest-scim/identity';
import { ManagedInstance } from './managed-instance.service';

/**
 * Global permissions, by login or group name. Not part of what SCIM manages, so changed by an administrator in either
 * provisioning mode, on local and managed users and groups alike: granting permissions to the groups Entra ID
 * provisions is what SCIM is for. The identity provider cannot turn this into a takeover: it never adopts, renames
 * onto or deactivates a local account, and never removes the last administrator (the identity and provisioning rules).
 */
@Injectable()
export class PermissionAdministration {
  constructor(
    private readonly tx: ManagedInstance,
    private readonly permissions: PermissionsService,
  ) {}

  addUserPermission(login: string, permission: GlobalPermission): Promise<void> {
    return this.tx.run(async (m) => {
      const user = await this.tx.userByLogin(login, m);
      await this.permissions.addUserPermission(user.id, permission, m);
    });
  }

  /** Refused when it would leave no active administrator. */
  removeUserPermission(login: string, permission: GlobalPermission): Promise<void> {
    return this.tx.run(async (m) => {
      const user = await this.tx.userByLogin(login, m);
      await this.permissions.removeUserPermission(user.id, permission, m);
    });
  }

  addGroupPermission(groupName: string, permission: GlobalPermission): Promise<void> {
    return this.tx.run(async (m) => {
      const group = await this.tx.groupByName(groupName, m);
      await this.permissions.addGroupPermission(group.id, permission, m);
    });
  }

  /** Refused when it would leave no active administrator. */
  removeGroupPermission(groupName: string, permission: GlobalPermission): Promise<void> {
    return this.tx.run(async (m) => {
      const group = await this.tx.groupByName(groupName, m);
      await this.permissions.removeGroupPermission(group.id, permission, m);
    });
  }
}
