import { TimestampColumn } from '@nest-scim/persistence';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The one installed license. Only the signed key is stored: its statement is verified again on every read, so
 * editing the row cannot grant an edition, and removing a key from the trusted keys takes effect at once.
 */
@Entity({ name: 'installed_license' })
export class InstalledLicenseEntity {
  /** Always `current`: a natural key that makes "one license per instance" a database rule. */
  @PrimaryColumn({ name: 'slot', type: 'varchar', length: 16 })
  slot: string;

  @Column({ name: 'license_key', type: 'text' })
  licenseKey: string;

  @TimestampColumn({ name: 'installed_at' })
  installedAt: Date;
}

export const LICENSE_ENTITIES = [InstalledLicenseEntity];
