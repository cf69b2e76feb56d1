import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NamedIndex, TimestampColumn } from '@nest-scim/persistence';

/** Which built-in a group is: the default group of every active user, or the group holding `admin`. */
export type BuiltInGroupRole = 'default' | 'administrators';

/**
 * A group of users. The table is `user_groups` (as in the product's `/api/user_groups`): `groups` is a reserved word
 * on MySQL 8. `built_in` names the built-in role; its unique index lets `ensureBuiltIns()` race safely.
 */
@Entity('user_groups')
@NamedIndex('uq_user_groups_name_normalized', ['nameNormalized'], { unique: true })
@NamedIndex('uq_user_groups_built_in', ['builtIn'], { unique: true })
export class GroupEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'name', type: 'varchar', length: 255 })
  name: string;

  @Column({ name: 'name_normalized', type: 'varchar', length: 255 })
  nameNormalized: string;

  @Column({ name: 'description', type: 'varchar', length: 200, nullable: true })
  description: string | null;

  @Column({ name: 'built_in', type: 'varchar', length: 32, nullable: true })
  builtIn: BuiltInGroupRole | null;

  /** The identity provider owns the group. A built-in group never is. */
  @Column({ name: 'managed', type: 'boolean' })
  managed: boolean;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}
