import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { RunResult, TargetResult } from './results';
import type { PhaseResult } from '../workload/http-client';
import { groupedBarChart } from './svg-chart';
import { machineLine } from './machine';

const BEGIN = '<!-- bench:results:begin (written by scripts/bench/report/report.ts; edit outside these markers) -->';
const END = '<!-- bench:results:end -->';
const PHASES = ['users', 'groups', 'memberships', 'incremental'];
const COLORS: Record<string, string> = {
  floor: '#9e9e9e',
  peer: '#f28e2b',
  SQLite: '#4e79a7',
  MySQL: '#59a14f',
};

const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const num = (v: number, digits = 0) =>
  v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mb = (mib: number | undefined) => (mib === undefined ? '–' : `${num(mib * 1.048576)} MB`);

function phase(target: TargetResult | undefined, name: string): PhaseResult | undefined {
  return target?.phases.find((p) => p.name === name);
}

export interface TargetCheck {
  name: string;
  cells: Record<string, { text: string; met?: boolean }>;
}

/**
 * The targets of the current performance round, per database, as measured in this run: the peer ratios and the
 * look-up medians are stricter on SQLite, where no statement is a network round trip.
 */
export function checkTargets(run: RunResult): TargetCheck[] {
  const peer = run.targets.find((t) => t.kind === 'peer');
  const servers = run.targets.filter((t) => t.kind === 'server');
  const rows: TargetCheck[] = [];
  const row = (name: string, cell: (s: TargetResult) => { text: string; met?: boolean }) =>
    rows.push({ name, cells: Object.fromEntries(servers.map((s) => [s.label, cell(s)])) });
  const sqlite = (s: TargetResult) => s.label === 'SQLite';
  const versusPeer = (phaseName: string, factorOf: (s: TargetResult) => number) => (s: TargetResult) => {
    const factor = factorOf(s);
    const ours = phase(s, phaseName)?.rps;
    const theirs = phase(peer, phaseName)?.rps;
    if (ours === undefined || theirs === undefined) return { text: 'no peer in this run' };
    const ratio = ours / theirs;
    return { text: `${num(ratio, 2)}× (${num(ours)} vs ${num(theirs)} req/s)`, met: ratio >= factor };
  };
  row(
    'User phase ≥ 4× the peer’s req/s on SQLite, ≥ 3× on MySQL',
    versusPeer('users', (s) => (sqlite(s) ? 4 : 3)),
  );
  row(
    'Membership phase ≥ 60× the peer’s req/s',
    versusPeer('memberships', () => 60),
  );
  row('One member added to a 50,000-member group ≤ 1.5× the empty group', (s) => {
    const g = s.groupProbe;
    if (!g) return { text: 'not probed' };
    const text = `${num(g.add.ratio, 2)}× (${ms(g.add.big)} vs ${ms(g.add.empty)} ms, ${num(g.bigMembers)} members)`;
    return { text, met: g.bigMembers >= 50000 ? g.add.ratio <= 1.5 : undefined };
  });
  row('`userName eq` at 100,000 users: median ≤ 1 ms on SQLite, ≤ 1.5 ms on MySQL', (s) => {
    const probe = s.lookups.find((l) => l.population >= 100000);
    if (!probe) return { text: 'not probed at 100,000 users' };
    return { text: `${ms(probe.latency.p50)} ms`, met: probe.latency.p50 <= (sqlite(s) ? 1 : 1.5) };
  });
  row('Peak RSS < 200 MB for a 100,000-user sync', (s) => {
    const peak = s.syncPeakRssMiB;
    if (peak === undefined) return { text: '–' };
    if (run.options.users < 100000) {
      return { text: `not at this size: ${mb(peak)} after a ${num(run.options.users)}-user sync (run --large)` };
    }
    return { text: mb(peak), met: peak * 1.048576 < 200 };
  });
  return rows;
}

function verdict(met: boolean | undefined): string {
  return met === undefined ? '' : met ? ' — **met**' : ' — **missed**';
}

function phaseTable(target: TargetResult, floor: TargetResult | undefined, peer: TargetResult | undefined): string[] {
  const lines = [
    `| phase | requests | seconds | req/s | p50 ms | p95 ms | p99 ms | share of floor | × peer | peak RSS |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
  ];
  for (const p of target.phases) {
    const f = phase(floor, p.name);
    const q = phase(peer, p.name);
    const share = f && target.kind !== 'floor' ? `${num((100 * p.rps) / f.rps, 1)} %` : '–';
    const versus = q && target.kind !== 'peer' && target.kind !== 'floor' ? `${num(p.rps / q.rps, 2)}×` : '–';
    lines.push(
      `| ${p.name} | ${num(p.requests)} | ${num(p.seconds, 1)} | ${num(p.rps)} | ${ms(p.latency.p50)} | ${ms(p.latency.p95)} | ${ms(p.latency.p99)} | ${share} | ${versus} | ${mb(p.peakRssMiB)} |`,
    );
  }
  return lines;
}

function kindTable(targets: TargetResult[]): string[] {
  const kinds = new Set<string>();
  for (const t of targets) for (const p of t.phases) for (const k of Object.keys(p.kinds)) kinds.add(`${p.name}/${k}`);
  const lines = [
    `| phase / request | ${targets.map((t) => `${t.label} p50 · p95 · p99 ms`).join(' | ')} |`,
    `|---|${targets.map(() => '---:').join('|')}|`,
  ];
  for (const key of kinds) {
    const [phaseName, kind] = key.split('/');
    const cells = targets.map((t) => {
      const s = phase(t, phaseName)?.kinds[kind];
      return s ? `${ms(s.p50)} · ${ms(s.p95)} · ${ms(s.p99)} (${num(s.count)})` : '–';
    });
    lines.push(`| ${phaseName} / ${kind} | ${cells.join(' | ')} |`);
  }
  return lines;
}

function charts(run: RunResult, chartsDir: string): { throughput: string; latency: string } {
  mkdirSync(chartsDir, { recursive: true });
  const targets = run.targets;
  const series = targets.map((t) => ({
    name: t.label,
    color: COLORS[t.kind === 'server' ? t.label : t.kind] ?? '#76b7b2',
  }));
  const throughput = groupedBarChart({
    title: `Requests per second per phase (${num(run.options.users)} users, concurrency ${run.options.concurrency})`,
    yLabel: 'requests per second',
    series,
    groups: PHASES.map((name) => ({ label: name, values: targets.map((t) => phase(t, name)?.rps) })),
  });
  const latencySeries = targets.flatMap((t, i) =>
    ['p50', 'p95', 'p99'].map((p, k) => ({ name: `${t.label} ${p}`, color: shade(series[i].color, k) })),
  );
  const latency = groupedBarChart({
    title: 'Latency percentiles per phase (ms)',
    yLabel: 'milliseconds',
    series: latencySeries,
    legend: series,
    legendNote: 'each target: p50, p95, p99 (darker to lighter)',
    width: 1100,
    height: 460,
    groups: PHASES.map((name) => ({
      label: name,
      values: targets.flatMap((t) => {
        const l = phase(t, name)?.latency;
        return [l?.p50, l?.p95, l?.p99];
      }),
    })),
  });
  writeFileSync(join(chartsDir, 'throughput.svg'), throughput);
  writeFileSync(join(chartsDir, 'latency.svg'), latency);
  return { throughput: join(chartsDir, 'throughput.svg'), latency: join(chartsDir, 'latency.svg') };
}

/** The series colour, lighter for p95 and lighter still for p99. */
function shade(hex: string, step: number): string {
  const n = parseInt(hex.slice(1), 16);
  const mix = (c: number) => Math.round(c + (255 - c) * step * 0.3);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map(mix);
  return `#${((r << 16) | (g << 8) | b).toString(16).padStart(6, '0')}`;
}

/** The generated part of BENCHMARKS.md: command, machine, targets, tables, charts, correctness. */
export function renderResults(run: RunResult, reportFile: string, chartsDir: string): string {
  const floor = run.targets.find((t) => t.kind === 'floor');
  const peer = run.targets.find((t) => t.kind === 'peer');
  const servers = run.targets.filter((t) => t.kind === 'server');
  const paths = charts(run, chartsDir);
  const rel = (p: string) => relative(dirname(reportFile), p);
  const m = run.machine;
  const o = run.options;
  const out: string[] = [BEGIN, '', '## Last run', ''];
  out.push(
    `- Command: \`${run.command}\` (${o.mode} mode; ${num(o.users)} users, ${num(o.groups)} groups, ${num(o.memberships)} memberships, concurrency ${o.concurrency}, seed ${o.seed}; ${num(run.seconds)} s in all)`,
    `- Date: ${run.date}`,
    `- Machine: ${machineLine(m)}`,
    `- Databases: ${m.databases.join('; ')}`,
    `- Load average of the machine (1 min) at the start and end of each target: ${run.targets
      .map((t) => `${t.label} ${t.loadAverage.map((l) => l.toFixed(1)).join(' → ')}`)
      .join(', ')} — other work on the machine during the run shows here; compare figures as ratios within the run`,
    `- Server: the built \`dist/\` server as its own process, \`NODE_ENV=production LOG_LEVEL=${o.logLevel} LOG_FORMAT=json\`, logs to a file; the load generator, the floor, the peer and the databases share the same ${m.cores} cores`,
    '',
  );
  for (const line of run.skipped) out.push(`- ${line}`);
  for (const t of run.targets) for (const note of t.notes) out.push(`- ${t.label}: ${note}`);
  if (run.skipped.length || run.targets.some((t) => t.notes.length)) out.push('');

  out.push(
    '### Targets',
    '',
    `| target | ${servers.map((s) => s.label).join(' | ')} |`,
    `|---|${servers.map(() => '---').join('|')}|`,
  );
  for (const check of checkTargets(run)) {
    out.push(
      `| ${check.name} | ${servers.map((s) => `${check.cells[s.label].text}${verdict(check.cells[s.label].met)}`).join(' | ')} |`,
    );
  }
  out.push('');

  out.push('### Throughput and latency per phase', '');
  out.push(
    'Latency is per request, from sending to the last byte, at the concurrency above; req/s is requests over the phase’s wall time. A user-phase request is either the `userName eq` lookup or the create that follows it.',
    '',
  );
  for (const target of run.targets) {
    out.push(`#### ${target.label}`, '', ...phaseTable(target, floor, peer), '');
  }
  out.push(
    `![Requests per second per phase](${rel(paths.throughput)})`,
    '',
    `![Latency percentiles per phase](${rel(paths.latency)})`,
    '',
  );
  out.push('#### Per request kind', '', ...kindTable(run.targets), '');

  out.push('### Probes', '');
  out.push(
    '`userName eq` lookups one at a time on random existing users (after 20 unmeasured ones); beside them, `GET /ServiceProviderConfig`, which passes the same access checks and answers a static document, so the difference is the lookup’s own work. Populations above what the workload created are seeded by bulk INSERTs through the server’s own entities and its SCIM coercion of an Entra-shaped body (the rows a SCIM create writes), then read back over HTTP before they are trusted.',
    '',
    '| target | probe | samples | median ms | p95 ms | p99 ms |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const t of run.targets) {
    if (t.fixedCost) {
      const f = t.fixedCost;
      out.push(
        `| ${t.label} | GET /ServiceProviderConfig (no query work) | ${f.count} | ${ms(f.p50)} | ${ms(f.p95)} | ${ms(f.p99)} |`,
      );
    }
    for (const l of t.lookups) {
      out.push(
        `| ${t.label} | \`userName eq\` at ${num(l.population)} users | ${l.samples} | ${ms(l.latency.p50)} | ${ms(l.latency.p95)} | ${ms(l.latency.p99)} |`,
      );
    }
  }
  out.push('');
  const seeded = servers.flatMap((s) =>
    s.seeding.map((x) => `${s.label}: ${num(x.added)} users to reach ${num(x.toUsers)} in ${num(x.seconds, 1)} s`),
  );
  if (seeded.length) out.push(`Seeding: ${seeded.join('; ')}.`, '');
  const probed = servers.filter((s) => s.groupProbe);
  if (probed.length) {
    out.push(
      `A group of ${num(probed[0].groupProbe!.bigMembers)} members (seeded by bulk INSERT) against an empty one, ${probed[0].groupProbe!.iterations} rounds, the two groups alternating request by request; medians in ms. Each round adds one non-member (\`Add\` on \`members\`), removes it again (\`Remove\` with a value list), and reads the group with \`excludedAttributes=members\`; the first rounds also check membership with Entra’s \`id eq … and members eq …\` query.`,
      '',
      `| operation | ${probed.map((s) => `${s.label} big · empty · ratio`).join(' | ')} |`,
      `|---|${probed.map(() => '---:').join('|')}|`,
    );
    for (const [name, key] of [
      ['add one member', 'add'],
      ['remove one member', 'remove'],
      ['GET excludedAttributes=members', 'getExcludingMembers'],
    ] as const) {
      out.push(
        `| ${name} | ${probed
          .map((s) => {
            const g = s.groupProbe![key];
            return `${ms(g.big)} · ${ms(g.empty)} · **${num(g.ratio, 2)}×**`;
          })
          .join(' | ')} |`,
      );
    }
    out.push('');
  }
  out.push(
    'Peak resident memory (VmHWM of the process):',
    '',
    '| target | after the sync | over the whole run (probes and seeded population included) |',
    '|---|---:|---:|',
  );
  for (const t of run.targets) out.push(`| ${t.label} | ${mb(t.syncPeakRssMiB)} | ${mb(t.peakRssMiB)} |`);
  out.push('');

  out.push('### Correctness', '');
  for (const t of run.targets) {
    if (t.kind === 'floor') continue;
    const v = t.verification;
    const state = !v
      ? 'not verified'
      : v.differences === 0
        ? `final state matches the model (${num(v.phase.requests)} reads)`
        : `**${num(v.differences)} differences** from the intended state`;
    out.push(`- ${t.label}: ${num(t.unexpectedAnswers.count)} unexpected answers; ${state}.`);
    for (const sample of [...t.unexpectedAnswers.samples.slice(0, 4), ...(v?.samples.slice(0, 6) ?? [])]) {
      out.push(`  - \`${sample.replace(/`/g, "'").slice(0, 220)}\``);
    }
  }
  out.push('', END);
  return out.join('\n');
}

export function writeReport(run: RunResult, reportFile: string, chartsDir: string): void {
  const results = renderResults(run, reportFile, chartsDir);
  let text: string;
  if (existsSync(reportFile)) {
    const current = readFileSync(reportFile, 'utf8');
    const a = current.indexOf(BEGIN.slice(0, 30));
    const b = current.indexOf(END);
    text =
      a >= 0 && b > a
        ? current.slice(0, a) + results + current.slice(b + END.length)
        : `${current.trimEnd()}\n\n${results}\n`;
  } else {
    text = `# Benchmarks\n\n${results}\n`;
  }
  writeFileSync(reportFile, text);
}
