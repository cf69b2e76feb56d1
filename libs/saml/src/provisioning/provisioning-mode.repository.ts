import { ScalarRead, sharedLockClause, sqlTable } from '@nest-scim/persistence';
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
    const rows: { property_value: string }[] = await source.query(this.select(manager), [this.property]);
    return rows[0]?.property_value === 'true';
  }

  /**
   * `readScimEnabled` as a column another statement carries (see ScalarRead), with the same shared lock inside a
   * transaction on MySQL/MariaDB: the lock clause stands inside the sub-query, where both servers apply it.
   */
  scimEnabledRead(manager?: EntityManager): ScalarRead<boolean> {
    return {
      source: manager ?? this.dataSource,
      columns: [{ sql: this.select(manager), parameters: [this.property] }],
      read: ([value]) => value === 'true',
    };
  }

  /**
   * The flag as a condition of another statement (true only when SCIM is on), with the shared lock as above: a write
   * can make its last statement depend on it instead of reading it by itself.
   */
  scimEnabledCondition(manager: EntityManager): { sql: string; parameters: unknown[] } {
    return { sql: `(${this.select(manager)}) = ?`, parameters: [this.property, 'true'] };
  }

  private select(manager: EntityManager | undefined): string {
    const source = manager ?? this.dataSource.manager;
    const lock = sharedLockClause(manager);
    return `SELECT property_value FROM ${sqlTable(source, InternalPropertyEntity)} WHERE property_key = ?${lock}`;
  }

  async writeScimEnabled(manager: EntityManager, enabled: boolean, updatedAt: Date): Promise<void> {
    await manager.upsert(InternalPropertyEntity, { key: this.property, value: String(enabled), updatedAt }, ['key']);
  }
}
