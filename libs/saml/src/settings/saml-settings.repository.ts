import { dialectOf } from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { SAML_DATA_SOURCE } from '../saml.constants';
import { SamlSettingEntity } from './saml-setting.entity';

@Injectable()
export class SamlSettingsRepository {
  constructor(@Inject(SAML_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Every stored setting, read from the database each time. Given the manager of a write transaction it locks what
   * it read (MySQL), so two admins saving at once cannot combine into a state neither checked.
   */
  async readAll(manager?: EntityManager): Promise<Map<string, string>> {
    const source = manager ?? this.dataSource.manager;
    const query = source.getRepository(SamlSettingEntity).createQueryBuilder('setting');
    // SQLite has no row locks; there a write transaction already holds the only writer's lock.
    if (manager && dialectOf(source) === 'mysql') query.setLock('pessimistic_write');
    const rows = await query.getMany();
    return new Map(rows.map((row) => [row.key, row.value]));
  }

  async put(manager: EntityManager, values: ReadonlyMap<string, string>, updatedAt: Date): Promise<void> {
    if (values.size === 0) return;
    const rows = [...values].map(([key, value]) => ({ key, value, updatedAt }));
    await manager.upsert(SamlSettingEntity, rows, ['key']);
  }

  async remove(manager: EntityManager, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await manager.delete(SamlSettingEntity, { key: In([...keys]) });
  }
}
