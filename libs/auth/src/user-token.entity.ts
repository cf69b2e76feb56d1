import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { NamedIndex, TimestampColumn } from '@nest-scim/persistence';
import { UserEntity } from '@nest-scim/identity';

/**
 * A user token. Only SHA-384 of the token is stored (hex, as the product does): the token itself is shown once, at
 * generation. Looked up by its hash through a unique index.
 */
@Entity('user_tokens')
@NamedIndex('uq_user_tokens_token_hash', ['tokenHash'], { unique: true })
@NamedIndex('uq_user_tokens_user_id_name', ['userId', 'name'], { unique: true })
export class UserTokenEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'name', type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 96 })
  tokenHash: string;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  @TimestampColumn({ name: 'last_connection_date', nullable: true })
  lastConnectionDate: Date | null;
}
