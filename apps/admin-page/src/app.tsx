import { useEffect, useState } from 'preact/hooks';
import { ApiError, ApiMessage, onSignedOut, scimStatus, signOut, validateSession } from './api';
import { ErrorMessages } from './components/messages';
import { href, RoutePath, ROUTES, useRoute } from './router';
import { ActivityScreen } from './screens/activity';
import { GroupsScreen } from './screens/groups';
import { LicenseScreen } from './screens/license';
import { SamlSettingsScreen } from './screens/saml-settings';
import { SignInScreen } from './screens/sign-in';
import { UsersScreen } from './screens/users';

type Session = 'checking' | 'signed-in' | 'signed-out' | 'forbidden' | 'unreachable';

const MENU: { heading: string; items: { path: RoutePath; label: string }[] }[] = [
  {
    heading: 'Configuration',
    items: [
      { path: ROUTES.saml, label: 'General settings' },
      { path: ROUTES.license, label: 'License manager' },
    ],
  },
  {
    heading: 'Security',
    items: [
      { path: ROUTES.users, label: 'Users' },
      { path: ROUTES.groups, label: 'Groups' },
    ],
  },
  {
    heading: 'Provisioning',
    items: [{ path: ROUTES.activity, label: 'Activity' }],
  },
];

export function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session>('checking');
  const [problem, setProblem] = useState<ApiMessage[]>([]);

  const check = () => {
    setSession('checking');
    // validate answers 200 either way, so a first visit logs no error; then an admin-only read tells whether the
    // session belongs to an administrator.
    validateSession()
      .then(async (valid) => {
        if (!valid) {
          setSession('signed-out');
          return;
        }
        await scimStatus();
        setSession('signed-in');
      })
      .catch((error: unknown) => {
        const status = error instanceof ApiError ? error.status : 0;
        if (status === 401) setSession('signed-out');
        else if (status === 403) setSession('forbidden');
        else {
          setProblem(error instanceof ApiError ? error.messages : [{ msg: String(error) }]);
          setSession('unreachable');
        }
      });
  };

  useEffect(() => {
    onSignedOut(() => setSession('signed-out'));
    check();
  }, []);

  const leave = async () => {
    try {
      await signOut();
    } finally {
      setSession('signed-out');
    }
  };

  if (session === 'checking') {
    return (
      <main id="main" class="centered">
        <p role="status">Loading…</p>
      </main>
    );
  }
  if (session === 'signed-out') {
    return <SignInScreen onSignedIn={() => setSession('signed-in')} />;
  }
  if (session === 'forbidden' || session === 'unreachable') {
    return (
      <main id="main" class="sign-in">
        <div class="panel sign-in-panel">
          <h1>Administration</h1>
          {session === 'forbidden' ? (
            <p class="notice notice-error" role="alert">
              This page is for administrators. Sign in with an account that has the administer permission.
            </p>
          ) : (
            <ErrorMessages messages={problem} />
          )}
          <div class="form-actions">
            {session === 'forbidden' ? (
              <button type="button" class="button button-primary" onClick={leave}>
                Sign out
              </button>
            ) : (
              <button type="button" class="button button-primary" onClick={check}>
                Try again
              </button>
            )}
          </div>
        </div>
      </main>
    );
  }

  return (
    <>
      <a class="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">Administration</span>
        <button type="button" class="button button-small button-on-dark" onClick={leave}>
          Sign out
        </button>
      </header>
      <div class="layout">
        <nav aria-label="Administration" class="main-nav">
          {MENU.map((group) => (
            <div key={group.heading} class="main-nav-group">
              <h2 class="main-nav-heading">{group.heading}</h2>
              <ul>
                {group.items.map((item) => (
                  <li key={item.path}>
                    <a href={href(item.path)} aria-current={route === item.path ? 'page' : undefined}>
                      {item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main id="main" class="content">
          <CurrentScreen route={route} />
        </main>
      </div>
    </>
  );
}

function CurrentScreen({ route }: { route: RoutePath }) {
  switch (route) {
    case ROUTES.license:
      return <LicenseScreen />;
    case ROUTES.users:
      return <UsersScreen />;
    case ROUTES.groups:
      return <GroupsScreen />;
    case ROUTES.activity:
      return <ActivityScreen />;
    default:
      return <SamlSettingsScreen />;
  }
}

/** The hash is the router's: the skip link moves focus itself instead of changing it. */
function skipToMain(event: MouseEvent) {
  event.preventDefault();
  document.querySelector<HTMLElement>('main h1')?.focus();
}
