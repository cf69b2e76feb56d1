import { forUpdate } from '@nest-scim/persistence';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { DEFAULT_SAML_STORAGE_KEYS, SAML_DATA_SOURCE, SAML_STORAGE_KEYS, SamlStorageKeys } from '../saml.constants';
import { SamlSettingEntity } from './saml-setting.entity';

/** The prefix of the settings API's keys (SAML_SETTING_KEYS). */
const API_PREFIX = 'sonar.auth.saml.';

/**
 * The stored SAML settings, by the settings API's keys: a key is stored under the host's prefix (SamlStorageKeys), and
 * rows under other prefixes are none of this lib's business.
 */
@Injectable()
export class SamlSettingsRepository {
  private readonly prefix: string;

  constructor(
    @Inject(SAML_DATA_SOURCE) private readonly dataSource: DataSource,
    @Optional() @Inject(SAML_STORAGE_KEYS) keys: SamlStorageKeys = DEFAULT_SAML_STORAGE_KEYS,
  ) {
    this.prefix = keys.samlSettingPrefix;
  }

  /**
   * Every stored setting, read from the database each time. Given the manager of a write transaction it locks what
   * it read (MySQL), so two admins saving at once cannot combine into a state neither checked.
   */
  async readAll(manager?: EntityManager): Promise<Map<string, string>> {
    const source = manager ?? this.dataSource.manager;
    const query = source.getRepository(SamlSettingEntity).createQueryBuilder('setting');
    // SQLite has no row locks; there a write transaction already holds the only writer's lock.
    const rows = await (manager ? forUpdate(query, manager) : query).getMany();
    const values = new Map<string, string>();
    for (const row of rows) if (row.key.startsWith(this.prefix)) values.set(this.apiKey(row.key), row.value);
    return values;
  }

  async put(manager: EntityManager, values: ReadonlyMap<string, string>, updatedAt: Date): Promise<void> {
    if (values.size === 0) return;
    const rows = [...values].map(([key, value]) => ({ key: this.storedKey(key), value, updatedAt }));
    await manager.upsert(SamlSettingEntity, rows, ['key']);
  }

  async remove(manager: EntityManager, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await manager.delete(SamlSettingEntity, { key: In(keys.map((key) => this.storedKey(key))) });
  }

  private storedKey(apiKey: string): string {
    if (!apiKey.startsWith(API_PREFIX)) throw new Error(`Not a SAML setting key: ${apiKey}`);
    return this.prefix + apiKey.slice(API_PREFIX.length);
  }

  private apiKey(storedKey: string): string {
    return API_PREFIX + storedKey.slice(this.prefix.length);
  }
}
