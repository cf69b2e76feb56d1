/** How the activity is kept and read; every field has a default. */
export interface ScimActivitySettings {
  /**
   * Whether SCIM requests are written as activity records. true by default. false: no record is buffered or written
   * (the Activity reads say `recording: false`, and show only what was written before, until it is purged), while
   * the Prometheus metrics, kept in memory, still count every request.
   */
  record?: boolean;
  /** Records older than this many days are purged. 30 by default. */
  retentionDays?: number;
  /**
   * A pause of at least this many seconds between two requests ends a cycle: the next request starts a new one.
   * 300 (five minutes) by default — Entra ID sends a cycle's requests back to back and comes back about every
   * 40 minutes.
   */
  cycleGapSeconds?: number;
  /** With SCIM on, no request for this many seconds is "silent": two of Entra ID's 40-minute cycles, 4800 by default. */
  silentAfterSeconds?: number;
}

export type ResolvedScimActivitySettings = Required<ScimActivitySettings>;

export function resolveActivitySettings(settings: ScimActivitySettings = {}): ResolvedScimActivitySettings {
  return {
    record: settings.record ?? true,
    retentionDays: settings.retentionDays ?? 30,
    cycleGapSeconds: settings.cycleGapSeconds ?? 300,
    silentAfterSeconds: settings.silentAfterSeconds ?? 4800,
  };
}
