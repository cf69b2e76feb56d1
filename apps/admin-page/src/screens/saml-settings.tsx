import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiMessage, resetSettings, setSetting, settingValues, SettingValue } from '../api';
import { ErrorMessages } from '../components/messages';
import { messagesOf } from '../errors';
import { Screen } from '../components/screen';
import { SAML_ENABLED_KEY, SAML_FIELDS, SAML_LOGIN_ATTRIBUTE_KEY, SamlField } from '../saml-fields';
import { ProvisioningSection } from './provisioning';

const KEYS = SAML_FIELDS.map((f) => f.key);
/** The SAML sign-in's "test configuration" round trip (admin only); its report opens in its own tab. */
const SAML_TEST_PATH = '/saml/validation_init';
/** Switches go last, so turning one on and filling what it needs can be saved together. */
const SWITCHES = new Set([SAML_ENABLED_KEY, 'sonar.auth.saml.signature.enabled']);

type Drafts = Record<string, string>;

/**
 * Administration › Configuration › General settings › Authentication › SAML: the SAML configuration, and below it the
 * Provisioning section where SCIM is switched on, as in the product.
 */
export function SamlSettingsScreen() {
  const [stored, setStored] = useState<Map<string, SettingValue> | null>(null);
  const [loadErrors, setLoadErrors] = useState<ApiMessage[]>([]);
  const [version, setVersion] = useState(0);
  const [scimOn, setScimOn] = useState(false);

  const load = async (): Promise<Map<string, SettingValue> | null> => {
    try {
      const values = await settingValues(KEYS);
      const fresh = new Map(values.map((v) => [v.key, v]));
      setStored(fresh);
      setLoadErrors([]);
      return fresh;
    } catch (error) {
      setLoadErrors(messagesOf(error));
      return null;
    }
  };
  useEffect(() => {
    void load();
  }, []);

  return (
    <Screen title="SAML" trail={['Administration', 'Configuration', 'General settings', 'Authentication']}>
      <div class="settings-layout">
        <nav aria-label="Setting categories" class="side-nav">
          <ul>
            <li>
              <span class="side-nav-item" aria-current="page">
                Authentication
              </span>
            </li>
          </ul>
        </nav>
        <div class="settings-main">
          <nav aria-label="Authentication methods" class="tabs">
            <span class="tab" aria-current="page">
              SAML
            </span>
          </nav>
          <ErrorMessages messages={loadErrors} />
          {stored && (
            <SamlConfigurationForm
              stored={stored}
              scimOn={scimOn}
              onSaved={async () => {
                const fresh = await load();
                setVersion((v) => v + 1);
                return fresh;
              }}
            />
          )}
          {stored && (
            <ProvisioningSection
              loginAttribute={stored.get(SAML_LOGIN_ATTRIBUTE_KEY)?.value ?? null}
              settingsVersion={version}
              onModeLoaded={setScimOn}
            />
          )}
        </div>
      </div>
    </Screen>
  );
}

function initialDrafts(stored: Map<string, SettingValue>): Drafts {
  const drafts: Drafts = {};
  for (const field of SAML_FIELDS) {
    if (field.secured) drafts[field.key] = '';
    else drafts[field.key] = stored.get(field.key)?.value ?? (field.kind === 'boolean' ? 'false' : '');
  }
  return drafts;
}

interface SamlConfigurationFormProps {
  stored: Map<string, SettingValue>;
  /** SCIM is on: its people sign in with SAML, which the server then keeps from being switched off or emptied. */
  scimOn: boolean;
  /** Reloads the settings and returns them. */
  onSaved(): Promise<Map<string, SettingValue> | null>;
}

function SamlConfigurationForm({ stored, scimOn, onSaved }: SamlConfigurationFormProps) {
  const [drafts, setDrafts] = useState<Drafts>(() => initialDrafts(stored));
  /** Secrets being replaced (their field is open) and secrets to clear. */
  const [editingSecrets, setEditingSecrets] = useState<Set<string>>(new Set());
  const [clearedSecrets, setClearedSecrets] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<ApiMessage[]>([]);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState('');
  const form = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const testHintId = useId();

  const changes = () => {
    const toSet: [string, string][] = [];
    const toReset: string[] = [];
    for (const field of SAML_FIELDS) {
      const draft = drafts[field.key];
      if (field.secured) {
        if (clearedSecrets.has(field.key)) toReset.push(field.key);
        else if (draft.trim()) toSet.push([field.key, draft]);
        continue;
      }
      const current = stored.get(field.key);
      const before = current?.value ?? (field.kind === 'boolean' ? 'false' : '');
      if (draft === before) continue;
      // An emptied field means "no value": the API refuses empty values and resets instead.
      if (!draft.trim() && field.kind !== 'boolean') {
        if (current && !current.inherited) toReset.push(field.key);
      } else toSet.push([field.key, draft]);
    }
    toSet.sort(([a], [b]) => Number(SWITCHES.has(a)) - Number(SWITCHES.has(b)));
    return { toSet, toReset };
  };

  const save = async (event: Event) => {
    event.preventDefault();
    const { toSet, toReset } = changes();
    setSaved('');
    if (!toSet.length && !toReset.length) {
      setErrors([]);
      setSaved('Nothing to save: no setting was changed.');
      return;
    }
    setSaving(true);
    const refused: ApiMessage[] = [];
    // One call per setting, as the product's settings API takes them; each refusal is tied to its own field.
    for (const [key, value] of toSet) {
      try {
        await setSetting(key, value);
      } catch (error) {
        refused.push(...messagesOf(error).map((m) => ({ msg: m.msg, field: m.field ?? key })));
      }
    }
    if (toReset.length) {
      try {
        await resetSettings(toReset);
      } catch (error) {
        refused.push(...messagesOf(error));
      }
    }
    const fresh = await onSaved();
    setSaving(false);
    setErrors(refused);
    if (refused.length === 0) setSaved('SAML configuration saved.');
    // Saved fields show what the server now holds (it normalises values); refused ones keep what the admin typed.
    const refusedKeys = new Set(refused.map((m) => m.field));
    if (fresh) {
      const next = initialDrafts(fresh);
      setDrafts((previous) => {
        for (const key of refusedKeys) if (key && key in previous) next[key] = previous[key];
        return next;
      });
      setEditingSecrets((previous) => new Set([...previous].filter((key) => refusedKeys.has(key))));
      setClearedSecrets((previous) => new Set([...previous].filter((key) => refusedKeys.has(key))));
    }
    const first = refused.find((m) => m.field && KEYS.includes(m.field));
    if (first) {
      // After the re-render, so the field that was refused is there to take focus.
      setTimeout(() => form.current?.querySelector<HTMLElement>(`[data-key="${first.field}"]`)?.focus(), 0);
    }
  };

  const fieldErrors = (key: string) => errors.filter((m) => m.field === key);

  return (
    <section aria-labelledby={headingId} class="panel" id="saml-configuration">
      <h2 id={headingId}>SAML Configuration</h2>
      <p class="intro">
        Fields marked <span aria-hidden="true">*</span>
        <span class="visually-hidden">required</span> must be set for SAML sign-in, and for SCIM provisioning, to be
        enabled.
      </p>
      {scimOn && (
        <p class="notice notice-info">
          Automatic provisioning with SCIM is on, and the people Microsoft Entra ID provisions sign in with SAML: SAML
          cannot be switched off or left without a required field until you switch provisioning back to just-in-time
          below.
        </p>
      )}
      <form ref={form} noValidate onSubmit={save}>
        <ErrorMessages intro="Some settings were not saved:" messages={errors} />
        {SAML_FIELDS.map((field) => (
          <SamlFieldInput
            key={field.key}
            field={field}
            stored={stored.get(field.key)}
            value={drafts[field.key]}
            errors={fieldErrors(field.key)}
            editingSecret={editingSecrets.has(field.key)}
            cleared={clearedSecrets.has(field.key)}
            onChange={(value) => setDrafts((d) => ({ ...d, [field.key]: value }))}
            onEditSecret={() => setEditingSecrets((s) => new Set(s).add(field.key))}
            onClearSecret={(clear) =>
              setClearedSecrets((s) => {
                const next = new Set(s);
                if (clear) next.add(field.key);
                else next.delete(field.key);
                return next;
              })
            }
          />
        ))}
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save configuration'}
          </button>
          <a
            class="button"
            href={SAML_TEST_PATH}
            target="_blank"
            rel="noopener noreferrer"
            aria-describedby={testHintId}
          >
            Test configuration
          </a>
          <p role="status" class="status-text">
            {saved}
          </p>
          <p id={testHintId} class="hint">
            Test configuration opens in a new tab: it signs in at the identity provider with the saved configuration and
            reports what comes back, without signing anyone in here.
          </p>
        </div>
      </form>
    </section>
  );
}

interface SamlFieldInputProps {
  field: SamlField;
  stored: SettingValue | undefined;
  value: string;
  errors: ApiMessage[];
  editingSecret: boolean;
  cleared: boolean;
  onChange(value: string): void;
  onEditSecret(): void;
  onClearSecret(clear: boolean): void;
}

function SamlFieldInput(props: SamlFieldInputProps) {
  const { field, errors } = props;
  const id = useId();
  const hintId = useId();
  const errorId = useId();
  const describedBy = [hintId, errors.length ? errorId : null].filter(Boolean).join(' ');
  const invalid = errors.length ? 'true' : undefined;
  const errorList = errors.length ? (
    <ul id={errorId} class="field-errors">
      {errors.map((m, index) => (
        <li key={index}>{m.msg}</li>
      ))}
    </ul>
  ) : null;
  const hint = (
    <p id={hintId} class="hint">
      {field.description}
    </p>
  );
  const label = (
    <label for={id}>
      {field.label}
      {field.required && (
        <span class="required" aria-hidden="true">
          {' '}
          *
        </span>
      )}
    </label>
  );

  if (field.kind === 'boolean') {
    return (
      <div class={errors.length ? 'field field-check has-error' : 'field field-check'}>
        <input
          id={id}
          data-key={field.key}
          type="checkbox"
          checked={props.value === 'true'}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          onChange={(event) => props.onChange(String((event.currentTarget as HTMLInputElement).checked))}
        />
        <div>
          {label}
          {hint}
          {errorList}
        </div>
      </div>
    );
  }

  const isSet = props.stored?.hasValue === true && !props.cleared;
  if (field.secured && isSet && !props.editingSecret) {
    // The server never returns a secret; the form only says that one is set.
    return (
      <div class={errors.length ? 'field has-error' : 'field'} role="group" aria-labelledby={`${id}-label`}>
        <span id={`${id}-label`} class="label">
          {field.label}
          {field.required && (
            <span class="required" aria-hidden="true">
              {' '}
              *
            </span>
          )}
        </span>
        <div class="secret-set">
          <span class="secret-mask" aria-hidden="true">
            ••••••••••••
          </span>
          <span class="secret-text">A value is set. It is never shown.</span>
          <button
            type="button"
            class="button button-small"
            data-key={field.key}
            aria-label={`Change ${field.label.toLowerCase()}`}
            onClick={props.onEditSecret}
          >
            Change
          </button>
          <button
            type="button"
            class="button button-small"
            aria-label={`Clear ${field.label.toLowerCase()}`}
            onClick={() => props.onClearSecret(true)}
          >
            Clear
          </button>
        </div>
        {hint}
        {errorList}
      </div>
    );
  }

  return (
    <div class={errors.length ? 'field has-error' : 'field'}>
      {label}
      {hint}
      {field.secured ? (
        <textarea
          id={id}
          data-key={field.key}
          class={field.kind === 'privateKey' ? 'input mono masked' : 'input mono'}
          rows={4}
          spellcheck={false}
          autocomplete="off"
          value={props.value}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          aria-required={field.required ? 'true' : undefined}
          placeholder={props.cleared ? 'Will be cleared when you save' : '-----BEGIN …-----'}
          onInput={(event) => props.onChange((event.currentTarget as HTMLTextAreaElement).value)}
        />
      ) : (
        <input
          id={id}
          data-key={field.key}
          class="input"
          type="text"
          inputMode={field.kind === 'url' ? 'url' : undefined}
          spellcheck={false}
          autocomplete="off"
          value={props.value}
          placeholder={field.placeholder}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          aria-required={field.required ? 'true' : undefined}
          onInput={(event) => props.onChange((event.currentTarget as HTMLInputElement).value)}
        />
      )}
      {props.cleared && (
        <button type="button" class="button button-small" onClick={() => props.onClearSecret(false)}>
          Keep the current {field.label.toLowerCase()}
        </button>
      )}
      {errorList}
      {field.key === SAML_LOGIN_ATTRIBUTE_KEY && <LoginAttributeExplanation />}
    </div>
  );
}

/** The one SAML setting that SCIM depends on, explained where the admin sets it. */
function LoginAttributeExplanation() {
  return (
    <div class="callout" role="note">
      <p>
        <strong>Entra's userName mapping must produce the same value as this attribute.</strong> With SCIM, Entra ID
        names each user by <code>userName</code>, and SAML sign-in finds that user by the value of this attribute.
      </p>
      <p>
        In Entra ID › Enterprise applications › your application › Provisioning › Mappings › Provision Microsoft Entra
        ID Users, map <code>userName</code> to the Entra ID attribute this claim is made from: if the claim is built
        from <code>user.userprincipalname</code> (the default), use <code>userPrincipalName</code>; if from{' '}
        <code>user.mail</code>, use <code>mail</code>.
      </p>
    </div>
  );
}
