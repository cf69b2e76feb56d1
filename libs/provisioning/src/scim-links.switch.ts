import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ProvisioningModeChange, ProvisioningModeListener } from '@nest-scim/saml';
import { SCIM_DIRECTORY, ScimDirectory } from './directory/scim-directory.port';
import { ScimGroupLinkEntity } from './scim-group-link.entity';
import { ScimUserLinkEntity } from './scim-user-link.entity';

/** Ids read per page when resuming the links. */
const PAGE = 1000;

/**
 * What a switch of the provisioning mode does to SCIM's links, in the transaction that switches it (all or nothing):
 * - back to just-in-time: every user and group becomes the product's, editable here (the directory releases what it
 *   marked as managed), but the links and side tables stay, dormant;
 * - on (again): the users and groups still linked are the identity provider's again, under the SCIM ids it knows, so
 *   its next cycle finds every one of them (a 404 on a known id puts Entra's job in quarantine). What the product
 *   changed meanwhile is in the side tables already (ScimSideCopies), and moved each resource's version.
 */
@Injectable()
export class ScimLinksSwitch implements ProvisioningModeListener {
  constructor(@Inject(SCIM_DIRECTORY) private readonly directory: ScimDirectory) {}

  async onProvisioningModeChange(change: ProvisioningModeChange, manager: EntityManager): Promise<void> {
    if (change.to === 'jit') {
      await this.directory.releaseAll(manager);
      return;
    }
    const users = await this.linked(manager, ScimUserLinkEntity, 'userId');
    const groups = await this.linked(manager, ScimGroupLinkEntity, 'groupId');
    await this.directory.resumeAll(manager, { users, groups });
  }

  /** Every linked product id, read in pages of the link table's primary key. */
  private async linked<E extends ScimUserLinkEntity | ScimGroupLinkEntity>(
    m: EntityManager,
    entity: new () => E,
    column: 'userId' | 'groupId',
  ): Promise<string[]> {
    const ids: string[] = [];
    let after = '';
    for (;;) {
      const rows: { scim_id: string; product_id: string }[] = await m
        .createQueryBuilder(entity, 'l')
        .select('l.scimId', 'scim_id')
        .addSelect(`l.${column}`, 'product_id')
        .where('l.scimId > :after', { after })
        .orderBy('l.scimId', 'ASC')
        .limit(PAGE)
        .getRawMany();
      ids.push(...rows.map((row) => row.product_id));
      if (rows.length < PAGE) return ids;
      after = rows[rows.length - 1].scim_id;
    }
  }
}
