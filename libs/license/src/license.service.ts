import { inTransaction, ScalarRead } from '@nest-scim/persistence';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Edition, editionIncludes, editionLicensePhrase } from './edition.constants';
import type { InstalledLicenseEntity } from './installed-license.entity';
import { InstalledLicenseRepository } from './installed-license.repository';
import { LicenseKeyRejectedError, licenseExpiredMessage } from './license-key-rejected.error';
import type { LicenseModuleOptions } from './license-module-options.interface';
import { LicenseRequiredError } from './license-required.error';
import { LICENSE_DATA_SOURCE, LICENSE_EXPIRING_SOON_DAYS, LICENSE_MODULE_OPTIONS } from './license.constants';
import type { LicenseInfo, LicenseRefusal, LicenseRequirements, LicenseStatement } from './license.types';
import { LicenseVerifier } from './license.verifier';

const DAY_MS = 24 * 60 * 60 * 1000;

const NO_LICENSE: LicenseInfo = {
  status: 'none',
  edition: 'community',
  licensee: null,
  features: [],
  issuedAt: null,
  expiresAt: null,
  expiringSoon: false,
  keyId: null,
  installedAt: null,
  message: null,
};

/**
 * The installed license and what it allows. Nothing is cached: every answer comes from the database, so a license
 * installed, removed or expired is seen by every instance on its next check.
 */
@Injectable()
export class LicenseService {
  private readonly now: () => Date;

  constructor(
    @Inject(LICENSE_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly repository: InstalledLicenseRepository,
    private readonly verifier: LicenseVerifier,
    @Inject(LICENSE_MODULE_OPTIONS) options: LicenseModuleOptions,
  ) {
    this.now = options.clock ?? (() => new Date());
  }

  /**
   * Verifies a key and, only if it is well formed, signed by a trusted key and not expired, installs it in place of
   * any previous one. Otherwise throws a LicenseKeyRejectedError saying which, and stores nothing.
   */
  async install(licenseKey: string): Promise<LicenseInfo> {
    const statement = this.verifier.verify(licenseKey);
    const now = this.now();
    const expiresAt = new Date(statement.expiresAt);
    if (expiresAt.getTime() <= now.getTime()) throw LicenseKeyRejectedError.expired(expiresAt);
    await inTransaction(this.dataSource, (manager) =>
      this.repository.put(manager, licenseKey.replace(/\s+/g, ''), now),
    );
    return this.describe(statement, now, now);
  }

  /** Back to Community. */
  async remove(): Promise<void> {
    await inTransaction(this.dataSource, (manager) => this.repository.clear(manager));
  }

  async current(): Promise<LicenseInfo> {
    return this.infoOf(await this.repository.find(), this.now());
  }

  async hasFeature(feature: string): Promise<boolean> {
    const info = await this.current();
    return info.status === 'valid' && info.features.includes(feature);
  }

  /** True when the license in force is `edition` or larger; Community needs no license at all. */
  async atLeast(edition: Edition): Promise<boolean> {
    if (edition === 'community') return true;
    const info = await this.current();
    return info.status === 'valid' && editionIncludes(info.edition, edition);
  }

  /** Why the license does not meet the requirements, or null when it does. */
  async evaluate(requirements: LicenseRequirements): Promise<LicenseRefusal | null> {
    const features = requirements.features ?? [];
    if (!requirements.edition && features.length === 0) return null;
    return refusalOf(await this.current(), requirements.edition, features);
  }

  /**
   * `evaluate` as a read another statement carries (see ScalarRead), so a check that also reads other rows (the SCIM
   * access check) costs one round trip. Still nothing cached: the row is read by that statement.
   */
  evaluateRead(requirements: LicenseRequirements): ScalarRead<LicenseRefusal | null> {
    const features = requirements.features ?? [];
    if (!requirements.edition && features.length === 0)
      return { source: this.dataSource, columns: [], read: () => null };
    const row = this.repository.findRead();
    return {
      source: row.source,
      columns: row.columns,
      read: (values) => refusalOf(this.infoOf(row.read(values), this.now()), requirements.edition, features),
    };
  }

  /** Throws a LicenseRequiredError (a Nest 403) when the license does not meet the requirements. */
  async assert(requirements: LicenseRequirements): Promise<void> {
    const refusal = await this.evaluate(requirements);
    if (refusal) throw new LicenseRequiredError(refusal.reason, refusal.message, requirements);
  }

  private infoOf(row: InstalledLicenseEntity | null, now: Date): LicenseInfo {
    if (!row) return NO_LICENSE;
    let statement: LicenseStatement;
    try {
      statement = this.verifier.verify(row.licenseKey);
    } catch (error) {
      if (!(error instanceof LicenseKeyRejectedError)) throw error;
      return {
        ...NO_LICENSE,
        status: 'invalid',
        installedAt: row.installedAt,
        message:
          error.reason === 'untrusted'
            ? 'The installed license is not signed by a trusted key'
            : 'The installed license is corrupt and must be installed again',
      };
    }
    return this.describe(statement, row.installedAt, now);
  }

  private describe(statement: LicenseStatement, installedAt: Date, now: Date): LicenseInfo {
    const expiresAt = new Date(statement.expiresAt);
    const remaining = expiresAt.getTime() - now.getTime();
    const expired = remaining <= 0;
    return {
      status: expired ? 'expired' : 'valid',
      edition: statement.edition,
      licensee: statement.licensee,
      features: [...statement.features],
      issuedAt: new Date(statement.issuedAt),
      expiresAt,
      expiringSoon: !expired && remaining <= LICENSE_EXPIRING_SOON_DAYS * DAY_MS,
      keyId: statement.keyId ?? null,
      installedAt,
      message: expired ? licenseExpiredMessage(expiresAt) : null,
    };
  }
}

/**
 * An expired license is named as the cause only when it would otherwise have met the requirements: telling the
 * admin of an expired Developer license to renew would not get them the Enterprise feature they are missing.
 */
function refusalOf(
  info: LicenseInfo,
  edition: Edition | undefined,
  features: readonly string[],
): LicenseRefusal | null {
  if (info.status === 'invalid')
    return { reason: 'invalid', message: info.message ?? 'The installed license is invalid' };
  if (edition && !editionIncludes(info.edition, edition)) {
    return { reason: 'edition', message: `This feature requires ${editionLicensePhrase(edition)}` };
  }
  const missing = features.find((feature) => !info.features.includes(feature));
  if (missing) return { reason: 'feature', message: `This feature requires the '${missing}' feature` };
  if (info.status === 'expired') return { reason: 'expired', message: info.message ?? 'The license expired' };
  return null;
}
