import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { NamedIndex, TimestampColumn } from '@nest-scim/persistence';
import { GroupEntity } from './group.entity';
import { UserEntity } from './user.entity';

/**
 * One user in one group. The (group_id, user_id) primary key makes adds idempotent inserts and removals
 * `DELETE … WHERE group_id = ? AND user_id IN (…)`, so concurrent membership changes never lose each other's rows.
 */
@Entity('group_members')
@NamedIndex('ix_group_members_user_id', ['userId'])
export class GroupMembershipEntity {
  @PrimaryColumn({ name: 'group_id', type: 'varchar', length: 36 })
  groupId: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: GroupEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
