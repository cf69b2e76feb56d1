import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '@app/persistence';
import { GroupEntity } from '@app/identity';

/**
 * The SCIM side of a managed group. The name is the product group's; members are the product's memberships. `version`
 * moves on every change, membership changes included, and its row is the lock that orders concurrent PATCHes of one
 * group.
 */
@Entity('scim_group_profiles')
@Index('ix_scim_group_profiles_external_id', ['externalId'])
@Index('ix_scim_group_profiles_created', ['createdAt', 'groupId'])
@Index('ix_scim_group_profiles_updated', ['updatedAt', 'groupId'])
export class ScimGroupProfileEntity {
  @PrimaryColumn({ name: 'group_id', type: 'varchar', length: 36 })
  groupId: string;

  @OneToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: GroupEntity;

  @Column({ name: 'external_id', type: 'varchar', length: 255, nullable: true })
  externalId: string | null;

  @Column({ name: 'version', type: 'integer' })
  version: number;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}
