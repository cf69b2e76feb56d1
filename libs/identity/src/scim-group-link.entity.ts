import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '@app/persistence';
import { GroupEntity } from './group.entity';

/** Marks a group as managed by the identity provider, under a SCIM id of its own. */
@Entity('scim_groups')
@Index('uq_scim_groups_group_id', ['groupId'], { unique: true })
export class ScimGroupLinkEntity {
  @PrimaryColumn({ name: 'scim_id', type: 'varchar', length: 36 })
  scimId: string;

  @Column({ name: 'group_id', type: 'varchar', length: 36 })
  groupId: string;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: GroupEntity;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
