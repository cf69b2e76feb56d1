import { useEffect, useId, useState } from 'preact/hooks';
import {
  ApiMessage,
  ScimConnection,
  scimConnection,
  ScimCycle,
  scimCycles,
  ScimCyclePage,
  ScimFailureGroup,
  scimFailures,
  ScimFailurePage,
  ScimFailureTarget,
} from '../api';
import { ErrorMessages } from '../components/messages';
import { Screen } from '../components/screen';
import { messagesOf } from '../errors';
import { href, ROUTES } from '../router';

const WINDOWS = [
  { value: '1', label: 'Last 24 hours' },
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
] as const;
const PAGE_SIZE = 20;

/** A time and date, in the browser's language, to the second: an admin matches it with Entra ID's logs. */
function formatTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? value
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

const STATE_TEXT: Record<ScimConnection['state'], string> = {
  off: 'SCIM provisioning is off',
  waiting: 'Waiting for Microsoft Entra ID: no request has come yet',
  active: 'Connected',
  silent: 'Silent: Microsoft Entra ID has not called for longer than two provisioning cycles',
  unrecorded: 'Not known: SCIM activity recording is off on this server (SCIM_ACTIVITY_RECORDING=off)',
};

/**
 * The connection with Entra ID in a few lines: last contact, silence, and the risk of quarantine with its reasons.
 * Shown on the Provisioning screen and at the top of Activity.
 */
export function ConnectionState({ compact = false }: { compact?: boolean }) {
  const headingId = useId();
  const [connection, setConnection] = useState<ScimConnection | null>(null);
  const [errors, setErrors] = useState<ApiMessage[]>([]);
  useEffect(() => {
    scimConnection().then(setConnection, (error: unknown) => setErrors(messagesOf(error)));
  }, []);
  const warn = connection && (connection.state === 'silent' || connection.quarantineRisk);
  return (
    <section aria-labelledby={headingId} class={compact ? 'connection-state' : 'panel connection-state'}>
      {compact ? (
        <h3 id={headingId}>Connection with Microsoft Entra ID</h3>
      ) : (
        <h2 id={headingId}>Connection with Microsoft Entra ID</h2>
      )}
      <ErrorMessages messages={errors} />
      {connection === null && errors.length === 0 && <p role="status">Loading…</p>}
      {connection && (
        <>
          <dl class="facts">
            <dt>State</dt>
            <dd>
              <span class={`badge ${warn ? 'badge-warning' : connection.state === 'active' ? 'badge-ok' : ''}`}>
                {STATE_TEXT[connection.state]}
              </span>
            </dd>
            <dt>Last contact</dt>
            <dd>{formatTime(connection.lastContactAt)}</dd>
            {connection.latestCycle && (
              <>
                <dt>Latest cycle</dt>
                <dd>
                  {connection.latestCycle.requests} requests, {connection.latestCycle.failures} failed
                  {connection.latestCycle.inProgress ? ' (in progress)' : ''}
                </dd>
              </>
            )}
          </dl>
          {connection.quarantineRisk && (
            <div class="notice notice-warning" role="alert">
              <p>
                <strong>Quarantine risk.</strong> Microsoft Entra ID may stop provisioning (quarantine) this
                application:
              </p>
              <ul>
                {connection.quarantineReasons.map((reason) => (
                  <li key={reason.kind}>{reason.message}</li>
                ))}
              </ul>
            </div>
          )}
          {compact && (
            <p class="hint">
              <a href={href(ROUTES.activity)}>See the provisioning activity</a>: cycles, and what failed and why.
            </p>
          )}
        </>
      )}
    </section>
  );
}

/** Requests (bar) and failures (red part of the bar) of each cycle, oldest on the left; an inline SVG. */
export function CycleTimeline({ cycles }: { cycles: ScimCycle[] }) {
  const titleId = useId();
  if (cycles.length === 0) return null;
  const ordered = [...cycles].reverse();
  const width = 760;
  const height = 180;
  const top = 12;
  const bottom = 28;
  const left = 44;
  const max = Math.max(1, ...ordered.map((c) => c.requests));
  const slot = (width - left) / ordered.length;
  const bar = Math.max(4, Math.min(48, slot * 0.6));
  const y = (value: number) => top + (height - top - bottom) * (1 - value / max);
  return (
    <figure class="timeline">
      <svg
        role="img"
        aria-labelledby={titleId}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={titleId}>Requests and failures of the last {ordered.length} cycles, oldest on the left</title>
        <line x1={left} y1={y(0)} x2={width} y2={y(0)} class="timeline-axis" />
        <text x={left - 6} y={y(max) + 4} class="timeline-label" text-anchor="end">
          {max}
        </text>
        <text x={left - 6} y={y(0) + 4} class="timeline-label" text-anchor="end">
          0
        </text>
        {ordered.map((cycle, index) => {
          const x = left + index * slot + (slot - bar) / 2;
          return (
            <g key={cycle.start} class="timeline-cycle">
              <title>{`${formatTime(cycle.start)}: ${cycle.requests} requests, ${cycle.failures} failed`}</title>
              {(['requests', 'failures'] as const).map(
                (kind) =>
                  cycle[kind] > 0 && (
                    <rect
                      key={kind}
                      x={x}
                      y={y(cycle[kind])}
                      width={bar}
                      height={y(0) - y(cycle[kind])}
                      class={`timeline-${kind}`}
                    />
                  ),
              )}
              {(ordered.length <= 12 || index % Math.ceil(ordered.length / 12) === 0) && (
                <text x={x + bar / 2} y={height - 10} class="timeline-label" text-anchor="middle">
                  {new Date(cycle.start).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="timeline-legend">
        <span class="legend-requests">Requests</span> <span class="legend-failures">Failed</span>
      </figcaption>
    </figure>
  );
}

function changesOf(cycle: ScimCycle): string {
  const parts: string[] = [];
  const u = cycle.users;
  const g = cycle.groups;
  const add = (n: number, one: string, what: string) =>
    n > 0 && parts.push(`${n} ${n === 1 ? one : `${one}s`} ${what}`);
  add(u.created, 'user', 'created');
  add(u.updated, 'user', 'updated');
  add(u.deactivated, 'user', 'deactivated');
  add(u.reactivated, 'user', 'reactivated');
  add(u.deleted, 'user', 'deleted');
  add(g.created, 'group', 'created');
  add(g.updated, 'group', 'updated');
  add(g.deleted, 'group', 'deleted');
  add(cycle.membershipChanges, 'membership change', '');
  return parts.length ? parts.join(', ') : 'No change';
}

function ObjectLink({ target }: { target: ScimFailureTarget }) {
  const name = target.subject ?? target.resourceId;
  if (!name) return <span>—</span>;
  if (!target.exists || !target.subject) return <span>{name}</span>;
  const route = target.resourceType === 'Group' ? ROUTES.groups : ROUTES.users;
  return <a href={href(route, { q: target.subject })}>{target.subject}</a>;
}

/** "Credentials refused: the token…" → a heading ("Credentials refused") and the rest, as a sentence. */
function splitExplanation(explanation: string): { title: string; rest: string } {
  const match = /^(.*?)[.:]\s+(.*)$/.exec(explanation);
  if (!match) return { title: explanation.replace(/\.$/, ''), rest: '' };
  return { title: match[1], rest: match[2].charAt(0).toUpperCase() + match[2].slice(1) };
}

function FailureGroup({ group }: { group: ScimFailureGroup }) {
  const headingId = useId();
  const { title, rest } = splitExplanation(group.explanation);
  return (
    <section aria-labelledby={headingId} class="failure-group">
      <h3 id={headingId}>
        {title} <span class="badge badge-warning">{group.count}</span>
      </h3>
      {rest && <p class="hint">{rest}</p>}
      <table class="table table-compact">
        <thead>
          <tr>
            <th scope="col">User or group</th>
            <th scope="col">Times</th>
            <th scope="col">Last</th>
            <th scope="col">Answer sent</th>
            <th scope="col">Request id</th>
          </tr>
        </thead>
        <tbody>
          {group.targets.map((target) => (
            <tr key={`${target.resourceType}-${target.subject ?? target.resourceId}-${target.lastAt}`}>
              <th scope="row">
                <ObjectLink target={target} />
              </th>
              <td>{target.count}</td>
              <td>{formatTime(target.lastAt)}</td>
              <td>
                {target.status}
                {target.detail ? ` — ${target.detail}` : ''}
              </td>
              <td>
                <code>{target.requestId ?? '—'}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Provisioning › Activity: Entra ID's cycles, a timeline of them, and what failed and why. */
export function ActivityScreen() {
  const cyclesId = useId();
  const failuresId = useId();
  const [days, setDays] = useState<string>('7');
  const [page, setPage] = useState(1);
  const [cycles, setCycles] = useState<ScimCyclePage | null>(null);
  const [failures, setFailures] = useState<ScimFailurePage | null>(null);
  const [errors, setErrors] = useState<ApiMessage[]>([]);

  useEffect(() => {
    const from = new Date(Date.now() - Number(days) * 24 * 3600 * 1000).toISOString();
    setErrors([]);
    Promise.all([scimCycles({ from, p: page, ps: PAGE_SIZE }), scimFailures({ from, ps: 50 })]).then(
      ([c, f]) => {
        setCycles(c);
        setFailures(f);
      },
      (error: unknown) => setErrors(messagesOf(error)),
    );
  }, [days, page]);

  return (
    <Screen title="Activity" trail={['Administration', 'Provisioning']}>
      <p class="intro">
        What Microsoft Entra ID asked for over SCIM, grouped into provisioning cycles, and every request that failed,
        with why. A pause of {formatDuration((cycles?.cycleGapSeconds ?? 300) * 1000)} without a request starts a new
        cycle.
      </p>
      <ConnectionState />
      <div class="toolbar">
        <label>
          Period{' '}
          <select
            value={days}
            onChange={(e) => {
              setDays((e.target as HTMLSelectElement).value);
              setPage(1);
            }}
          >
            {WINDOWS.map((w) => (
              <option key={w.value} value={w.value}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessages messages={errors} />
      <section aria-labelledby={cyclesId} class="panel">
        <h2 id={cyclesId}>Cycles</h2>
        {cycles === null && errors.length === 0 && <p role="status">Loading…</p>}
        {cycles && !cycles.recording && (
          <p role="note">
            SCIM requests are not recorded on this server (SCIM_ACTIVITY_RECORDING=off): only what was recorded before
            is shown.
          </p>
        )}
        {cycles && cycles.cycles.length === 0 && <p>No SCIM request in this period.</p>}
        {cycles && cycles.cycles.length > 0 && (
          <>
            <CycleTimeline cycles={cycles.cycles} />
            <table class="table table-compact">
              <thead>
                <tr>
                  <th scope="col">Start</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Requests</th>
                  <th scope="col">Failed</th>
                  <th scope="col">Changes</th>
                  <th scope="col">Slowest</th>
                </tr>
              </thead>
              <tbody>
                {cycles.cycles.map((cycle) => (
                  <tr key={cycle.start}>
                    <th scope="row">
                      {formatTime(cycle.start)}
                      {cycle.inProgress && <span class="badge badge-ok">in progress</span>}
                    </th>
                    <td>{formatDuration(new Date(cycle.end).getTime() - new Date(cycle.start).getTime())}</td>
                    <td>{cycle.requests}</td>
                    <td>
                      {cycle.failures}
                      {cycle.failures > 0 &&
                        ` (${Object.entries(cycle.failuresByCause)
                          .map(([cause, n]) => `${cause} ${n}`)
                          .join(', ')})`}
                    </td>
                    <td>{changesOf(cycle)}</td>
                    <td>
                      {cycle.slowest[0]
                        ? `${cycle.slowest[0].method} ${cycle.slowest[0].route} ${formatDuration(cycle.slowest[0].durationMs)}`
                        : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p class="result-count">
              {cycles.total} cycles{cycles.truncated ? ' (the oldest are left out: narrow the period)' : ''}
              {cycles.total > PAGE_SIZE && (
                <>
                  {' '}
                  <button
                    type="button"
                    class="button button-small"
                    disabled={page <= 1}
                    onClick={() => setPage(page - 1)}
                  >
                    Newer
                  </button>{' '}
                  <button
                    type="button"
                    class="button button-small"
                    disabled={page * PAGE_SIZE >= cycles.total}
                    onClick={() => setPage(page + 1)}
                  >
                    Older
                  </button>
                </>
              )}
            </p>
          </>
        )}
      </section>
      <section aria-labelledby={failuresId} class="panel">
        <h2 id={failuresId}>Failures</h2>
        {failures && failures.groups.length === 0 && <p>No failed request in this period.</p>}
        {failures?.groups.map((group) => (
          <FailureGroup key={group.cause} group={group} />
        ))}
      </section>
    </Screen>
  );
}
