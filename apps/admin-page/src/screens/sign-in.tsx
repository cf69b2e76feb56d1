import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiMessage, signIn } from '../api';
import { ErrorMessages } from '../components/messages';
import { messagesOf } from '../errors';

/** A local account's login and password; the server sets an HttpOnly session cookie the page never sees. */
export function SignInScreen({ onSignedIn }: { onSignedIn(): void }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<ApiMessage[]>([]);
  const [busy, setBusy] = useState(false);
  const loginId = useId();
  const passwordId = useId();
  const loginInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Sign in · Administration';
    loginInput.current?.focus();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setErrors([]);
    setBusy(true);
    try {
      await signIn(login.trim(), password);
      setPassword('');
      onSignedIn();
    } catch (error) {
      setErrors(messagesOf(error));
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <div class="panel sign-in-panel">
        <h1>Sign in to Administration</h1>
        <form onSubmit={submit} noValidate>
          <div class="field">
            <label for={loginId}>Login</label>
            <input
              id={loginId}
              ref={loginInput}
              class="input"
              type="text"
              autocomplete="username"
              autocapitalize="none"
              spellcheck={false}
              value={login}
              onInput={(event) => setLogin((event.currentTarget as HTMLInputElement).value)}
            />
          </div>
          <div class="field">
            <label for={passwordId}>Password</label>
            <input
              id={passwordId}
              class="input"
              type="password"
              autocomplete="current-password"
              value={password}
              onInput={(event) => setPassword((event.currentTarget as HTMLInputElement).value)}
            />
          </div>
          <ErrorMessages messages={errors} />
          <button type="submit" class="button button-primary button-block" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
