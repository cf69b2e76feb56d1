import { useEffect, useId, useRef, useState } from 'preact/hooks';
import {
  ApiMessage,
  disableScim,
  enableScim,
  generateTokenExpiring,
  GeneratedToken,
  revokeToken,
  ScimChecks,
  scimChecks,
  scimStatus,
  ScimStatus,
  searchTokens,
  UserToken,
} from '../api';
import { ConfirmDialog } from '../components/confirm-dialog';
import { CopyField } from '../components/copy-field';
import { ErrorMessages } from '../components/messages';
import { formatDate } from '../format';
import { href, ROUTES } from '../router';
import { messagesOf } from '../errors';
import { ConnectionState } from './activity';

type Mode = 'jit' | 'scim';

const MODE_LABELS: Record<Mode, string> = {
  jit: 'Just-in-time user and group provisioning',
  scim: 'Automatic user and group provisioning with SCIM',
};

/**
 * The Provisioning section of the SAML screen: choose the mode, Save, confirm in a dialog. Nothing changes on the
 * server until the dialog is confirmed; the server's refusals (no Enterprise license, SAML incomplete) are shown in
 * its own words.
 */
export function ProvisioningSection({
  loginAttribute,
  settingsVersion,
  onModeLoaded,
}: {
  loginAttribute: string | null;
  /** Changes each time the SAML settings above are saved: an earlier refusal may no longer hold. */
  settingsVersion: number;
  /** Told whether SCIM is on each time the section reads the mode (the SAML form above says what that holds back). */
  onModeLoaded?: (scimOn: boolean) => void;
}) {
  const [status, setStatus] = useState<ScimStatus | null>(null);
  const [choice, setChoice] = useState<Mode>('jit');
  const [dialogOpen, setDialogOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [checking, setChecking] = useState(false);
  const [checks, setChecks] = useState<ScimChecks | null>(null);
  const [errors, setErrors] = useState<ApiMessage[]>([]);
  const [notice, setNotice] = useState('');
  const saveButton = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const descriptions = { jit: useId(), scim: useId() };

  const current: Mode = status?.enabled ? 'scim' : 'jit';
  const changed = status !== null && choice !== current;

  const load = async () => {
    try {
      const fresh = await scimStatus();
      setStatus(fresh);
      setChoice(fresh.enabled ? 'scim' : 'jit');
      onModeLoaded?.(fresh.enabled);
    } catch (error) {
      setErrors(messagesOf(error));
    }
  };
  useEffect(() => {
    void load();
  }, []);
  // Saving SAML may have met what SCIM was refused for: the old refusal would now be wrong, so it goes.
  useEffect(() => {
    if (settingsVersion > 0) setErrors([]);
  }, [settingsVersion]);

  /** Runs the server's checks first: the dialog opens only when the switch can happen, and says what it changes. */
  const save = async () => {
    setNotice('');
    if (!changed) {
      setNotice(`Nothing to save: ${MODE_LABELS[current].toLowerCase()} is already on.`);
      return;
    }
    setErrors([]);
    setChecking(true);
    try {
      const fresh = await scimChecks();
      setChecks(fresh);
      if (choice === 'scim' && fresh.problems.length > 0) {
        setErrors(fresh.problems.map((p) => ({ msg: p.msg, field: p.prerequisite })));
        return;
      }
      setDialogOpen(true);
    } catch (error) {
      setErrors(messagesOf(error));
    } finally {
      setChecking(false);
    }
  };

  const confirm = async () => {
    setBusy(true);
    try {
      if (choice === 'scim') await enableScim();
      else await disableScim();
      await load();
      setNotice(
        choice === 'scim'
          ? 'Automatic provisioning with SCIM is on. Connect Microsoft Entra ID with the tenant URL and a token below.'
          : 'Just-in-time provisioning is on. Users and groups are editable here again; their links to Entra ID are ' +
              'kept for when SCIM is switched back on.',
      );
    } catch (error) {
      setErrors(messagesOf(error));
    } finally {
      setBusy(false);
      setDialogOpen(false);
    }
  };

  return (
    <section aria-labelledby={headingId} class="panel" id="provisioning">
      <h2 id={headingId}>Provisioning</h2>
      <fieldset class="choices" disabled={status === null}>
        <legend class="visually-hidden">How users and groups are provisioned</legend>
        <ModeChoice
          mode="jit"
          checked={choice === 'jit'}
          current={current === 'jit' && status !== null}
          descriptionId={descriptions.jit}
          onChoose={setChoice}
        >
          Users and groups are created and updated when users sign in with SAML. They stay editable here.
        </ModeChoice>
        <ModeChoice
          mode="scim"
          checked={choice === 'scim'}
          current={current === 'scim'}
          descriptionId={descriptions.scim}
          onChoose={setChoice}
        >
          Microsoft Entra ID creates, updates and removes users and groups through SCIM. It synchronizes about every 40
          minutes: changes made in Microsoft Entra ID are not reflected here immediately. Needs an Enterprise license
          and a complete SAML configuration.
        </ModeChoice>
      </fieldset>
      <div class="form-actions">
        <button
          type="button"
          ref={saveButton}
          class="button button-primary"
          aria-disabled={changed && !checking ? undefined : 'true'}
          onClick={() => void (checking ? undefined : save())}
        >
          {checking ? 'Checking…' : 'Save'}
        </button>
        <p role="status" class="status-text">
          {notice}
        </p>
      </div>
      <ErrorMessages
        intro={choice === 'scim' ? 'SCIM provisioning cannot be enabled yet:' : undefined}
        messages={errors}
      />
      {errors.some((e) => e.field === 'license') && (
        <p class="hint">
          Install an Enterprise license with the SCIM feature in the <a href={href(ROUTES.license)}>License manager</a>.
        </p>
      )}
      {errors.some((e) => e.field === 'saml') && (
        <p class="hint">Fill in and enable the SAML configuration above, save it, then save this choice again.</p>
      )}
      {status?.enabled && <ScimConnection status={status} loginAttribute={loginAttribute} />}
      {status?.enabled && <ConnectionState compact />}

      <ConfirmDialog
        open={dialogOpen}
        busy={busy}
        returnFocusTo={saveButton}
        title={
          choice === 'scim'
            ? 'Switch to automatic provisioning with SCIM?'
            : 'Switch back to just-in-time provisioning?'
        }
        confirmLabel={choice === 'scim' ? 'Enable SCIM provisioning' : 'Switch to just-in-time'}
        danger={choice === 'jit'}
        onConfirm={confirm}
        onCancel={() => setDialogOpen(false)}
      >
        {choice === 'scim' ? <EnableScimConsequences checks={checks} /> : <DisableScimConsequences checks={checks} />}
      </ConfirmDialog>
    </section>
  );
}

interface ModeChoiceProps {
  mode: Mode;
  checked: boolean;
  current: boolean;
  descriptionId: string;
  onChoose(mode: Mode): void;
  children: string;
}

function ModeChoice(props: ModeChoiceProps) {
  const id = useId();
  return (
    <div class={props.checked ? 'choice is-checked' : 'choice'}>
      <input
        id={id}
        type="radio"
        name="provisioning-mode"
        value={props.mode}
        checked={props.checked}
        aria-describedby={props.descriptionId}
        onChange={() => props.onChoose(props.mode)}
      />
      <div>
        <label for={id}>{MODE_LABELS[props.mode]}</label>
        {props.current && <span class="badge badge-current">In use</span>}
        <p id={props.descriptionId} class="hint">
          {props.children}
        </p>
      </div>
    </div>
  );
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function EnableScimConsequences({ checks }: { checks: ScimChecks | null }) {
  const counts = checks?.counts;
  return (
    <>
      <p>Once you confirm, Microsoft Entra ID takes over the users and groups it provisions:</p>
      {counts && (
        <p class="what-changes">
          Today: {plural(counts.activeUsers, 'active user', 'active users')}, of which{' '}
          {plural(counts.localAccounts, 'local account', 'local accounts')}, and{' '}
          {plural(counts.groups, 'group', 'groups')}.
        </p>
      )}
      <Consequences sentences={checks?.consequences.enable} />
      <p>Nothing changes until you confirm. You can switch back to just-in-time provisioning later.</p>
    </>
  );
}

function DisableScimConsequences({ checks }: { checks: ScimChecks | null }) {
  return (
    <>
      <p>Once you confirm, Microsoft Entra ID no longer manages users and groups here:</p>
      <Consequences sentences={checks?.consequences.disable} />
    </>
  );
}

/** The server's own sentences (`checks`), so the page and the API never say different things. */
function Consequences({ sentences }: { sentences: string[] | undefined }) {
  if (!sentences) return null;
  return (
    <ul>
      {sentences.map((sentence) => (
        <li key={sentence}>{sentence}</li>
      ))}
    </ul>
  );
}

/** Token lifetimes offered, as the product offers them; the date is sent as a day (from 00:00 UTC). */
const EXPIRY_CHOICES = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'No expiration' },
] as const;
type Expiry = (typeof EXPIRY_CHOICES)[number]['value'];

export function expirationDateOf(choice: Expiry, now = new Date()): string | null {
  if (choice === 'never') return null;
  return new Date(now.getTime() + Number(choice) * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** "Microsoft Entra ID SCIM <today>", numbered when a token of that name exists already (a second one the same day). */
export function defaultTokenName(existing: readonly string[], now = new Date()): string {
  const base = `Microsoft Entra ID SCIM ${now.toISOString().slice(0, 10)}`;
  const taken = new Set(existing);
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base} (${n})`)) n++;
  return `${base} (${n})`;
}

/** What the admin pastes into Entra ID › Provisioning › Admin Credentials, once SCIM is on. */
function ScimConnection({ status, loginAttribute }: { status: ScimStatus; loginAttribute: string | null }) {
  const headingId = useId();
  const nameId = useId();
  const expiryId = useId();
  const [tokenName, setTokenName] = useState('');
  const [nameEdited, setNameEdited] = useState(false);
  const [expiry, setExpiry] = useState<Expiry>('90');
  const [generated, setGenerated] = useState<GeneratedToken | null>(null);
  const [errors, setErrors] = useState<ApiMessage[]>([]);
  const [busy, setBusy] = useState(false);
  const [tokens, setTokens] = useState<UserToken[] | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const generateButton = useRef<HTMLButtonElement>(null);
  const tenantUrl = status.tenantUrl ?? `${window.location.origin}/api/scim/v2`;

  const loadTokens = async (keepName = nameEdited) => {
    try {
      const fresh = await searchTokens();
      setTokens(fresh);
      if (!keepName) setTokenName(defaultTokenName(fresh.map((t) => t.name)));
    } catch (error) {
      setErrors(messagesOf(error));
    }
  };
  useEffect(() => {
    void loadTokens();
  }, []);

  const generate = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors([]);
    try {
      const token = await generateTokenExpiring(tokenName.trim(), expirationDateOf(expiry));
      setGenerated(token);
      setNameEdited(false);
      await loadTokens(false);
      // The token field takes focus with its text selected, ready to copy.
      setTimeout(() => document.getElementById('generated-token')?.querySelector('input')?.focus(), 0);
    } catch (error) {
      setErrors(messagesOf(error));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    try {
      await revokeToken(revoking);
      if (generated?.name === revoking) setGenerated(null);
      await loadTokens();
    } catch (error) {
      setErrors(messagesOf(error));
    } finally {
      setBusy(false);
      setRevoking(null);
    }
  };

  return (
    <div class="scim-connection" aria-labelledby={headingId} role="region">
      <h3 id={headingId}>Connect Microsoft Entra ID</h3>
      <p>
        In Entra ID, open Enterprise applications › your application › Provisioning, set <em>Provisioning Mode</em> to
        Automatic, and fill in <em>Admin Credentials</em> with these two values.
      </p>
      <CopyField
        label="Tenant URL"
        value={tenantUrl}
        hint="Entra ID must reach this address directly. Behind a proxy, use the address Entra ID reaches followed by /api/scim/v2."
      />
      <form class="token-form" onSubmit={generate}>
        <div class="field">
          <label for={nameId}>Token name</label>
          <p class="hint" id={`${nameId}-hint`}>
            The secret token is a user token of your account, which must stay an administrator for provisioning to work.
            Prefer a local administrator account, not one managed through SCIM.
          </p>
          <div class="copy-row">
            <input
              id={nameId}
              class="input"
              type="text"
              value={tokenName}
              aria-describedby={`${nameId}-hint`}
              onInput={(event) => {
                setNameEdited(true);
                setTokenName((event.currentTarget as HTMLInputElement).value);
              }}
            />
            <label for={expiryId} class="visually-hidden">
              Expires in
            </label>
            <select
              id={expiryId}
              class="input input-narrow"
              value={expiry}
              aria-describedby={`${expiryId}-hint`}
              onChange={(event) => setExpiry((event.currentTarget as HTMLSelectElement).value as Expiry)}
            >
              {EXPIRY_CHOICES.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.value === 'never' ? choice.label : `Expires in ${choice.label}`}
                </option>
              ))}
            </select>
            <button
              type="submit"
              ref={generateButton}
              class="button button-primary"
              disabled={busy || !tokenName.trim()}
            >
              Generate token
            </button>
          </div>
          <p class="hint" id={`${expiryId}-hint`}>
            When the token expires, provisioning stops until you give Entra ID a new one: note the date, and generate
            the next token before it.
          </p>
        </div>
      </form>
      <ErrorMessages messages={errors} />
      {generated && (
        <div id="generated-token" class="token-once">
          <CopyField
            label="Secret token"
            value={generated.token}
            secret
            hint="Copy it now and paste it into Entra ID's Secret Token field: it is shown only this once and cannot be seen again."
          />
        </div>
      )}
      {loginAttribute && (
        <p class="hint">
          Then, under Mappings › Provision Microsoft Entra ID Users, map <code>userName</code> to the Entra ID attribute
          sent as the SAML user login attribute (<code>{loginAttribute}</code>).
        </p>
      )}
      {tokens && tokens.length > 0 && (
        <table class="table table-compact">
          <caption>Your tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.name}>
                <td>{token.name}</td>
                <td>{formatDate(token.createdAt)}</td>
                <td>{token.lastConnectionDate ? formatDate(token.lastConnectionDate) : 'Never'}</td>
                <td>
                  {!token.expirationDate
                    ? 'Never'
                    : token.isExpired
                      ? `Expired on ${formatDate(token.expirationDate)}`
                      : formatDate(token.expirationDate)}
                </td>
                <td class="actions">
                  <button
                    type="button"
                    class="button button-small button-danger-outline"
                    aria-label={`Revoke ${token.name}`}
                    onClick={() => setRevoking(token.name)}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={revoking !== null}
        busy={busy}
        returnFocusTo={generateButton}
        title={`Revoke ${revoking ?? 'this token'}?`}
        confirmLabel="Revoke"
        danger
        onConfirm={revoke}
        onCancel={() => setRevoking(null)}
      >
        <p>
          Anything that uses this token stops working at once. If Entra ID uses it, provisioning stops until you give
          Entra ID a new token.
        </p>
      </ConfirmDialog>
    </div>
  );
}
