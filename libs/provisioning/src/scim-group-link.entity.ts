import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NamedIndex, TimestampColumn } from '@nest-scim/persistence';
import { PRODUCT_ID_LENGTH } from './scim-user-link.entity';

/** Marks a product group as managed by the identity provider, under a SCIM id of its own (see ScimUserLinkEntity). */
@Entity('scim_groups')
@NamedIndex('uq_scim_groups_group_id', ['groupId'], { unique: true })
export class ScimGroupLinkEntity {
  @PrimaryColumn({ name: 'scim_id', type: 'varchar', length: 36 })
  scimId: string;

  @Column({ name: 'group_id', type: 'varchar', length: PRODUCT_ID_LENGTH })
  groupId: string;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
