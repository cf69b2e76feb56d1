import { useEffect, useId, useState } from 'preact/hooks';
import { ApiMessage, currentLicense, installLicense, LicenseInfo } from '../api';
import { ErrorMessages } from '../components/messages';
import { Screen } from '../components/screen';
import { daysUntil, formatDate } from '../format';
import { messagesOf } from '../errors';

const EDITION_NAMES: Record<string, string> = {
  community: 'Community',
  developer: 'Developer',
  enterprise: 'Enterprise',
  datacenter: 'Data Center',
};

const STATUS_NAMES: Record<LicenseInfo['status'], string> = {
  none: 'No license installed',
  valid: 'Valid',
  expired: 'Expired',
  invalid: 'Not valid',
};

/** Administration › Configuration › License manager: what is installed, and a place to install a new key. */
export function LicenseScreen() {
  const [license, setLicense] = useState<LicenseInfo | null>(null);
  const [loadErrors, setLoadErrors] = useState<ApiMessage[]>([]);
  const [key, setKey] = useState('');
  const [errors, setErrors] = useState<ApiMessage[]>([]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const keyId = useId();
  const keyHintId = useId();
  const headingId = useId();

  const load = async () => {
    try {
      setLicense(await currentLicense());
      setLoadErrors([]);
    } catch (error) {
      setLoadErrors(messagesOf(error));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const install = async (event: Event) => {
    event.preventDefault();
    setNotice('');
    setErrors([]);
    if (!key.trim()) {
      setErrors([{ msg: 'Paste a license key first.' }]);
      return;
    }
    setBusy(true);
    try {
      await installLicense(key.trim());
      setKey('');
      await load();
      setNotice('License installed. It applies at once, on every instance.');
    } catch (error) {
      setErrors(messagesOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Screen title="License manager" trail={['Administration', 'Configuration']}>
      <ErrorMessages messages={loadErrors} />
      {license && <LicenseSummary license={license} />}
      <section class="panel" aria-labelledby={headingId}>
        <h2 id={headingId}>Install a license</h2>
        <form onSubmit={install} noValidate>
          <div class={errors.length ? 'field has-error' : 'field'}>
            <label for={keyId}>License key</label>
            <p id={keyHintId} class="hint">
              Paste the key you received. It is checked before it replaces the current license.
            </p>
            <LicenseOrigin />
            <textarea
              id={keyId}
              class="input mono"
              rows={5}
              spellcheck={false}
              autocomplete="off"
              value={key}
              aria-describedby={keyHintId}
              aria-invalid={errors.length ? 'true' : undefined}
              onInput={(event) => setKey((event.currentTarget as HTMLTextAreaElement).value)}
            />
          </div>
          <ErrorMessages messages={errors} />
          {errors.some((e) => e.msg === UNTRUSTED_KEY) && (
            <p class="notice notice-warning" role="note">
              This server does not trust the key that signed this license. The server's operator adds that signer's
              public key (PEM) to the <code>LICENSE_PUBLIC_KEYS</code> environment variable and restarts the server;
              then install the license again. Whoever signed the license gives out that public key (with{' '}
              <code>npm run license-tool</code>
              it is the <code>license-signing-public.pem</code> that <code>keygen</code> wrote).
            </p>
          )}
          <div class="form-actions">
            <button type="submit" class="button button-primary" disabled={busy}>
              {busy ? 'Installing…' : 'Install license'}
            </button>
            <p role="status" class="status-text">
              {notice}
            </p>
          </div>
        </form>
      </section>
    </Screen>
  );
}

/** The server's words for a key signed by a key it does not trust. */
const UNTRUSTED_KEY = 'The license key is not signed by a trusted key';

/** Where a license comes from and why this server accepts it: said where the admin pastes one. */
function LicenseOrigin() {
  return (
    <details class="explain">
      <summary>How a license is obtained and trusted</summary>
      <p>
        A license key is a statement (licensee, edition, features such as <code>scim</code>, expiry) signed by the
        vendor. The server accepts only keys signed by one of the public keys listed in its{' '}
        <code>LICENSE_PUBLIC_KEYS</code> environment variable, read at start; it never holds a signing key.
      </p>
      <p>
        SCIM provisioning needs an <strong>Enterprise</strong> license with the <code>scim</code> feature. Ask the
        vendor for one; for a trial or your own deployment, the operator can make a key pair and sign a key:
      </p>
      <pre class="mono">
        {`npm run license-tool -- keygen --out keys
npm run license-tool -- sign --key keys/license-signing-private.pem \
  --licensee "Acme" --edition enterprise --features scim,saml --expires 2027-12-31`}
      </pre>
      <p>
        then sets <code>LICENSE_PUBLIC_KEYS</code> to the content of <code>keys/license-signing-public.pem</code>,
        restarts the server, and pastes the printed key here.
      </p>
    </details>
  );
}

function LicenseSummary({ license }: { license: LicenseInfo }) {
  const headingId = useId();
  const days = daysUntil(license.expiresAt);
  return (
    <section class="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Current license</h2>
      <LicenseWarning license={license} days={days} />
      <dl class="facts">
        <div>
          <dt>Edition</dt>
          <dd>{EDITION_NAMES[license.edition] ?? license.edition}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <span class={`badge badge-license-${license.status}`}>
              {STATUS_NAMES[license.status] ?? license.status}
            </span>
          </dd>
        </div>
        {license.licensee && (
          <div>
            <dt>Licensee</dt>
            <dd>{license.licensee}</dd>
          </div>
        )}
        <div>
          <dt>Features</dt>
          <dd>
            {license.features.length ? (
              <ul class="feature-list">
                {license.features.map((feature) => (
                  <li key={feature}>
                    <span class="badge">{feature}</span>
                  </li>
                ))}
              </ul>
            ) : (
              'None'
            )}
          </dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd>
            {formatDate(license.expiresAt)}
            {days !== null && days >= 0 && license.status === 'valid' && ` (in ${days} day${days === 1 ? '' : 's'})`}
          </dd>
        </div>
        {license.installedAt && (
          <div>
            <dt>Installed</dt>
            <dd>{formatDate(license.installedAt)}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}

function LicenseWarning({ license, days }: { license: LicenseInfo; days: number | null }) {
  if (license.status === 'none') {
    return (
      <p class="notice notice-info">
        No license is installed: this is the Community edition. Automatic provisioning with SCIM needs an Enterprise
        license.
      </p>
    );
  }
  if (license.status === 'expired' || license.status === 'invalid') {
    return (
      <p class="notice notice-error" role="alert">
        {license.message ?? 'The installed license does not apply.'} Features it grants, SCIM provisioning included, are
        off until a valid license is installed.
      </p>
    );
  }
  if (license.expiringSoon) {
    return (
      <p class="notice notice-warning" role="alert">
        {license.warning ?? `The license expires on ${formatDate(license.expiresAt)}`}
        {days !== null ? ` (in ${days} day${days === 1 ? '' : 's'})` : ''}. Install a new key before then: once it
        expires, SCIM provisioning stops and Entra ID's requests are refused.
      </p>
    );
  }
  return null;
}
