import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '@nest-scim/persistence';
import { UserEntity } from '@nest-scim/identity';

/** The password of a local account, as an encoded scrypt hash (`scrypt$N$r$p$salt$hash`); never the password. */
@Entity('user_passwords')
export class UserPasswordEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'hash', type: 'varchar', length: 255 })
  hash: string;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}
