import type { Dialect } from '@nest-scim/persistence';
import type { BenchOptions } from '../options';
import type { GroupProbe, LookupProbe } from '../probes/probes';
import type { PhaseResult } from '../workload/http-client';
import type { LatencySummary } from '../workload/stats';
import type { TargetKind } from '../workload/workload';

/** What a benchmark run measured: written to results.json and rendered by the report. */

export interface TargetResult {
  kind: TargetKind;
  label: string;
  dialect?: Dialect;
  phases: PhaseResult[];
  unexpectedAnswers: { count: number; samples: string[] };
  verification?: { differences: number; samples: string[]; phase: PhaseResult };
  lookups: LookupProbe[];
  /** GET /ServiceProviderConfig one at a time: the access checks and framework, without any query work. */
  fixedCost?: LatencySummary;
  groupProbe?: GroupProbe;
  seeding: { toUsers: number; added: number; seconds: number }[];
  /** Peak RSS (VmHWM) at the end of the workload, and over the whole run including the probes, in MiB. */
  syncPeakRssMiB?: number;
  peakRssMiB?: number;
  /** The machine's 1-minute load average when the target started and ended: other work shows here. */
  loadAverage: number[];
  notes: string[];
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  kernel: string;
  databases: string[];
}

export interface RunResult {
  date: string;
  command: string;
  options: BenchOptions;
  machine: Machine;
  targets: TargetResult[];
  skipped: string[];
  failures: string[];
  seconds: number;
}
