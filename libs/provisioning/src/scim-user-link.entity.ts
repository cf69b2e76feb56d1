import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NamedIndex, TimestampColumn } from '@nest-scim/persistence';

/** The width of the columns holding a product's id (a UUID, a number written in decimal, or a host's own key). */
export const PRODUCT_ID_LENGTH = 64;

/**
 * Marks a product user as managed by the identity provider, under a SCIM id of its own: a random UUID, never the
 * product's id, so nothing a SCIM client sends can name an account SCIM does not manage (CVE-2025-41115). Keyed by
 * the product's id with no foreign key, so the product's users may live in any table (see the directory port).
 */
@Entity('scim_users')
@NamedIndex('uq_scim_users_user_id', ['userId'], { unique: true })
export class ScimUserLinkEntity {
  @PrimaryColumn({ name: 'scim_id', type: 'varchar', length: 36 })
  scimId: string;

  @Column({ name: 'user_id', type: 'varchar', length: PRODUCT_ID_LENGTH })
  userId: string;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
