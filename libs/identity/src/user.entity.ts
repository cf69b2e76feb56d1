import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NamedIndex, TimestampColumn } from '@nest-scim/persistence';

/** Where an external account signs in. Only SAML today. */
export type ExternalProvider = 'saml';

/**
 * A person. `login_normalized` and `external_login_normalized` hold the case-folded keys (see normalizeLogin) so that
 * uniqueness is case-insensitive on both databases despite their byte-wise collation.
 */
@Entity('users')
@NamedIndex('uq_users_login_normalized', ['loginNormalized'], { unique: true })
@NamedIndex('uq_users_external_login_normalized', ['externalLoginNormalized'], { unique: true })
export class UserEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'login', type: 'varchar', length: 255 })
  login: string;

  @Column({ name: 'login_normalized', type: 'varchar', length: 255 })
  loginNormalized: string;

  @Column({ name: 'name', type: 'varchar', length: 255 })
  name: string;

  @Column({ name: 'email', type: 'varchar', length: 255, nullable: true })
  email: string | null;

  @Column({ name: 'active', type: 'boolean' })
  active: boolean;

  /** A local account signs in with a password (kept by the auth lib); an external one through SAML. */
  @Column({ name: 'local', type: 'boolean' })
  local: boolean;

  /** The value matched against the SAML login attribute. */
  @Column({ name: 'external_login', type: 'varchar', length: 255, nullable: true })
  externalLogin: string | null;

  @Column({ name: 'external_login_normalized', type: 'varchar', length: 255, nullable: true })
  externalLoginNormalized: string | null;

  @Column({ name: 'external_provider', type: 'varchar', length: 32, nullable: true })
  externalProvider: ExternalProvider | null;

  /** The identity provider owns the account (the product refuses to change it while provisioning is on). */
  @Column({ name: 'managed', type: 'boolean' })
  managed: boolean;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;

  /**
   * The last sign-in or token use, recorded by the auth lib at most once per few minutes of activity (never a write
   * per request); null until the first.
   */
  @TimestampColumn({ name: 'last_connection_date', nullable: true })
  lastConnectionDate: Date | null;
}
