import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NamedIndex, TimestampColumn } from '@nest-scim/persistence';
import { PRODUCT_ID_LENGTH } from './scim-user-link.entity';

/**
 * The SCIM side of a managed group, keyed by the product group's id. `display_name` is the product group's name as
 * SCIM last wrote it through the directory (with its case-folded key, for filters); members are the product's
 * memberships. `version` moves on every change that changes something, membership changes included, and its row is
 * the lock that orders concurrent writes to one group.
 */
@Entity('scim_group_profiles')
@NamedIndex('ix_scim_group_profiles_display_name', ['displayNameNormalized'])
@NamedIndex('ix_scim_group_profiles_external_id', ['externalId'])
@NamedIndex('ix_scim_group_profiles_created', ['createdAt', 'groupId'])
@NamedIndex('ix_scim_group_profiles_updated', ['updatedAt', 'groupId'])
export class ScimGroupProfileEntity {
  @PrimaryColumn({ name: 'group_id', type: 'varchar', length: PRODUCT_ID_LENGTH })
  groupId: string;

  @Column({ name: 'display_name', type: 'varchar', length: 255 })
  displayName: string;

  @Column({ name: 'display_name_normalized', type: 'varchar', length: 255 })
  displayNameNormalized: string;

  @Column({ name: 'external_id', type: 'varchar', length: 255, nullable: true })
  externalId: string | null;

  @Column({ name: 'version', type: 'integer' })
  version: number;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}
