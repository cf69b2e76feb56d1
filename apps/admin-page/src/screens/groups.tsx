import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiMessage, deleteGroup, Group, scimStatus, searchGroups } from '../api';
import { ActionButton } from '../components/action-button';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessages, ManagedBadge } from '../components/messages';
import { Screen } from '../components/screen';
import { PAGE_SIZE, ResultCount, useSearch } from '../components/search-list';
import { messagesOf } from '../errors';

/** Why a group cannot be deleted here, or null when it can. */
export function deletionBlockedReason(group: Group): string | null {
  if (group.managed) return 'Managed by the identity provider: delete this group in Microsoft Entra ID.';
  if (group.default) return 'The default group cannot be deleted: every user belongs to it.';
  if (group.builtIn) return 'A built-in group cannot be deleted.';
  return null;
}

/** Administration › Security › Groups. */
export function GroupsScreen() {
  const [q, setQ] = useState('');
  const [instanceManaged, setInstanceManaged] = useState(false);
  const [target, setTarget] = useState<Group | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ApiMessage[]>([]);
  const [notice, setNotice] = useState('');
  const searchInput = useRef<HTMLInputElement>(null);
  const searchId = useId();

  useEffect(() => {
    scimStatus()
      .then((status) => setInstanceManaged(status.enabled))
      .catch(() => setInstanceManaged(false));
  }, []);

  const search = useSearch<Group>({ q: q.trim() || undefined }, async (query, page) => {
    const result = await searchGroups({ q: query.q as string | undefined, p: page, ps: PAGE_SIZE });
    return { items: result.groups, paging: result.paging };
  });

  const remove = async () => {
    if (!target) return;
    setBusy(true);
    setErrors([]);
    try {
      await deleteGroup(target.name);
      setNotice(`Group ${target.name} was deleted.`);
      await search.reload();
    } catch (error) {
      setErrors(messagesOf(error));
    } finally {
      setBusy(false);
      setTarget(null);
    }
  };

  return (
    <Screen title="Groups" trail={['Administration', 'Security']}>
      {instanceManaged && (
        <p class="notice notice-info">
          Groups are provisioned by Microsoft Entra ID through SCIM. Managed groups, their names and their members are
          read-only here; local groups can still be deleted.
        </p>
      )}
      <form role="search" class="search-bar" onSubmit={(event) => event.preventDefault()}>
        <div class="field">
          <label for={searchId}>Search groups</label>
          <input
            id={searchId}
            ref={searchInput}
            class="input"
            type="search"
            placeholder="Group name"
            value={q}
            onInput={(event) => setQ((event.currentTarget as HTMLInputElement).value)}
          />
        </div>
      </form>
      <ErrorMessages messages={[...search.errors, ...errors]} />
      <p role="status" class="status-text">
        {notice}
      </p>
      {search.items && (
        <>
          <ResultCount shown={search.items.length} total={search.paging?.total ?? 0} noun={['group', 'groups']} />
          <table class="table" aria-busy={search.loading ? 'true' : undefined}>
            <caption class="visually-hidden">Groups</caption>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Members</th>
                <th scope="col">Provisioning</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {search.items.map((group) => (
                <tr key={group.name} data-group={group.name}>
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
                  <td>
                    <ManagedBadge managed={group.managed} />
                  </td>
                  <td class="actions">
                    <ActionButton
                      label="Delete"
                      ariaLabel={`Delete ${group.name}`}
                      danger
                      disabledReason={deletionBlockedReason(group)}
                      onClick={() => setTarget(group)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {search.paging && search.items.length < search.paging.total && (
            <button type="button" class="button" disabled={search.loading} onClick={() => void search.more()}>
              Show more groups
            </button>
          )}
        </>
      )}
      <ConfirmDialog
        open={target !== null}
        busy={busy}
        returnFocusTo={searchInput}
        title={`Delete group ${target?.name ?? ''}?`}
        confirmLabel="Delete"
        danger
        onConfirm={remove}
        onCancel={() => setTarget(null)}
      >
        <p>Its members lose the permissions they had through it. Users themselves are not deleted.</p>
      </ConfirmDialog>
    </Screen>
  );
}
