import { openScratchDataSource, testDialects } from '@nest-scim/persistence/testing';
import { DataSource, DataSourceOptions } from 'typeorm';
import { InstalledLicenseEntity, LICENSE_ENTITIES } from './installed-license.entity';
import { InstalledLicenseRepository } from './installed-license.repository';
import { LicenseKeyRejectedError } from './license-key-rejected.error';
import { LicenseRequiredError } from './license-required.error';
import { LicenseService } from './license.service';
import { LicenseVerifier } from './license.verifier';
import { makeLicenseKeyPair, signLicense } from './testing';

const vendor = makeLicenseKeyPair();
const stranger = makeLicenseKeyPair();
const DAY = 24 * 60 * 60 * 1000;

function serviceOn(dataSource: DataSource, clock: () => Date, trusted = [vendor.publicKey]): LicenseService {
  return new LicenseService(dataSource, new InstalledLicenseRepository(dataSource), new LicenseVerifier(trusted), {
    trustedPublicKeys: trusted,
    clock,
  });
}

describe.each(testDialects())('LicenseService on %s', (dialect) => {
  let db: { dataSource: DataSource; close(): Promise<void> };
  /** A second connection to the same database: another server instance behind the load balancer. */
  let otherInstance: DataSource;
  let now: Date;
  const clock = () => now;
  let licenses: LicenseService;
  let licensesElsewhere: LicenseService;

  beforeAll(async () => {
    db = await openScratchDataSource(dialect, LICENSE_ENTITIES);
    otherInstance = new DataSource({ ...db.dataSource.options, synchronize: false } as DataSourceOptions);
    await otherInstance.initialize();
  });
  afterAll(async () => {
    await otherInstance.destroy();
    await db.close();
  });
  beforeEach(async () => {
    await db.dataSource.getRepository(InstalledLicenseEntity).clear();
    now = new Date('2026-06-01T12:00:00Z');
    licenses = serviceOn(db.dataSource, clock);
    licensesElsewhere = serviceOn(otherInstance, clock);
  });

  const storedRows = () => db.dataSource.getRepository(InstalledLicenseEntity).count();
  const enterprise = (overrides: Partial<Parameters<typeof signLicense>[1]> = {}, privateKey = vendor.privateKey) =>
    signLicense(privateKey, {
      licensee: 'Acme Corp',
      edition: 'enterprise',
      features: ['scim', 'saml'],
      issuedAt: '2026-01-01',
      expiresAt: '2027-12-31',
      ...overrides,
    });

  it('is Community with no features when no license is installed', async () => {
    expect(await licenses.current()).toMatchObject({
      status: 'none',
      edition: 'community',
      features: [],
      licensee: null,
    });
    expect(await licenses.hasFeature('scim')).toBe(false);
    expect(await licenses.atLeast('community')).toBe(true);
    expect(await licenses.atLeast('developer')).toBe(false);
  });

  it('installs a valid key, and another instance on the same database sees it at once', async () => {
    expect(await licensesElsewhere.hasFeature('scim')).toBe(false);
    const installed = await licenses.install(enterprise());
    expect(installed).toMatchObject({
      status: 'valid',
      edition: 'enterprise',
      licensee: 'Acme Corp',
      expiringSoon: false,
    });

    expect(await licensesElsewhere.current()).toMatchObject({
      status: 'valid',
      edition: 'enterprise',
      licensee: 'Acme Corp',
      features: ['scim', 'saml'],
      expiresAt: new Date('2027-12-31T23:59:59.999Z'),
      keyId: vendor.keyId,
      message: null,
    });
    expect(await licensesElsewhere.hasFeature('scim')).toBe(true);
    expect(await licensesElsewhere.atLeast('enterprise')).toBe(true);
    expect(await licensesElsewhere.atLeast('datacenter')).toBe(false);

    await licensesElsewhere.remove();
    expect(await licenses.current()).toMatchObject({ status: 'none', edition: 'community' });
  });

  it('replaces the installed license with a newly installed one, keeping one row', async () => {
    await licenses.install(enterprise());
    await licensesElsewhere.install(enterprise({ edition: 'datacenter', licensee: 'Acme Group' }));
    expect(await storedRows()).toBe(1);
    expect(await licenses.current()).toMatchObject({ edition: 'datacenter', licensee: 'Acme Group' });
    // Data Center includes Enterprise.
    expect(await licenses.atLeast('enterprise')).toBe(true);
  });

  describe('refuses, stores nothing and keeps the license in force', () => {
    const refusals: [string, () => string, string, RegExp | string][] = [
      [
        'a tampered payload',
        () => flip(enterprise(), 0, 14),
        'tampered',
        'The license key signature is invalid: the key was altered after it was signed',
      ],
      [
        'a tampered signature',
        () => flip(enterprise(), 1, 5),
        'tampered',
        'The license key signature is invalid: the key was altered after it was signed',
      ],
      [
        'an untrusted signer',
        () => enterprise({}, stranger.privateKey),
        'untrusted',
        'The license key is not signed by a trusted key',
      ],
      [
        'an expired key',
        () => enterprise({ issuedAt: '2025-01-01', expiresAt: '2026-05-31' }),
        'expired',
        'The license expired on 2026-05-31',
      ],
      ['malformed input', () => 'hello world', 'malformed', /^The license key is malformed: /],
    ];

    it.each(refusals)('%s', async (_case, key, reason, message) => {
      await expect(licenses.install(key())).rejects.toThrow(LicenseKeyRejectedError);
      await expect(licenses.install(key())).rejects.toMatchObject({ reason, message: expect.stringMatching(message) });
      expect(await storedRows()).toBe(0);

      await licenses.install(enterprise({ licensee: 'Already There' }));
      await expect(licenses.install(key())).rejects.toMatchObject({ reason });
      expect(await licensesElsewhere.current()).toMatchObject({ status: 'valid', licensee: 'Already There' });
    });
  });

  it('says a valid license is expiring soon within its last 30 days', async () => {
    await licenses.install(enterprise({ expiresAt: '2026-06-30' }));
    expect((await licenses.current()).expiringSoon).toBe(true);
    now = new Date('2026-05-01T00:00:00Z');
    expect((await licenses.current()).expiringSoon).toBe(false);
  });

  it('turns features off once an installed license has expired, naming the date', async () => {
    await licenses.install(enterprise({ expiresAt: '2026-06-02' }));
    expect(await licenses.evaluate({ edition: 'enterprise', features: ['scim'] })).toBeNull();

    now = new Date(now.getTime() + 2 * DAY);
    expect(await licensesElsewhere.current()).toMatchObject({
      status: 'expired',
      edition: 'enterprise',
      expiringSoon: false,
      message: 'The license expired on 2026-06-02',
    });
    expect(await licensesElsewhere.hasFeature('scim')).toBe(false);
    expect(await licensesElsewhere.atLeast('enterprise')).toBe(false);
    await expect(licensesElsewhere.assert({ edition: 'enterprise', features: ['scim'] })).rejects.toMatchObject({
      reason: 'expired',
      message: 'The license expired on 2026-06-02',
      status: 403,
    });
  });

  it('names the missing edition, not the expiry, when even a renewed license would not do', async () => {
    await licenses.install(
      signLicense(vendor.privateKey, {
        licensee: 'A',
        edition: 'developer',
        issuedAt: '2026-01-01',
        expiresAt: '2026-06-02',
      }),
    );
    now = new Date(now.getTime() + 2 * DAY);
    expect(await licenses.evaluate({ edition: 'enterprise' })).toEqual({
      reason: 'edition',
      message: 'This feature requires an Enterprise license',
    });
  });

  it('explains each unmet requirement with its own message', async () => {
    const error = await licenses.assert({ edition: 'enterprise' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LicenseRequiredError);
    expect(error).toMatchObject({ reason: 'edition', message: 'This feature requires an Enterprise license' });
    expect(await licenses.evaluate({ edition: 'datacenter' })).toMatchObject({
      message: 'This feature requires a Data Center license',
    });
    expect(await licenses.evaluate({ features: ['scim'] })).toMatchObject({
      reason: 'feature',
      message: "This feature requires the 'scim' feature",
    });

    await licenses.install(enterprise({ features: ['saml'] }));
    expect(await licenses.evaluate({ edition: 'enterprise', features: ['saml', 'scim'] })).toEqual({
      reason: 'feature',
      message: "This feature requires the 'scim' feature",
    });
    expect(await licenses.evaluate({ edition: 'developer', features: ['saml'] })).toBeNull();
    expect(await licenses.evaluate({})).toBeNull();
  });

  it('stops honouring an installed license whose signing key is no longer trusted', async () => {
    await licenses.install(enterprise());
    const rotated = serviceOn(otherInstance, clock, [stranger.publicKey]);
    expect(await rotated.current()).toMatchObject({
      status: 'invalid',
      edition: 'community',
      features: [],
      message: 'The installed license is not signed by a trusted key',
    });
    expect(await rotated.evaluate({ features: ['scim'] })).toMatchObject({ reason: 'invalid' });
  });

  it('does not honour a license row edited in the database', async () => {
    await licenses.install(
      signLicense(vendor.privateKey, { licensee: 'A', edition: 'developer', expiresAt: '2027-01-01' }),
    );
    const row = await db.dataSource.getRepository(InstalledLicenseEntity).findOneByOrFail({ slot: 'current' });
    const [payload, signature] = row.licenseKey.split('.');
    const upgraded = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('developer', 'datacenter'));
    await db.dataSource
      .getRepository(InstalledLicenseEntity)
      .update({ slot: 'current' }, { licenseKey: `${upgraded.toString('base64url')}.${signature}` });
    expect(await licenses.current()).toMatchObject({ status: 'invalid', edition: 'community' });
    expect(await licenses.atLeast('developer')).toBe(false);
  });
});

function flip(key: string, part: 0 | 1, index: number): string {
  const parts = key.split('.');
  const bytes = Buffer.from(parts[part], 'base64url');
  bytes[index] ^= 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}
