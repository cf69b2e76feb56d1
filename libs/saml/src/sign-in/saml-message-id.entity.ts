import { NamedIndex, TimestampColumn } from '@nest-scim/persistence';
import { Entity, PrimaryColumn } from 'typeorm';

/**
 * An assertion already used to sign in, kept until it would have expired anyway so that posting it again is refused
 * on every instance (the product's `saml_message_ids`). Keyed by the signed assertion's ID, not the response's: the
 * response ID is outside the signature when only the assertion is signed, so a replay could simply change it.
 */
@Entity({ name: 'saml_message_ids' })
@NamedIndex('ix_saml_message_ids_expires_at', ['expiresAt'])
export class SamlMessageIdEntity {
  @PrimaryColumn({ name: 'message_id', type: 'varchar', length: 255 })
  messageId: string;

  @TimestampColumn({ name: 'expires_at' })
  expiresAt: Date;
}
