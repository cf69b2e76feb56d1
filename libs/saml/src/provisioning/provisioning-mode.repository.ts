import { dialectOf, SHARED_LOCK_CLAUSE, sqlTable } from '@nest-scim/persistence';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_SAML_STORAGE_KEYS, SAML_DATA_SOURCE, SAML_STORAGE_KEYS, SamlStorageKeys } from '../saml.constants';
import { InternalPropertyEntity } from './internal-property.entity';

@Injectable()
export class ProvisioningModeRepository {
  /** The internal property holding the mode (`true` means SCIM), named by the host. */
  private readonly property: string;

  constructor(
    @Inject(SAML_DATA_SOURCE) private readonly dataSource: DataSource,
    @Optional() @Inject(SAML_STORAGE_KEYS) keys: SamlStorageKeys = DEFAULT_SAML_STORAGE_KEYS,
  ) {
    this.property = keys.scimEnabled;
  }

  /**
   * Reads the flag. Inside a transaction on MySQL the read takes a shared lock, so a switch of the mode waits for
   * that transaction to finish instead of changing the mode under it; SQLite transactions are serialised anyway.
   */
  async readScimEnabled(manager?: EntityManager): Promise<boolean> {
    const source = manager ?? this.dataSource.manager;
    // Written as SQL: it runs on every SCIM request. Inside a transaction on MySQL/MariaDB it locks.
    const lock = manager?.queryRunner?.isTransactionActive && dialectOf(source) === 'mysql' ? SHARED_LOCK_CLAUSE : '';
    const rows: { value: string }[] = await source.query(
      `SELECT property_value AS value FROM ${sqlTable(source, InternalPropertyEntity)} WHERE property_key = ?${lock}`,
      [this.property],
    );
    return rows[0]?.value === 'true';
  }

  async writeScimEnabled(manager: EntityManager, enabled: boolean, updatedAt: Date): Promise<void> {
    await manager.upsert(InternalPropertyEntity, { key: this.property, value: String(enabled), updatedAt }, ['key']);
  }
}
