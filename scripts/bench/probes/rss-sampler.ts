import { readFileSync } from 'node:fs';

function readStatusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Polls the resident memory of a process. The kernel's high-water mark (VmHWM) catches peaks between two samples;
 * the sampled VmRSS gives the peak within one phase.
 */
export class RssSampler {
  private timer?: NodeJS.Timeout;
  private windowPeakKiB = 0;
  private lastHwmKiB = 0;

  constructor(
    readonly pid: number,
    private readonly intervalMs = 100,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  /** Starts a new window (a phase) and returns the peak of the previous one, in MiB. */
  resetWindow(): number {
    this.sample();
    const peak = this.windowPeakKiB / 1024;
    this.windowPeakKiB = readStatusKiB(this.pid, 'VmRSS') ?? 0;
    return peak;
  }

  /** The process's peak resident memory since it started, in MiB. */
  peakMiB(): number {
    this.sample();
    return this.lastHwmKiB / 1024;
  }

  currentMiB(): number {
    return (readStatusKiB(this.pid, 'VmRSS') ?? 0) / 1024;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private sample(): void {
    const rss = readStatusKiB(this.pid, 'VmRSS');
    if (rss !== undefined && rss > this.windowPeakKiB) this.windowPeakKiB = rss;
    const hwm = readStatusKiB(this.pid, 'VmHWM');
    if (hwm !== undefined) this.lastHwmKiB = hwm;
  }
}
