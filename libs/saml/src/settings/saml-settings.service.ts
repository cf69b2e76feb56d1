import { inTransaction } from '@nest-scim/persistence';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { SAML_NEEDED_BY_SCIM } from '../provisioning/provisioning-mode.constants';
import { ProvisioningModeRepository } from '../provisioning/provisioning-mode.repository';
import { SAML_DATA_SOURCE, SCIM_SIGNS_IN_WITH_SAML } from '../saml.constants';
import { normaliseSamlValue } from './saml-setting.validator';
import {
  SAML_NOT_ENABLED,
  SAML_SETTING_DEFINITIONS,
  SAML_SETTING_KEYS,
  samlSettingDefinition,
  SamlSettingDefinition,
  SP_CERTIFICATE_MISSING,
  SP_PRIVATE_KEY_MISSING,
} from './saml-settings.constants';
import { SamlSettingsRepository } from './saml-settings.repository';
import { SamlSettingsValidationError } from './saml-settings-validation.error';
import type { SamlConfiguration, SamlMissingSetting, SamlSettingError, SamlSettingValue } from './saml-settings.types';

/** A value to set, or `null` to reset the setting to its default. */
type SettingChanges = ReadonlyMap<string, string | null>;

/**
 * The SAML settings, shaped after the product's `/api/settings/values|set|reset`. They live in the database and are
 * read on every call, so a change made through one instance applies on all of them at once.
 */
@Injectable()
export class SamlSettingsService {
  constructor(
    @Inject(SAML_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly repository: SamlSettingsRepository,
    private readonly mode: ProvisioningModeRepository,
    @Optional() @Inject(SCIM_SIGNS_IN_WITH_SAML) private readonly scimSignsInWithSaml: boolean = false,
  ) {}

  /**
   * The settings asked for (all of them when `keys` is omitted), each with its value in force. Unlike the product,
   * settings without a value are listed too (with `hasValue: false`) so a form can show every field.
   */
  async values(keys?: readonly string[]): Promise<SamlSettingValue[]> {
    const definitions = keys ? this.definitionsOf(keys) : SAML_SETTING_DEFINITIONS;
    const stored = await this.repository.readAll();
    return definitions.map((definition) => {
      const storedValue = stored.get(definition.key);
      const value = storedValue ?? definition.defaultValue;
      return {
        key: definition.key,
        ...(definition.secured || value === undefined ? {} : { value }),
        hasValue: value !== undefined,
        inherited: storedValue === undefined,
        secured: definition.secured,
      };
    });
  }

  async set(key: string, value: string | boolean): Promise<void> {
    await this.setMany({ [key]: value });
  }

  /**
   * Sets several settings at once, all or none: what an admin page saves in one go, such as turning on request
   * signing together with the service provider certificate and key.
   */
  async setMany(values: Readonly<Record<string, string | boolean>>): Promise<void> {
    const errors: SamlSettingError[] = [];
    const changes = new Map<string, string | null>();
    for (const [key, raw] of Object.entries(values)) {
      const definition = this.definitionOrError(key, errors);
      if (!definition) continue;
      const normalised = normaliseSamlValue(definition, raw);
      if (normalised.message !== undefined) errors.push({ key, message: normalised.message });
      else changes.set(key, normalised.value);
    }
    if (errors.length) throw new SamlSettingsValidationError(errors);
    await this.apply(changes);
  }

  /** Back to the default (or to unset, for settings without one). */
  async reset(keys: readonly string[]): Promise<void> {
    const errors: SamlSettingError[] = [];
    const changes = new Map<string, string | null>();
    for (const key of keys) if (this.definitionOrError(key, errors)) changes.set(key, null);
    if (errors.length) throw new SamlSettingsValidationError(errors);
    await this.apply(changes);
  }

  /**
   * All values in force, secrets included, for the SAML sign-in and for rules. Pass the manager of a transaction to
   * read within it. Never return this to a client: use `values()`.
   */
  async configuration(manager?: EntityManager): Promise<SamlConfiguration> {
    return configurationOf(await this.repository.readAll(manager));
  }

  /**
   * What SAML still needs before it counts as enabled, with the product's messages, in the product's order. Empty
   * when SAML is enabled and complete.
   */
  async missing(manager?: EntityManager): Promise<SamlMissingSetting[]> {
    return missingOf(await this.configuration(manager));
  }

  /**
   * The product's rule: SAML is enabled only when switched on AND provider ID, application ID, login URL, identity
   * provider certificate, user login and user name attributes are all set.
   */
  async isEnabled(manager?: EntityManager): Promise<boolean> {
    return (await this.missing(manager)).length === 0;
  }

  /** The same rule as `isEnabled()`, under the name the provisioning prerequisites use ("SAML is complete"). */
  async isComplete(manager?: EntityManager): Promise<boolean> {
    return this.isEnabled(manager);
  }

  private async apply(changes: SettingChanges): Promise<void> {
    if (changes.size === 0) return;
    await inTransaction(this.dataSource, async (manager) => {
      const stored = await this.repository.readAll(manager);
      const next = new Map(stored);
      for (const [key, value] of changes) {
        if (value === null) next.delete(key);
        else next.set(key, value);
      }
      // Checked on the state the change leads to, so resetting the certificate while signing is on is refused too.
      const errors = signingErrorsOf(configurationOf(next));
      if (errors.length) throw new SamlSettingsValidationError(errors);
      await this.keepScimSignIn(manager, stored, next);
      const toPut = new Map([...changes].filter((entry): entry is [string, string] => entry[1] !== null));
      const toRemove = [...changes].filter(([, value]) => value === null).map(([key]) => key);
      await this.repository.put(manager, toPut, new Date());
      await this.repository.remove(manager, toRemove);
    });
  }

  /**
   * While SCIM is on, the people it provisions sign in through SAML: a change that would switch SAML off or leave it
   * incomplete is refused (the product's order: back to just in time first). The mode is read in the change's own
   * transaction, a shared lock on MySQL, so a switch of the mode and a settings change never cross.
   */
  private async keepScimSignIn(
    manager: EntityManager,
    stored: ReadonlyMap<string, string>,
    next: ReadonlyMap<string, string>,
  ): Promise<void> {
    if (!this.scimSignsInWithSaml) return;
    const broken = missingOf(configurationOf(next));
    if (broken.length === 0 || missingOf(configurationOf(stored)).length > 0) return;
    if (await this.mode.readScimEnabled(manager)) {
      throw new SamlSettingsValidationError([{ key: broken[0].key, message: SAML_NEEDED_BY_SCIM }]);
    }
  }

  private definitionsOf(keys: readonly string[]): SamlSettingDefinition[] {
    const errors: SamlSettingError[] = [];
    const definitions = keys.flatMap((key) => this.definitionOrError(key, errors) ?? []);
    if (errors.length) throw new SamlSettingsValidationError(errors);
    return definitions;
  }

  private definitionOrError(key: string, errors: SamlSettingError[]): SamlSettingDefinition | undefined {
    const definition = samlSettingDefinition(key);
    if (!definition) errors.push({ key, message: `'${key}' is not a SAML setting` });
    return definition;
  }
}

function configurationOf(stored: ReadonlyMap<string, string>): SamlConfiguration {
  const config = {} as Record<string, string | boolean | null>;
  for (const definition of SAML_SETTING_DEFINITIONS) {
    const value = stored.get(definition.key) ?? definition.defaultValue ?? null;
    config[definition.property] = definition.kind === 'boolean' ? value === 'true' : value;
  }
  return config as unknown as SamlConfiguration;
}

function missingOf(config: SamlConfiguration): SamlMissingSetting[] {
  const missing: SamlMissingSetting[] = [];
  if (!config.enabled) missing.push({ key: SAML_SETTING_KEYS.enabled, message: SAML_NOT_ENABLED });
  for (const definition of SAML_SETTING_DEFINITIONS) {
    if (definition.missingMessage && config[definition.property] === null) {
      missing.push({ key: definition.key, message: definition.missingMessage });
    }
  }
  // Not part of the product's rule, but sign-in would fail on it; set() normally keeps this from happening.
  missing.push(
    ...signingErrorsOf(config).map((e) => ({ key: e.key as SamlMissingSetting['key'], message: e.message })),
  );
  return missing;
}

/** Signing requests needs both the service provider certificate and its private key. */
function signingErrorsOf(config: SamlConfiguration): SamlSettingError[] {
  if (!config.signatureEnabled) return [];
  const errors: SamlSettingError[] = [];
  if (!config.spCertificate) errors.push({ key: SAML_SETTING_KEYS.spCertificate, message: SP_CERTIFICATE_MISSING });
  if (!config.spPrivateKey) errors.push({ key: SAML_SETTING_KEYS.spPrivateKey, message: SP_PRIVATE_KEY_MISSING });
  return errors;
}
