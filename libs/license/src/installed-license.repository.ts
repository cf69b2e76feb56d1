import { readTimestamp, ScalarRead, sqlTable } from '@nest-scim/persistence';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { InstalledLicenseEntity } from './installed-license.entity';
import { LICENSE_DATA_SOURCE } from './license.constants';

const SLOT = 'current';

@Injectable()
export class InstalledLicenseRepository {
  constructor(@Inject(LICENSE_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Read from the database on every call: another instance may have installed or removed a license a moment ago. */
  async find(): Promise<InstalledLicenseEntity | null> {
    // Written as SQL: it runs on every licensed request, and the query builder cost more than the statement.
    const rows: { license_key: string; installed_at: unknown }[] = await this.dataSource.query(
      `SELECT license_key, installed_at FROM ${this.table()} WHERE slot = ?`,
      [SLOT],
    );
    const row = rows[0];
    return row ? this.entityOf(row.license_key, row.installed_at) : null;
  }

  /** `find` as columns another statement carries (see ScalarRead): the same row, read in the caller's round trip. */
  findRead(): ScalarRead<InstalledLicenseEntity | null> {
    const column = (name: string) => ({
      sql: `SELECT ${name} FROM ${this.table()} WHERE slot = ?`,
      parameters: [SLOT],
    });
    return {
      source: this.dataSource,
      columns: [column('license_key'), column('installed_at')],
      read: ([licenseKey, installedAt]) =>
        typeof licenseKey === 'string' ? this.entityOf(licenseKey, installedAt) : null,
    };
  }

  private table(): string {
    return sqlTable(this.dataSource, InstalledLicenseEntity);
  }

  private entityOf(licenseKey: string, installedAt: unknown): InstalledLicenseEntity {
    return { slot: SLOT, licenseKey, installedAt: readTimestamp(installedAt) };
  }

  /** Replaces the installed key; an upsert, so two admins installing at once cannot collide on the key. */
  async put(manager: EntityManager, licenseKey: string, installedAt: Date): Promise<void> {
    await manager.upsert(InstalledLicenseEntity, { slot: SLOT, licenseKey, installedAt }, ['slot']);
  }

  async clear(manager: EntityManager): Promise<void> {
    await manager.delete(InstalledLicenseEntity, { slot: SLOT });
  }
}
