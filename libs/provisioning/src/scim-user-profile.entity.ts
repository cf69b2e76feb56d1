import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NamedIndex, TimestampColumn } from '@nest-scim/persistence';
import { PRODUCT_ID_LENGTH } from './scim-user-link.entity';

/**
 * The SCIM side of a managed user, keyed by the product user's id: the resource as the identity provider sent it
 * (`document`), and copies of the attributes filters run on, in columns so that a filter is a query, never a scan in
 * memory, whatever the shape of the product's tables. `user_name` and `active` are the product's login and active
 * flag as SCIM last wrote them through the directory (the product holds the truth; SCIM writes both in one
 * transaction); `user_name_normalized` is the case-folded userName, unique, so that two SCIM users never share one.
 */
@Entity('scim_user_profiles')
@NamedIndex('uq_scim_user_profiles_user_name', ['userNameNormalized'], { unique: true })
@NamedIndex('ix_scim_user_profiles_external_id', ['externalId'])
@NamedIndex('ix_scim_user_profiles_created', ['createdAt', 'userId'])
@NamedIndex('ix_scim_user_profiles_updated', ['updatedAt', 'userId'])
export class ScimUserProfileEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: PRODUCT_ID_LENGTH })
  userId: string;

  @Column({ name: 'user_name', type: 'varchar', length: 255 })
  userName: string;

  @Column({ name: 'user_name_normalized', type: 'varchar', length: 255 })
  userNameNormalized: string;

  @Column({ name: 'active', type: 'boolean' })
  active: boolean;

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
