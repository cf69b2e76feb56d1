import { useEffect, useId, useRef, useState } from 'preact/hooks';
import {
  addGroupMember,
  administrators,
  createGroup,
  deleteGroup,
  Group,
  GroupMember,
  groupMembers,
  removeGroupMember,
  scimStatus,
  searchGroups,
  setGroupAdmin,
  updateGroup,
} from '../api';
import { ActionButton } from '../components/action-button';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessages, ManagedBadge } from '../components/messages';
import { Screen } from '../components/screen';
import { useAction } from '../components/use-action';
import { firstReason, managedReason, PAGE_SIZE, SearchList, useSearch } from '../components/search-list';
import { messagesOf } from '../errors';
import { routeParam } from '../router';

/** Why a group cannot be deleted here, or null when it can. */
export function deletionBlockedReason(group: Group, instanceManaged = true): string | null {
  return firstReason(
    instanceManaged && group.managed && managedReason('delete this group'),
    group.default && 'The default group cannot be deleted: every user belongs to it.',
    group.builtIn && 'A built-in group cannot be deleted.',
  );
}

/** Why a group cannot be renamed or described here, or null when it can. */
export function editBlockedReason(group: Group, instanceManaged: boolean): string | null {
  return firstReason(
    instanceManaged && group.managed && managedReason('rename this group'),
    instanceManaged &&
      'Groups are read-only while Microsoft Entra ID provisions them: local groups can only be deleted.',
    group.builtIn && 'A built-in group keeps its name.',
  );
}

/** Why a group's members cannot be changed here, or null when they can. */
export function membersBlockedReason(group: Group, instanceManaged: boolean): string | null {
  return firstReason(
    instanceManaged && group.managed && managedReason('its members are changed'),
    instanceManaged && 'Memberships are read-only while Microsoft Entra ID provisions users and groups.',
    group.default && 'Every active user belongs to the default group.',
  );
}

type Editing =
  | { kind: 'create' }
  | { kind: 'edit'; group: Group }
  | { kind: 'members'; group: Group }
  | { kind: 'admin'; group: Group; grant: boolean }
  | { kind: 'delete'; group: Group };

/** Administration › Security › Groups. */
export function GroupsScreen() {
  const [q, setQ] = useState(routeParam('q') ?? '');
  const [instanceManaged, setInstanceManaged] = useState(false);
  const [admins, setAdmins] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<Editing | null>(null);
  const [notice, setNotice] = useState('');
  const searchInput = useRef<HTMLInputElement>(null);

  const loadAdmins = () =>
    administrators('groups')
      .then(setAdmins)
      .catch(() => setAdmins(new Set()));
  useEffect(() => {
    scimStatus()
      .then((status) => setInstanceManaged(status.enabled))
      .catch(() => setInstanceManaged(false));
    void loadAdmins();
  }, []);

  const search = useSearch<Group>({ q: q.trim() || undefined }, async (query, page) => {
    const result = await searchGroups({ q: query.q as string | undefined, p: page, ps: PAGE_SIZE });
    return { items: result.groups, paging: result.paging };
  });

  const done = async (message: string, close = true) => {
    if (close) setEditing(null);
    setNotice(message);
    await Promise.all([search.reload(), loadAdmins()]);
  };

  return (
    <Screen title="Groups" trail={['Administration', 'Security']}>
      {instanceManaged ? (
        <p class="notice notice-info">
          Groups are provisioned by Microsoft Entra ID through SCIM. Managed groups, their names and their members are
          read-only here, and no group can be created. What stays allowed: global permissions (grant Administer to an
          Entra group and its members hold it) and deleting local groups.
        </p>
      ) : (
        <p class="notice notice-info">
          Just-in-time provisioning: groups are created here (or from SAML group claims at sign-in) and are all editable
          here.
        </p>
      )}
      <SearchList<Group>
        label="Search groups"
        placeholder="Group name"
        q={q}
        onQuery={setQ}
        inputRef={searchInput}
        toolbar={
          <ActionButton
            label="Create group"
            primary
            disabledReason={instanceManaged ? managedReason('groups are created') : null}
            onClick={() => setEditing({ kind: 'create' })}
          />
        }
        errors={[]}
        notice={notice}
        search={search}
        noun={['group', 'groups']}
        columns={['Group', 'Members', 'Permissions', 'Provisioning', 'Actions']}
        rowKey={(group) => group.name}
        row={(group) => (
          <tr data-group={group.name}>
            <th scope="row">
              <span class="primary-text">
                {group.name}
                {(group.default || group.builtIn) && (
                  <span class="badge badge-builtin">{group.default ? 'Default' : 'Built-in'}</span>
                )}
              </span>
              {group.description && <span class="secondary-text">{group.description}</span>}
            </th>
            <td>{group.membersCount ?? '—'}</td>
            <td>{admins.has(group.name) ? 'Administer' : '—'}</td>
            <td>
              <ManagedBadge managed={group.managed} />
            </td>
            <td class="actions">
              <ActionButton
                label="Members"
                ariaLabel={`Members of ${group.name}`}
                onClick={() => setEditing({ kind: 'members', group })}
              />
              <ActionButton
                label="Edit"
                ariaLabel={`Edit ${group.name}`}
                disabledReason={editBlockedReason(group, instanceManaged)}
                onClick={() => setEditing({ kind: 'edit', group })}
              />
              <ActionButton
                label={admins.has(group.name) ? 'Remove Administer' : 'Grant Administer'}
                ariaLabel={`${admins.has(group.name) ? 'Remove Administer from' : 'Grant Administer to'} ${group.name}`}
                onClick={() => setEditing({ kind: 'admin', group, grant: !admins.has(group.name) })}
              />
              <ActionButton
                label="Delete"
                ariaLabel={`Delete ${group.name}`}
                danger
                disabledReason={deletionBlockedReason(group, instanceManaged)}
                onClick={() => setEditing({ kind: 'delete', group })}
              />
            </td>
          </tr>
        )}
      />
      <GroupDialogs
        editing={editing}
        instanceManaged={instanceManaged}
        returnFocusTo={searchInput}
        onDone={done}
        onClose={() => setEditing(null)}
      />
    </Screen>
  );
}

interface GroupDialogsProps {
  editing: Editing | null;
  instanceManaged: boolean;
  returnFocusTo: { current: HTMLElement | null };
  onDone(message: string, close?: boolean): Promise<void>;
  onClose(): void;
}

function GroupDialogs({ editing, instanceManaged, returnFocusTo, onDone, onClose }: GroupDialogsProps) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { errors, setErrors, busy, run } = useAction(onDone);
  const nameId = useId();
  const descriptionId = useId();
  const group = editing && 'group' in editing ? editing.group : null;

  useEffect(() => {
    setErrors([]);
    setName(group?.name ?? '');
    setDescription(group?.description ?? '');
  }, [editing]);

  const nameAndDescription = (
    <>
      <div class="field">
        <label for={nameId}>Name</label>
        <input
          id={nameId}
          class="input"
          type="text"
          value={name}
          onInput={(event) => setName((event.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <div class="field">
        <label for={descriptionId}>Description</label>
        <input
          id={descriptionId}
          class="input"
          type="text"
          value={description}
          onInput={(event) => setDescription((event.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <ErrorMessages messages={errors} />
    </>
  );

  return (
    <>
      <ConfirmDialog
        open={editing?.kind === 'create'}
        busy={busy}
        returnFocusTo={returnFocusTo}
        title="Create a group"
        confirmLabel="Create"
        confirmDisabled={!name.trim()}
        onConfirm={() => run(() => createGroup(name.trim(), description.trim()), `Group ${name.trim()} was created.`)}
        onCancel={onClose}
      >
        {editing?.kind === 'create' && nameAndDescription}
      </ConfirmDialog>
      <ConfirmDialog
        open={editing?.kind === 'edit'}
        busy={busy}
        returnFocusTo={returnFocusTo}
        title={`Edit group ${group?.name ?? ''}`}
        confirmLabel="Save"
        confirmDisabled={!name.trim()}
        onConfirm={() =>
          group &&
          run(() => updateGroup(group.name, name.trim(), description.trim()), `Group ${name.trim()} was saved.`)
        }
        onCancel={onClose}
      >
        {editing?.kind === 'edit' && nameAndDescription}
      </ConfirmDialog>
      <ConfirmDialog
        open={editing?.kind === 'admin'}
        busy={busy}
        returnFocusTo={returnFocusTo}
        title={
          editing?.kind === 'admin' && editing.grant
            ? `Grant Administer to ${group?.name}?`
            : `Remove Administer from ${group?.name}?`
        }
        confirmLabel={editing?.kind === 'admin' && editing.grant ? 'Grant Administer' : 'Remove Administer'}
        danger={editing?.kind === 'admin' && !editing.grant}
        onConfirm={() =>
          editing?.kind === 'admin' &&
          run(
            () => setGroupAdmin(editing.group.name, editing.grant),
            editing.grant
              ? `Members of ${editing.group.name} are administrators.`
              : `${editing.group.name} no longer grants Administer.`,
          )
        }
        onCancel={onClose}
      >
        <p>
          Every active member holds the group's permissions, and loses them on leaving the group. This stays the admin's
          in both provisioning modes, for Entra ID groups too. The last administrator always stays.
        </p>
        <ErrorMessages messages={errors} />
      </ConfirmDialog>
      <ConfirmDialog
        open={editing?.kind === 'delete'}
        busy={busy}
        returnFocusTo={returnFocusTo}
        title={`Delete group ${group?.name ?? ''}?`}
        confirmLabel="Delete"
        danger
        onConfirm={() => group && run(() => deleteGroup(group.name), `Group ${group.name} was deleted.`)}
        onCancel={onClose}
      >
        <p>Its members lose the permissions they had through it. Users themselves are not deleted.</p>
        <ErrorMessages messages={errors} />
      </ConfirmDialog>
      <ConfirmDialog
        open={editing?.kind === 'members'}
        returnFocusTo={returnFocusTo}
        title={`Members of ${group?.name ?? ''}`}
        confirmLabel=""
        cancelLabel="Close"
        onCancel={onClose}
      >
        {editing?.kind === 'members' && (
          <MembersEditor
            group={editing.group}
            blockedReason={membersBlockedReason(editing.group, instanceManaged)}
            onChanged={(message) => onDone(message, false)}
          />
        )}
      </ConfirmDialog>
    </>
  );
}

/** A group's members, listed; when the mode allows it, a login to add and a Remove button per member. */
function MembersEditor(props: {
  group: Group;
  blockedReason: string | null;
  onChanged(message: string): Promise<void>;
}) {
  const { group, blockedReason } = props;
  const [members, setMembers] = useState<GroupMember[] | null>(null);
  const [total, setTotal] = useState(0);
  const [login, setLogin] = useState('');
  const loginId = useId();
  const {
    errors,
    setErrors,
    busy,
    run: change,
  } = useAction(async (message) => {
    await load();
    await props.onChanged(message);
  });

  const load = async () => {
    try {
      const result = await groupMembers(group.name, { ps: 500 });
      setMembers(result.users);
      setTotal(result.paging.total);
    } catch (error) {
      setErrors(messagesOf(error));
    }
  };
  useEffect(() => {
    void load();
  }, [group.name]);

  return (
    <div class="members">
      {blockedReason && <p class="hint">{blockedReason}</p>}
      {!blockedReason && (
        <form
          class="copy-row"
          onSubmit={(event) => {
            event.preventDefault();
            const value = login.trim();
            if (value)
              void change(() => addGroupMember(group.name, value).then(() => setLogin('')), `${value} was added.`);
          }}
        >
          <label for={loginId} class="visually-hidden">
            Login of the user to add
          </label>
          <input
            id={loginId}
            class="input"
            type="text"
            placeholder="Login of the user to add"
            value={login}
            onInput={(event) => setLogin((event.currentTarget as HTMLInputElement).value)}
          />
          <button type="submit" class="button" disabled={busy || !login.trim()}>
            Add
          </button>
        </form>
      )}
      <ErrorMessages messages={errors} />
      {members && (
        <>
          <p role="status" class="result-count">
            {total === 0 ? 'No members.' : `${total} ${total === 1 ? 'member' : 'members'}.`}
          </p>
          <ul class="member-list" aria-label={`Members of ${group.name}`}>
            {members.map((member) => (
              <li key={member.login} data-member={member.login}>
                <span class="primary-text">{member.name}</span> <span class="secondary-text">{member.login}</span>
                {member.managed && <ManagedBadge managed />}
                {member.active === false && <span class="badge badge-local">Deactivated</span>}
                {!blockedReason && (
                  <button
                    type="button"
                    class="button button-small button-danger-outline"
                    aria-label={`Remove ${member.login} from ${group.name}`}
                    disabled={busy}
                    onClick={() =>
                      void change(() => removeGroupMember(group.name, member.login), `${member.login} was removed.`)
                    }
                  >
                    Remove
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
