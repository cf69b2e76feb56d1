import type { InputHTMLAttributes } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import {
  administrators,
  changePassword,
  createUser,
  currentLogin,
  deactivateUser,
  scimStatus,
  searchUserDetails,
  setUserAdmin,
  updateUser,
  User,
  UserDetails,
} from '../api';
import { ActionButton } from '../components/action-button';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessages, ManagedBadge } from '../components/messages';
import { Screen } from '../components/screen';
import { useAction } from '../components/use-action';
import { firstReason, managedReason, PAGE_SIZE, SearchList, SelectField, useSearch } from '../components/search-list';
import { formatDate } from '../format';
import { routeParam } from '../router';

type ManagedFilter = 'all' | 'managed' | 'local';
type StatusFilter = 'active' | 'deactivated';

/** Why a user cannot be deactivated here, or null when it can (the server still has the last word). */
export function deactivationBlockedReason(user: User, me: string | null, instanceManaged = true): string | null {
  return firstReason(
    instanceManaged && user.managed && managedReason('deactivate or unassign this user'),
    me !== null && user.login === me && 'You cannot deactivate your own account.',
  );
}

/** Why a user's name and email cannot be edited here: while SCIM is on, users are the identity provider's. */
export function editBlockedReason(user: User, instanceManaged: boolean): string | null {
  return firstReason(
    instanceManaged && user.managed && managedReason('change this user'),
    instanceManaged &&
      'Users are read-only while Microsoft Entra ID provisions them: local users can only be deactivated.',
  );
}

function passwordBlockedReason(user: User): string | null {
  return user.local === false ? 'Signs in through SAML: there is no password to change here.' : null;
}

type Editing =
  | { kind: 'create'; login?: string }
  | { kind: 'edit'; user: UserDetails }
  | { kind: 'password'; user: UserDetails }
  | { kind: 'deactivate'; user: UserDetails }
  | { kind: 'admin'; user: UserDetails; grant: boolean };

/** Administration › Security › Users: who has an account, what they may do, and which accounts Entra ID manages. */
export function UsersScreen() {
  const [q, setQ] = useState(routeParam('q') ?? '');
  const [filter, setFilter] = useState<ManagedFilter>('all');
  const [status, setStatus] = useState<StatusFilter>('active');
  const [instanceManaged, setInstanceManaged] = useState(false);
  const [me, setMe] = useState<string | null>(null);
  const [admins, setAdmins] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<Editing | null>(null);
  const [notice, setNotice] = useState('');
  const searchInput = useRef<HTMLInputElement>(null);

  const loadAdmins = () =>
    administrators('users')
      .then(setAdmins)
      .catch(() => setAdmins(new Set()));
  useEffect(() => {
    scimStatus()
      .then((s) => setInstanceManaged(s.enabled))
      .catch(() => setInstanceManaged(false));
    currentLogin()
      .then(setMe)
      .catch(() => setMe(null));
    void loadAdmins();
  }, []);

  // The API takes the `managed` filter only while the instance is managed.
  const managed = instanceManaged && filter !== 'all' ? filter === 'managed' : undefined;
  const search = useSearch<UserDetails>(
    { q: q.trim() || undefined, managed, deactivated: status === 'deactivated' },
    async (query, page) => {
      const result = await searchUserDetails({
        q: query.q as string | undefined,
        managed: query.managed as boolean | undefined,
        deactivated: query.deactivated as boolean,
        p: page,
        ps: PAGE_SIZE,
      });
      return { items: result.users, paging: result.paging };
    },
  );

  const done = async (message: string) => {
    setEditing(null);
    setNotice(message);
    await Promise.all([search.reload(), loadAdmins()]);
  };

  const columns = ['User', 'Email', 'Groups', 'Last connection', 'Tokens', 'Provisioning', 'Actions'];
  return (
    <Screen title="Users" trail={['Administration', 'Security']}>
      {instanceManaged ? (
        <p class="notice notice-info">
          Users are provisioned by Microsoft Entra ID through SCIM. Every user is read-only here, local accounts too:
          nobody can create users or change their names and emails. What stays allowed: global permissions (on managed
          and local users), deactivating local users, and changing a local account's password.
        </p>
      ) : (
        <p class="notice notice-info">
          Just-in-time provisioning: users are created at their first SAML sign-in, or here as local accounts. They are
          all editable here.
        </p>
      )}
      <SearchList<UserDetails>
        label="Search users"
        placeholder="Login, name or email"
        q={q}
        onQuery={setQ}
        inputRef={searchInput}
        filters={
          <>
            <SelectField<StatusFilter>
              label="Status"
              value={status}
              onChange={setStatus}
              options={[
                ['active', 'Active users'],
                ['deactivated', 'Deactivated users'],
              ]}
            />
            {instanceManaged && (
              <SelectField<ManagedFilter>
                label="Show"
                value={filter}
                onChange={setFilter}
                options={[
                  ['all', 'All users'],
                  ['managed', 'Managed users'],
                  ['local', 'Local users'],
                ]}
              />
            )}
          </>
        }
        toolbar={
          <ActionButton
            label="Create user"
            primary
            disabledReason={instanceManaged ? managedReason('users are created') : null}
            onClick={() => setEditing({ kind: 'create' })}
          />
        }
        errors={[]}
        notice={notice}
        search={search}
        noun={['user', 'users']}
        columns={columns}
        rowKey={(user) => user.login}
        row={(user) => (
          <tr data-login={user.login}>
            <th scope="row">
              <span class="primary-text">
                {user.name || user.login}
                {admins.has(user.login) && <span class="badge badge-builtin">Administrator</span>}
              </span>
              <span class="secondary-text">{user.login}</span>
            </th>
            <td>{user.email || '—'}</td>
            <td>{user.groups?.length ? user.groups.join(', ') : '—'}</td>
            <td>{user.lastConnectionDate ? formatDate(user.lastConnectionDate) : 'Never'}</td>
            <td>{user.tokensCount ?? 0}</td>
            <td>
              <ManagedBadge managed={user.managed} />
            </td>
            <td class="actions">
              {user.active ? (
                <>
                  <ActionButton
                    label="Edit"
                    ariaLabel={`Edit ${user.login}`}
                    disabledReason={editBlockedReason(user, instanceManaged)}
                    onClick={() => setEditing({ kind: 'edit', user })}
                  />
                  <ActionButton
                    label="Change password"
                    ariaLabel={`Change the password of ${user.login}`}
                    disabledReason={passwordBlockedReason(user)}
                    onClick={() => setEditing({ kind: 'password', user })}
                  />
                  <ActionButton
                    label={admins.has(user.login) ? 'Remove administrator' : 'Make administrator'}
                    ariaLabel={`${admins.has(user.login) ? 'Remove administrator from' : 'Make administrator'} ${user.login}`}
                    onClick={() => setEditing({ kind: 'admin', user, grant: !admins.has(user.login) })}
                  />
                  <ActionButton
                    label="Deactivate"
                    ariaLabel={`Deactivate ${user.login}`}
                    danger
                    disabledReason={deactivationBlockedReason(user, me, instanceManaged)}
                    onClick={() => setEditing({ kind: 'deactivate', user })}
                  />
                </>
              ) : (
                <ActionButton
                  label="Reactivate"
                  ariaLabel={`Reactivate ${user.login}`}
                  disabledReason={
                    instanceManaged
                      ? user.managed
                        ? managedReason('reactivate this user')
                        : managedReason('users are created and reactivated')
                      : null
                  }
                  onClick={() => setEditing({ kind: 'create', login: user.login })}
                />
              )}
            </td>
          </tr>
        )}
      />
      <UserDialogs
        editing={editing}
        me={me}
        returnFocusTo={searchInput}
        onDone={done}
        onClose={() => setEditing(null)}
      />
    </Screen>
  );
}

interface UserDialogsProps {
  editing: Editing | null;
  me: string | null;
  returnFocusTo: { current: HTMLElement | null };
  onDone(message: string): Promise<void>;
  onClose(): void;
}

/** The create, edit, password, permission and deactivation dialogs: one open at a time, each with its own form. */
function UserDialogs({ editing, me, returnFocusTo, onDone, onClose }: UserDialogsProps) {
  const [fields, setFields] = useState({ login: '', name: '', email: '', password: '', previous: '' });
  const { errors, setErrors, busy, run } = useAction(onDone);
  const ids = { login: useId(), name: useId(), email: useId(), password: useId(), previous: useId() };

  useEffect(() => {
    setErrors([]);
    const user = editing && 'user' in editing ? editing.user : null;
    setFields({
      login: editing?.kind === 'create' ? (editing.login ?? '') : (user?.login ?? ''),
      name: user?.name ?? '',
      email: user?.email ?? '',
      password: '',
      previous: '',
    });
  }, [editing]);

  const kind = editing?.kind;
  const set = (key: keyof typeof fields) => (event: Event) =>
    setFields((f) => ({ ...f, [key]: (event.currentTarget as HTMLInputElement).value }));
  const input = (
    key: keyof typeof fields,
    label: string,
    type: 'text' | 'email' | 'password' = 'text',
    extra: Record<string, unknown> = {},
  ) => (
    <div class="field">
      <label for={ids[key]}>{label}</label>
      <input
        {...({
          id: ids[key],
          class: 'input',
          type,
          value: fields[key],
          onInput: set(key),
          ...extra,
        } as InputHTMLAttributes<HTMLInputElement>)}
      />
    </div>
  );

  const user = editing && 'user' in editing ? editing.user : null;
  const reactivating = editing?.kind === 'create' && editing.login !== undefined;
  const own = user !== null && user.login === me;
  return (
    <>
      <ConfirmDialog
        open={kind === 'create'}
        busy={busy}
        returnFocusTo={returnFocusTo}
        title={reactivating ? `Reactivate ${fields.login}` : 'Create a local user'}
        confirmLabel={reactivating ? 'Reactivate' : 'Create'}
        confirmDisabled={!fields.login.trim() || !fields.name.trim() || !fields.password}
        onConfirm={() =>
          run(
            () =>
              createUser({
                login: fields.login.trim(),
                name: fields.name.trim(),
                email: fields.email.trim(),
                password: fields.password,
              }),
            reactivating ? `${fields.login} was reactivated.` : `${fields.login} was created.`,
          )
        }
        onCancel={onClose}
      >
        {kind === 'create' && (
          <>
            <p>
              {reactivating
                ? 'The account comes back with the name, email and password given here, in the default group. Its former groups and permissions are not restored.'
                : 'A local account signs in with this password. Giving the login of a deactivated user reactivates that user.'}
            </p>
            {input('login', 'Login', 'text', { readOnly: reactivating, autocomplete: 'off' })}
            {input('name', 'Name')}
            {input('email', 'Email', 'email')}
            {input('password', 'Password', 'password', { autocomplete: 'new-password' })}
            <p class="hint">
              At least 12 characters, with an uppercase and a lowercase letter, a digit and a special character.
            </p>
            <ErrorMessages messages={errors} />
          </>
        )}
      </ConfirmDialog>

      <ConfirmDialog
        open={kind === 'edit'}
        busy={busy}
        returnFocusTo={returnFocusTo}
        title={`Edit ${user?.login ?? ''}`}
        confirmLabel="Save"
        confirmDisabled={!fields.name.trim()}
        onConfirm={() =>
          run(
            () => updateUser(fields.login, { name: fields.name.trim(), email: fields.email.trim() }),
            `${fields.login} was updated.`,
          )
        }
        onCancel={onClose}
      >
        {kind === 'edit' && (
          <>
            {input('name', 'Name')}
            {input('email', 'Email', 'email')}
            <p class="hint">Leave the email empty to remove it.</p>
            <ErrorMessages messages={errors} />
          </>
        )}
      </ConfirmDialog>

      <ConfirmDialog
        open={kind === 'password'}
        busy={busy}
        returnFocusTo={returnFocusTo}
        title={`Change the password of ${user?.login ?? ''}`}
        confirmLabel="Change password"
        confirmDisabled={!fields.password || (own && !fields.previous)}
        onConfirm={() =>
          run(
            () => changePassword(fields.login, fields.password, own ? fields.previous : undefined),
            `The password of ${fields.login} was changed.`,
          )
        }
        onCancel={onClose}
      >
        {kind === 'password' && (
          <>
            <p>The user's sessions end: they sign in again with the new password. Tokens keep working.</p>
            {own && input('previous', 'Current password', 'password', { autocomplete: 'current-password' })}
            {input('password', 'New password', 'password', { autocomplete: 'new-password' })}
            <ErrorMessages messages={errors} />
          </>
        )}
      </ConfirmDialog>

      <ConfirmDialog
        open={kind === 'admin'}
        busy={busy}
        returnFocusTo={returnFocusTo}
        title={
          editing?.kind === 'admin' && editing.grant
            ? `Make ${user?.login} an administrator?`
            : `Remove administrator from ${user?.login}?`
        }
        confirmLabel={editing?.kind === 'admin' && editing.grant ? 'Grant Administer' : 'Remove Administer'}
        danger={editing?.kind === 'admin' && !editing.grant}
        onConfirm={() =>
          editing?.kind === 'admin' &&
          run(
            () => setUserAdmin(editing.user.login, editing.grant),
            editing.grant
              ? `${editing.user.login} is an administrator.`
              : `${editing.user.login} is no longer an administrator.`,
          )
        }
        onCancel={onClose}
      >
        {kind === 'admin' && (
          <>
            <p>
              The global Administer permission, held directly. Permissions stay the admin's in both provisioning modes,
              for managed and local users alike. The last administrator always stays.
            </p>
            <ErrorMessages messages={errors} />
          </>
        )}
      </ConfirmDialog>

      <ConfirmDialog
        open={kind === 'deactivate'}
        busy={busy}
        returnFocusTo={returnFocusTo}
        title={`Deactivate ${user?.login ?? 'this user'}?`}
        confirmLabel="Deactivate"
        danger
        onConfirm={() => user && run(() => deactivateUser(user.login), `${user.name || user.login} was deactivated.`)}
        onCancel={onClose}
      >
        {kind === 'deactivate' && (
          <>
            <p>
              The user can no longer sign in. Their tokens and sessions are revoked at once, and their permissions and
              group memberships are removed. Creating the same login again reactivates the account.
            </p>
            <ErrorMessages messages={errors} />
          </>
        )}
      </ConfirmDialog>
    </>
  );
}
