import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '@app/persistence';
import { UserEntity } from '@app/identity';

/**
 * The SCIM side of a managed user: the resource as the identity provider sent it (`document`), and copies of the
 * attributes filters run on, in columns so that a filter is a query, never a scan in memory. The product's own
 * columns (login, active, name, email) stay in `users`.
 */
@Entity('scim_user_profiles')
@Index('ix_scim_user_profiles_external_id', ['externalId'])
@Index('ix_scim_user_profiles_created', ['createdAt', 'userId'])
@Index('ix_scim_user_profiles_updated', ['updatedAt', 'userId'])
export class ScimUserProfileEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @OneToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'external_id', type: 'varchar', length: 255, nullable: true })
  externalId: string | null;

  @Column({ name: 'display_name', type: 'varchar', length: 255, nullable: true })
  displayName: string | null;

  /**
   * The case-insensitive attributes case-folded (`foldCase`): filters compare and sorts order on these, so both
   * databases answer alike whatever their own LOWER() and collations do with non-ASCII text.
   */
  @Column({ name: 'display_name_normalized', type: 'varchar', length: 255, nullable: true })
  displayNameNormalized: string | null;

  @Column({ name: 'given_name', type: 'varchar', length: 255, nullable: true })
  givenName: string | null;

  @Column({ name: 'family_name', type: 'varchar', length: 255, nullable: true })
  familyName: string | null;

  @Column({ name: 'given_name_normalized', type: 'varchar', length: 255, nullable: true })
  givenNameNormalized: string | null;

  @Column({ name: 'family_name_normalized', type: 'varchar', length: 255, nullable: true })
  familyNameNormalized: string | null;

  @Column({ name: 'employee_number', type: 'varchar', length: 255, nullable: true })
  employeeNumber: string | null;

  /** The manager's `value` as sent (usually the manager's SCIM id). */
  @Column({ name: 'manager_id', type: 'varchar', length: 255, nullable: true })
  managerId: string | null;

  /** The whole resource as JSON (core attributes and extensions), stored as sent. */
  @Column({ name: 'document', type: 'text' })
  document: string;

  @Column({ name: 'version', type: 'integer' })
  version: number;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}
