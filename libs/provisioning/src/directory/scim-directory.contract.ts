import type * as JestGlobals from '@jest/globals';
import type { DataSource, EntityManager } from 'typeorm';
import { Dialect, dialectOf, inTransaction, namedParameters } from '@nest-scim/persistence';
import { testDialects } from '@nest-scim/persistence/testing';
import { ScimError } from '@nest-scim/scim';
import { domainToScimError } from '../scim-error.mapping';
import type { DirectoryId, DirectoryUserInput, ScimDirectory } from './scim-directory.port';

/** One database and an adapter over it, for one `describe` block of the contract. */
export interface ScimDirectoryContractSubject {
  dataSource: DataSource;
  directory: ScimDirectory;
  close(): Promise<void>;
}

/** The product's state as the product's own tables hold it, read outside the port (the contract checks the port). */
export interface ProductUserState {
  userName: string;
  displayName: string;
  email: string | null;
  active: boolean;
}

export interface ScimDirectoryContractOptions {
  /** A fresh database of the dialect with the adapter's tables (and whatever the adapter needs in them). */
  open(dialect: Dialect): Promise<ScimDirectoryContractSubject>;
  /** The user's row in the product's tables, or null. */
  readUser(subject: ScimDirectoryContractSubject, id: DirectoryId): Promise<ProductUserState | null>;
  /** The group's name in the product's tables, or null when it is gone. */
  readGroupName(subject: ScimDirectoryContractSubject, id: DirectoryId): Promise<string | null>;
  /** The dialects to run on; both when a MySQL server is configured (see testDialects). */
  dialects?: Dialect[];
}

/** The SCIM status a refusal answers (the feature's own mapping); fails when the promise resolves. */
async function refusalStatus(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) throw new Error('Expected a refusal, the call succeeded');
  const scim = domainToScimError(error);
  if (!(scim instanceof ScimError)) throw new Error(`Expected a directory refusal, got ${String(error)}`);
  return scim.status;
}

let sequence = 0;
function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}-${sequence}-${Math.random().toString(36).slice(2, 8)}`;
}

function userInput(userName: string, overrides: Partial<DirectoryUserInput> = {}): DirectoryUserInput {
  return { userName, displayName: `Name of ${userName}`, email: `${userName}@example.com`, active: true, ...overrides };
}

/**
 * The behaviour every ScimDirectory adapter owes the SCIM stores, as a Jest suite an adapter's own spec runs:
 * `describeScimDirectoryContract('my adapter', { open, readUser, readGroupName })`. It checks look-ups, create,
 * update and rename, deactivation, deletion, group writes, membership deltas (exact answers), refusals (as the SCIM
 * status they answer), handles and the concurrent writes the stores rely on, on each dialect.
 */
export function describeScimDirectoryContract(name: string, options: ScimDirectoryContractOptions): void {
  // Jest's globals, read where the suite is declared: importing `@jest/globals` would throw outside a Jest run, and this
  // module is loaded with the package's testing entry.
  const { afterAll, beforeAll, describe, expect, it } = globalThis as unknown as typeof JestGlobals;
  describe(`${name} honours the directory port`, () => {
    let subject: ScimDirectoryContractSubject;
    let directory: ScimDirectory;
    const tx = <T>(work: (m: EntityManager) => Promise<T>) => inTransaction(subject.dataSource, work);

    const create = async (userName: string, overrides: Partial<DirectoryUserInput> = {}) => {
      const result = await tx((m) => directory.createUser(m, userInput(userName, overrides)));
      if (result.outcome !== 'created') throw new Error(`'${userName}' was not created`);
      return result.user.id;
    };
    const group = (displayName: string) => tx(async (m) => (await directory.createGroup(m, { displayName })).id);
    const members = async (groupId: DirectoryId): Promise<string[]> => {
      const { table, groupColumn, userColumn } = directory.membershipTable;
      const escape = (n: string) => subject.dataSource.driver.escape(n);
      const [sql, parameters] = namedParameters(
        subject.dataSource,
        `SELECT ${escape(userColumn)} AS user_id FROM ${escape(table)} WHERE ${escape(groupColumn)} = :groupId`,
        { groupId },
      );
      const rows = (await subject.dataSource.query(sql, parameters)) as { user_id: string | number }[];
      return rows.map((row) => String(row.user_id)).sort();
    };

    describe.each(options.dialects ?? testDialects())('on %s', (dialect) => {
      beforeAll(async () => {
        subject = await options.open(dialect);
        directory = subject.directory;
        expect(dialectOf(subject.dataSource)).toBe(dialect);
      });
      afterAll(async () => {
        await subject?.close();
      });

      it('creates a user that look-ups find by id and by userName, case-insensitively', async () => {
        const userName = unique('Ada.Lovelace');
        const id = await create(userName);
        expect(typeof id).toBe('string');
        expect(await options.readUser(subject, id)).toEqual({
          userName,
          displayName: `Name of ${userName}`,
          email: `${userName}@example.com`,
          active: true,
        });
        const expected = { id, userName, displayName: `Name of ${userName}`, active: true };
        expect(await tx((m) => directory.findUserById(m, id))).toMatchObject(expected);
        expect(await tx((m) => directory.findUserByUserName(m, userName.toUpperCase()))).toMatchObject(expected);
        expect(await tx((m) => directory.findUserByUserName(m, unique('nobody')))).toBeNull();
        expect(await tx((m) => directory.findUserById(m, '999999999'))).toBeNull();
      });

      it('creates an inactive user when asked', async () => {
        const id = await create(unique('inactive'), { active: false });
        expect(await options.readUser(subject, id)).toMatchObject({ active: false });
      });

      it('answers the holder of a userName instead of creating a second one, writing nothing', async () => {
        const userName = unique('Grace');
        const id = await create(userName);
        const again = await tx((m) => directory.createUser(m, userInput(userName.toLowerCase(), { displayName: 'X' })));
        expect(again).toEqual({ outcome: 'existing', existing: expect.objectContaining({ id, userName }) });
        expect(await options.readUser(subject, id)).toMatchObject({ displayName: `Name of ${userName}` });
      });

      it('refuses invalid values as 400 and writes nothing', async () => {
        const userName = unique('invalid');
        expect(await refusalStatus(tx((m) => directory.createUser(m, userInput('', {}))))).toBe(400);
        const id = await create(userName);
        const status = await refusalStatus(
          tx(async (m) => directory.updateUser(m, await mustLockUser(m, id), { email: 'not an address' })),
        );
        expect(status).toBe(400);
        expect(await options.readUser(subject, id)).toMatchObject({ email: `${userName}@example.com` });
      });

      async function mustLockUser(m: EntityManager, id: DirectoryId) {
        const handle = await directory.lockUser(m, id);
        if (!handle) throw new Error(`no handle for user ${id}`);
        return handle;
      }

      async function mustLockGroup(m: EntityManager, id: DirectoryId) {
        const handle = await directory.lockGroup(m, id);
        if (!handle) throw new Error(`no handle for group ${id}`);
        return handle;
      }

      it('updates only the fields given, and renames keeping the id', async () => {
        const userName = unique('Alan');
        const id = await create(userName);
        await tx(async (m) => directory.updateUser(m, await mustLockUser(m, id), { displayName: 'Alan T.' }));
        expect(await options.readUser(subject, id)).toEqual({
          userName,
          displayName: 'Alan T.',
          email: `${userName}@example.com`,
          active: true,
        });
        const renamed = unique('Turing');
        await tx(async (m) => directory.updateUser(m, await mustLockUser(m, id), { userName: renamed }));
        expect(await options.readUser(subject, id)).toMatchObject({ userName: renamed, displayName: 'Alan T.' });
        expect(await tx((m) => directory.findUserByUserName(m, renamed.toLowerCase()))).toMatchObject({ id });
        expect(await tx((m) => directory.findUserByUserName(m, userName))).toBeNull();
        // A change of case only is a rename of the same user, not a conflict with itself.
        await tx(async (m) => directory.updateUser(m, await mustLockUser(m, id), { userName: renamed.toUpperCase() }));
        expect(await options.readUser(subject, id)).toMatchObject({ userName: renamed.toUpperCase() });
      });

      it('refuses a rename to a login another user holds, case-insensitively, as 409', async () => {
        const taken = unique('Taken');
        await create(taken);
        const id = await create(unique('Renamer'));
        const before = await options.readUser(subject, id);
        const status = await refusalStatus(
          tx(async (m) => directory.updateUser(m, await mustLockUser(m, id), { userName: taken.toLowerCase() })),
        );
        expect(status).toBe(409);
        expect(await options.readUser(subject, id)).toEqual(before);
      });

      it('deactivates and reactivates, harmlessly when repeated', async () => {
        const id = await create(unique('Toggle'));
        await tx(async (m) => directory.deactivateUser(m, await mustLockUser(m, id)));
        expect(await options.readUser(subject, id)).toMatchObject({ active: false });
        await tx(async (m) => directory.deactivateUser(m, await mustLockUser(m, id)));
        expect(await options.readUser(subject, id)).toMatchObject({ active: false });
        await tx(async (m) => directory.reactivateUser(m, await mustLockUser(m, id)));
        expect(await options.readUser(subject, id)).toMatchObject({ active: true });
        await tx(async (m) => directory.reactivateUser(m, await mustLockUser(m, id)));
        expect(await options.readUser(subject, id)).toMatchObject({ active: true });
      });

      it('keeps a deactivated user’s memberships', async () => {
        const id = await create(unique('Kept'));
        const groupId = await group(unique('kept-group'));
        await tx(async (m) => directory.addMembers(m, await mustLockGroup(m, groupId), [id]));
        await tx(async (m) => directory.deactivateUser(m, await mustLockUser(m, id)));
        expect(await members(groupId)).toEqual([id]);
      });

      it('deletes a user: afterwards it is in no group', async () => {
        const id = await create(unique('Deleted'));
        const groupId = await group(unique('del-group'));
        await tx(async (m) => directory.addMembers(m, await mustLockGroup(m, groupId), [id]));
        await tx(async (m) => directory.deleteUser(m, await mustLockUser(m, id)));
        expect(await members(groupId)).toEqual([]);
      });

      it('creates, renames and deletes groups; names are unique case-insensitively (409)', async () => {
        const name = unique('Sales');
        const groupId = await group(name);
        expect(await options.readGroupName(subject, groupId)).toBe(name);
        expect(await refusalStatus(group(name.toUpperCase()))).toBe(409);
        const other = await group(unique('Marketing'));
        expect(
          await refusalStatus(
            tx(async (m) => directory.renameGroup(m, await mustLockGroup(m, other), name.toLowerCase())),
          ),
        ).toBe(409);
        const renamed = unique('Revenue');
        await tx(async (m) => directory.renameGroup(m, await mustLockGroup(m, groupId), renamed));
        expect(await options.readGroupName(subject, groupId)).toBe(renamed);
        await tx(async (m) => directory.deleteGroup(m, await mustLockGroup(m, other)));
        expect(await options.readGroupName(subject, other)).toBeNull();
      });

      it('finds a group by name, case-insensitively, as the store looks before creating or adopting', async () => {
        const name = unique('Support');
        const groupId = await group(name);
        expect(await tx((m) => directory.findGroupByName(m, name.toUpperCase()))).toEqual({
          id: groupId,
          displayName: name,
        });
        expect(await tx((m) => directory.findGroupByName(m, unique('Nobody')))).toBeNull();
      });

      it('answers exactly which members an add, a remove and a replace changed', async () => {
        const groupId = await group(unique('deltas'));
        const [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map((x) => create(unique(`member-${x}`))));
        const sorted = (ids: string[]) => [...ids].sort();
        const on = <T>(work: (m: EntityManager, h: { id: string }) => Promise<T>) =>
          tx(async (m) => work(m, await mustLockGroup(m, groupId)));

        expect(sorted(await on((m, h) => directory.addMembers(m, h, [a, b, a])))).toEqual(sorted([a, b]));
        expect(await on((m, h) => directory.addMembers(m, h, [a]))).toEqual([]);
        expect(await on((m, h) => directory.addMembers(m, h, [a, b, c]))).toEqual([c]);
        expect(await members(groupId)).toEqual(sorted([a, b, c]));

        expect(await on((m, h) => directory.removeMembers(m, h, [d]))).toEqual([]);
        expect(await on((m, h) => directory.removeMembers(m, h, [c, d]))).toEqual([c]);
        expect(sorted(await on((m, h) => directory.removeMembers(m, h, [a, b])))).toEqual(sorted([a, b]));
        expect(await members(groupId)).toEqual([]);

        await on((m, h) => directory.addMembers(m, h, [a, b]));
        const delta = await on((m, h) => directory.replaceMembers(m, h, [b, c, d]));
        expect({ added: sorted(delta.added), removed: delta.removed }).toEqual({ added: sorted([c, d]), removed: [a] });
        expect(await members(groupId)).toEqual(sorted([b, c, d]));
        expect(await on((m, h) => directory.replaceMembers(m, h, [b, c, d]))).toEqual({ added: [], removed: [] });
        const cleared = await on((m, h) => directory.replaceMembers(m, h, []));
        expect(sorted(cleared.removed)).toEqual(sorted([b, c, d]));
        expect(await members(groupId)).toEqual([]);
      });

      it('rolls every change back with the transaction that made it', async () => {
        const userName = unique('RolledBack');
        const groupId = await group(unique('rollback'));
        const id = await create(unique('Member'));
        const failure = new Error('the caller failed after the directory wrote');
        await expect(
          tx(async (m) => {
            await directory.createUser(m, userInput(userName));
            await directory.addMembers(m, await mustLockGroup(m, groupId), [id]);
            await directory.renameGroup(m, await mustLockGroup(m, groupId), unique('renamed'));
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await tx((m) => directory.findUserByUserName(m, userName))).toBeNull();
        expect(await members(groupId)).toEqual([]);
      });

      it('refuses a handle from another transaction', async () => {
        const id = await create(unique('Handle'));
        const stale = await tx(async (m) => mustLockUser(m, id));
        await expect(tx((m) => directory.deactivateUser(m, stale))).rejects.toThrow();
        await expect(tx((m) => directory.deactivateUser(m, { id }))).rejects.toThrow();
        expect(await options.readUser(subject, id)).toMatchObject({ active: true });
      });

      it('loses no member when transactions add to one group at the same time', async () => {
        const groupId = await group(unique('concurrent'));
        const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => create(unique(`c${i}`))));
        await Promise.all(
          ids.map((id) => tx(async (m) => directory.addMembers(m, await mustLockGroup(m, groupId), [id]))),
        );
        expect(await members(groupId)).toEqual([...ids].sort());
      });
    });
  });
}
