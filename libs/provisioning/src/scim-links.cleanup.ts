import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ProvisioningModeChange, ProvisioningModeListener } from '@nest-scim/saml';
import { SCIM_DIRECTORY, ScimDirectory } from './directory/scim-directory.port';
import { ScimGroupLinkEntity } from './scim-group-link.entity';
import { ScimGroupProfileEntity } from './scim-group-profile.entity';
import { ScimUserEmailEntity } from './scim-user-email.entity';
import { ScimUserLinkEntity } from './scim-user-link.entity';
import { ScimUserProfileEntity } from './scim-user-profile.entity';

/**
 * Back to just-in-time provisioning: every user and group becomes local and editable again. The SCIM side of each
 * (links, profiles, emails) is dropped, and the directory releases what it marked as managed, in the transaction that
 * switches the mode, so the switch is all or nothing.
 */
@Injectable()
export class ScimLinksCleanup implements ProvisioningModeListener {
  constructor(@Inject(SCIM_DIRECTORY) private readonly directory: ScimDirectory) {}

  async onProvisioningModeChange(change: ProvisioningModeChange, manager: EntityManager): Promise<void> {
    if (change.from !== 'scim' || change.to !== 'jit') return;
    // DELETE rather than TRUNCATE: TRUNCATE commits implicitly on MySQL.
    for (const entity of [
      ScimUserEmailEntity,
      ScimUserProfileEntity,
      ScimGroupProfileEntity,
      ScimUserLinkEntity,
      ScimGroupLinkEntity,
    ]) {
      await manager.createQueryBuilder().delete().from(entity).execute();
    }
    await this.directory.releaseAll(manager);
  }
}
