import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '@app/persistence';
import { UserEntity } from './user.entity';

/**
 * Marks a user as managed by the identity provider. `scim_id` is a random UUID of its own, never the internal id,
 * so nothing a SCIM client sends can name a local account (CVE-2025-41115).
 */
@Entity('scim_users')
@Index('uq_scim_users_user_id', ['userId'], { unique: true })
export class ScimUserLinkEntity {
  @PrimaryColumn({ name: 'scim_id', type: 'varchar', length: 36 })
  scimId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
