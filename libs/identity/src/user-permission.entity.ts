import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { NamedIndex, TimestampColumn } from '@nest-scim/persistence';
import type { GlobalPermission } from './identity.constants';
import { UserEntity } from './user.entity';

/** A global permission held by a user directly. */
@Entity('user_permissions')
@NamedIndex('ix_user_permissions_permission', ['permission'])
export class UserPermissionEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @PrimaryColumn({ name: 'permission', type: 'varchar', length: 64 })
  permission: GlobalPermission;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
