import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { InstalledLicenseEntity } from './installed-license.entity';
import { LICENSE_DATA_SOURCE } from './license.constants';

const SLOT = 'current';

@Injectable()
export class InstalledLicenseRepository {
  constructor(@Inject(LICENSE_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Read from the database on every call: another instance may have installed or removed a license a moment ago. */
  find(): Promise<InstalledLicenseEntity | null> {
    return this.dataSource.getRepository(InstalledLicenseEntity).findOneBy({ slot: SLOT });
  }

  /** Replaces the installed key; an upsert, so two admins installing at once cannot collide on the key. */
  async put(manager: EntityManager, licenseKey: string, installedAt: Date): Promise<void> {
    await manager.upsert(InstalledLicenseEntity, { slot: SLOT, licenseKey, installedAt }, ['slot']);
  }

  async clear(manager: EntityManager): Promise<void> {
    await manager.delete(InstalledLicenseEntity, { slot: SLOT });
  }
}
