import { Counter, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { LicenseService } from '@nest-scim/license';
import type { ProvisioningModeService } from '@nest-scim/saml';
import { ScimMetrics } from './scim-metrics';

const DAY = 24 * 3600 * 1000;

function metricsOn(registry: Registry | undefined, lastStored?: Date): ScimMetrics {
  const dataSource = {
    options: { type: 'better-sqlite3' },
    manager: { find: async () => (lastStored ? [{ id: 'x', occurredAt: lastStored }] : []) },
  } as unknown as DataSource;
  const licenses = { current: async () => ({ expiresAt: new Date(Date.now() + 10.5 * DAY) }) } as LicenseService;
  const mode = { isScimEnabled: async () => true } as ProvisioningModeService;
  return new ScimMetrics({ trustedLicensePublicKeys: [], metricsRegistry: registry }, dataSource, licenses, mode);
}

describe("the provisioning feature's metrics", () => {
  it("live on the host's registry when it gives one, beside the host's own metrics", async () => {
    const host = new Registry();
    new Counter({ name: 'host_reports_total', help: "The host's own metric", registers: [host] }).inc();
    const metrics = metricsOn(host);
    expect(metrics.registry).toBe(host);
    const at = new Date();
    metrics.observe({ route: '/Users', method: 'POST', status: 201, cause: null, durationMs: 12, occurredAt: at });
    metrics.observe({
      route: '/Users',
      method: 'POST',
      status: 409,
      cause: 'local-account',
      durationMs: 8,
      occurredAt: at,
    });
    const text = await host.metrics();
    expect(text).toContain('host_reports_total 1');
    expect(text).toContain('scim_requests_total{route="/Users",method="POST",status="201"} 1');
    expect(text).toContain('scim_requests_total{route="/Users",method="POST",status="409"} 1');
    expect(text).toContain('scim_refusals_total{reason="local-account"} 1');
    expect(text).toContain('scim_request_duration_seconds_count{route="/Users",method="POST"} 2');
    expect(text).toContain('scim_provisioning_mode{mode="scim"} 1');
    expect(text).toContain('scim_license_days_left 10');
    expect(text).toContain(`scim_last_contact_timestamp_seconds ${at.getTime() / 1000}`);
    // SQLite has no pool to report.
    expect(text).not.toMatch(/^scim_database_pool_connections\{/m);
  });

  it('keep a registry of their own otherwise, and report the newest contact of any instance', async () => {
    const later = new Date(Date.now() + 60_000);
    const metrics = metricsOn(undefined, later);
    expect(metrics.registry).toBeInstanceOf(Registry);
    metrics.observe({
      route: '/Groups',
      method: 'GET',
      status: 200,
      cause: null,
      durationMs: 1,
      occurredAt: new Date(),
    });
    expect(await metrics.registry.metrics()).toContain(`scim_last_contact_timestamp_seconds ${later.getTime() / 1000}`);
  });
});
