import { TimestampColumn } from '@nest-scim/persistence';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Instance state that is not an admin setting, such as the provisioning mode (`scim.enabled` unless named): kept
 * apart from `saml_settings` so the settings API can never write it.
 */
@Entity({ name: 'internal_properties' })
export class InternalPropertyEntity {
  @PrimaryColumn({ name: 'property_key', type: 'varchar', length: 100 })
  key: string;

  @Column({ name: 'property_value', type: 'text' })
  value: string;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}
