import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiMessage, currentLogin, deactivateUser, scimStatus, searchUsers, User } from '../api';
import { ActionButton } from '../components/action-button';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessages, ManagedBadge } from '../components/messages';
import { Screen } from '../components/screen';
import { PAGE_SIZE, ResultCount, useSearch } from '../components/search-list';
import { messagesOf } from '../errors';

type ManagedFilter = 'all' | 'managed' | 'local';

/** Why a user cannot be deactivated here, or null when it can (the server still has the last word). */
export function deactivationBlockedReason(user: User, me: string | null): string | null {
  if (user.managed) {
    return 'Managed by the identity provider: deactivate or unassign this user in Microsoft Entra ID.';
  }
  if (me !== null && user.login === me) return 'You cannot deactivate your own account.';
  return null;
}

/** Administration › Security › Users: who has an account, and which accounts Entra ID manages. */
export function UsersScreen() {
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState<ManagedFilter>('all');
  const [instanceManaged, setInstanceManaged] = useState(false);
  const [me, setMe] = useState<string | null>(null);
  const [target, setTarget] = useState<User | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ApiMessage[]>([]);
  const [notice, setNotice] = useState('');
  const searchInput = useRef<HTMLInputElement>(null);
  const searchId = useId();
  const filterId = useId();

  useEffect(() => {
    scimStatus()
      .then((status) => setInstanceManaged(status.enabled))
      .catch(() => setInstanceManaged(false));
    currentLogin()
      .then(setMe)
      .catch(() => setMe(null));
  }, []);

  // The API takes the `managed` filter only while the instance is managed.
  const managed = instanceManaged && filter !== 'all' ? filter === 'managed' : undefined;
  const search = useSearch<User>({ q: q.trim() || undefined, managed }, async (query, page) => {
    const result = await searchUsers({
      q: query.q as string | undefined,
      managed: query.managed as boolean | undefined,
      p: page,
      ps: PAGE_SIZE,
    });
    return { items: result.users, paging: result.paging };
  });

  const deactivate = async () => {
    if (!target) return;
    setBusy(true);
    setErrors([]);
    try {
      await deactivateUser(target.login);
      setNotice(`${target.name || target.login} was deactivated.`);
      await search.reload();
    } catch (error) {
      setErrors(messagesOf(error));
    } finally {
      setBusy(false);
      setTarget(null);
    }
  };

  return (
    <Screen title="Users" trail={['Administration', 'Security']}>
      {instanceManaged && (
        <p class="notice notice-info">
          Users are provisioned by Microsoft Entra ID through SCIM. Managed users are read-only here; local users can
          still be deactivated.
        </p>
      )}
      <form role="search" class="search-bar" onSubmit={(event) => event.preventDefault()}>
        <div class="field">
          <label for={searchId}>Search users</label>
          <input
            id={searchId}
            ref={searchInput}
            class="input"
            type="search"
            placeholder="Login, name or email"
            value={q}
            onInput={(event) => setQ((event.currentTarget as HTMLInputElement).value)}
          />
        </div>
        {instanceManaged && (
          <div class="field">
            <label for={filterId}>Show</label>
            <select
              id={filterId}
              class="input"
              value={filter}
              onChange={(event) => setFilter((event.currentTarget as HTMLSelectElement).value as ManagedFilter)}
            >
              <option value="all">All users</option>
              <option value="managed">Managed users</option>
              <option value="local">Local users</option>
            </select>
          </div>
        )}
      </form>
      <ErrorMessages messages={[...search.errors, ...errors]} />
      <p role="status" class="status-text">
        {notice}
      </p>
      {search.items && (
        <>
          <ResultCount shown={search.items.length} total={search.paging?.total ?? 0} noun={['user', 'users']} />
          <table class="table" aria-busy={search.loading ? 'true' : undefined}>
            <caption class="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Email</th>
                <th scope="col">Provisioning</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {search.items.map((user) => (
                <tr key={user.login} data-login={user.login}>
                  <th scope="row">
                    <span class="primary-text">{user.name || user.login}</span>
                    <span class="secondary-text">{user.login}</span>
                  </th>
                  <td>{user.email || '—'}</td>
                  <td>
                    <ManagedBadge managed={user.managed} />
                  </td>
                  <td>{user.active ? 'Active' : 'Deactivated'}</td>
                  <td class="actions">
                    {user.active && (
                      <ActionButton
                        label="Deactivate"
                        ariaLabel={`Deactivate ${user.login}`}
                        danger
                        disabledReason={deactivationBlockedReason(user, me)}
                        onClick={() => setTarget(user)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {search.paging && search.items.length < search.paging.total && (
            <button type="button" class="button" disabled={search.loading} onClick={() => void search.more()}>
              Show more users
            </button>
          )}
        </>
      )}
      <ConfirmDialog
        open={target !== null}
        busy={busy}
        returnFocusTo={searchInput}
        title={`Deactivate ${target?.login ?? 'this user'}?`}
        confirmLabel="Deactivate"
        danger
        onConfirm={deactivate}
        onCancel={() => setTarget(null)}
      >
        <p>
          The user can no longer sign in. Their tokens and sessions are revoked at once, and their permissions and group
          memberships are removed.
        </p>
      </ConfirmDialog>
    </Screen>
  );
}
