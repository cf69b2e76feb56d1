import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { NamedIndex, TimestampColumn } from '@nest-scim/persistence';
import type { GlobalPermission } from './identity.constants';
import { GroupEntity } from './group.entity';

/** A global permission held by a group, and so by each of its active members. */
@Entity('group_permissions')
@NamedIndex('ix_group_permissions_permission', ['permission'])
export class GroupPermissionEntity {
  @PrimaryColumn({ name: 'group_id', type: 'varchar', length: 36 })
  groupId: string;

  @PrimaryColumn({ name: 'permission', type: 'varchar', length: 64 })
  permission: GlobalPermission;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: GroupEntity;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
