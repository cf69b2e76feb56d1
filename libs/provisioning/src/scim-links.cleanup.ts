import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ManagedStateService } from '@app/identity';
import type { ProvisioningModeChange, ProvisioningModeListener } from '@app/saml';
import { ScimGroupProfileEntity } from './scim-group-profile.entity';
import { ScimUserEmailEntity } from './scim-user-email.entity';
import { ScimUserProfileEntity } from './scim-user-profile.entity';

/**
 * Back to just-in-time provisioning: every user and group becomes local and editable again. The SCIM side of each
 * (links, profiles, emails) is dropped in the transaction that switches the mode, so the switch is all or nothing.
 */
@Injectable()
export class ScimLinksCleanup implements ProvisioningModeListener {
  constructor(private readonly managed: ManagedStateService) {}

  async onProvisioningModeChange(change: ProvisioningModeChange, manager: EntityManager): Promise<void> {
    if (change.from !== 'scim' || change.to !== 'jit') return;
    await manager.createQueryBuilder().delete().from(ScimUserEmailEntity).execute();
    await manager.createQueryBuilder().delete().from(ScimUserProfileEntity).execute();
    await manager.createQueryBuilder().delete().from(ScimGroupProfileEntity).execute();
    await this.managed.dropAllLinks(manager);
  }
}
