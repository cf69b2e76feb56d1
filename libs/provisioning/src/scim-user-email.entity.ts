import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NamedIndex } from '@nest-scim/persistence';
import { PRODUCT_ID_LENGTH } from './scim-user-link.entity';

/**
 * One email of a managed user, so that `emails.value eq …` and `emails[type eq "work"].value eq …` (Entra's
 * matching attributes) are indexed lookups. Rewritten whenever the user's emails change.
 */
@Entity('scim_user_emails')
@NamedIndex('ix_scim_user_emails_value', ['valueNormalized'])
export class ScimUserEmailEntity {
  /** The product user's id (see ScimUserLinkEntity). */
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: PRODUCT_ID_LENGTH })
  userId: string;

  @PrimaryColumn({ name: 'position', type: 'integer' })
  position: number;

  @Column({ name: 'value', type: 'varchar', length: 320 })
  value: string;

  /** `value` case-folded: emails compare case-insensitively (RFC 7643 §4.1.2, caseExact false). */
  @Column({ name: 'value_normalized', type: 'varchar', length: 320 })
  valueNormalized: string;

  @Column({ name: 'type', type: 'varchar', length: 255, nullable: true })
  type: string | null;

  /** `type` case-folded, for filters (`emails[type eq "Work"]`). */
  @Column({ name: 'type_normalized', type: 'varchar', length: 255, nullable: true })
  typeNormalized: string | null;

  @Column({ name: 'is_primary', type: 'boolean' })
  primary: boolean;
}
