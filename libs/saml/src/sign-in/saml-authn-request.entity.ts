import { NamedIndex, TimestampColumn } from '@nest-scim/persistence';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SamlRequestPurpose } from './saml-sign-in.types';

/**
 * An AuthnRequest this service provider sent and that no response has answered yet. A response's InResponseTo must
 * name one (when it has an InResponseTo at all), and answering it consumes it. Stored in the database because the
 * response may reach another instance than the one that sent the request.
 */
@Entity({ name: 'saml_authn_requests' })
@NamedIndex('ix_saml_authn_requests_expires_at', ['expiresAt'])
export class SamlAuthnRequestEntity {
  @PrimaryColumn({ name: 'request_id', type: 'varchar', length: 100 })
  requestId: string;

  /** A sign-in, or an administrator's test of the configuration (whose answer never signs anyone in). */
  @Column({ name: 'purpose', type: 'varchar', length: 16 })
  purpose: SamlRequestPurpose;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'expires_at' })
  expiresAt: Date;
}
