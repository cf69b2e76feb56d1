import { TimestampColumn } from '@nest-scim/persistence';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One stored SAML setting. A setting without a row has its default; `reset` deletes the row. */
@Entity({ name: 'saml_settings' })
export class SamlSettingEntity {
  /** The product's key, e.g. `sonar.auth.saml.loginUrl`. */
  @PrimaryColumn({ name: 'setting_key', type: 'varchar', length: 100 })
  key: string;

  /** Text: certificates and keys are several kilobytes of PEM. */
  @Column({ name: 'setting_value', type: 'text' })
  value: string;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}
