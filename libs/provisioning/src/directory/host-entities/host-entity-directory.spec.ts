import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@nest-scim/persistence';
import { openScratchDataSource, testDialects } from '@nest-scim/persistence/testing';
import { ScimDirectoryError } from '../scim-directory.port';
import { HostEntityDirectory } from './host-entity-directory';
import type { HostEntityDirectoryOptions } from './host-entity-directory.options';
import { KIT_ENTITIES, KIT_MAPPING } from './host-entity-directory.fixtures';

const ALICE = { userName: 'alice@example.com', displayName: 'Alice', email: 'alice@example.com', active: true };

async function refusal(work: Promise<unknown>): Promise<ScimDirectoryError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScimDirectoryError);
  return error as ScimDirectoryError;
}

describe.each(testDialects())('HostEntityDirectory over a product’s own entities (%s)', (dialect) => {
  let dataSource: DataSource;
  let close: () => Promise<void>;
  const tx = <T>(work: (m: EntityManager) => Promise<T>) => inTransaction(dataSource, work);

  beforeAll(async () => {
    ({ dataSource, close } = await openScratchDataSource(dialect, KIT_ENTITIES));
  });
  afterAll(() => close?.());
  beforeEach(async () => {
    for (const table of ['kit_squad_members', 'kit_squads', 'kit_people'])
      await dataSource.query(`DELETE FROM ${table}`);
  });

  const kit = (options: Partial<HostEntityDirectoryOptions> = {}) =>
    new HostEntityDirectory(dataSource, { ...(KIT_MAPPING as HostEntityDirectoryOptions), ...options });

  it('names the product’s membership table and columns as SQL does', () => {
    expect(kit().membershipTable).toEqual({
      table: 'kit_squad_members',
      groupColumn: 'squad_uid',
      userColumn: 'person_id',
    });
  });

  it('writes a user into the product’s columns and reads it back with its integer key as a string', async () => {
    const directory = kit();
    const result = await tx((m) => directory.createUser(m, ALICE));
    expect(result.outcome).toBe('created');
    const id = result.outcome === 'created' ? result.user.id : '';
    expect(id).toMatch(/^[1-9][0-9]*$/);
    const [row] = await dataSource.query('SELECT user_login, full_name, mail, enabled FROM kit_people');
    expect({ ...row, enabled: Boolean(row.enabled) }).toEqual({
      user_login: 'alice@example.com',
      full_name: 'Alice',
      mail: 'alice@example.com',
      enabled: true,
    });
    expect(await tx((m) => directory.findUserById(m, id))).toEqual({ id, ...ALICE });
    expect(await tx((m) => directory.findUserByUserName(m, 'ALICE@example.COM'))).toEqual({ id, ...ALICE });
    for (const other of [`0${id}`, `${id}.0`, `${id} `, '', 'x'.repeat(300), '99999999999999999999']) {
      expect(await tx((m) => directory.findUserById(m, other))).toBeNull();
      expect(await tx((m) => directory.lockUser(m, other))).toBeNull();
    }
  });

  it('answers an existing product user instead of creating a second one, and adopts it only when the host says so', async () => {
    await dataSource.query(
      "INSERT INTO kit_people (user_login, full_name, mail, enabled) VALUES ('Bob', 'Bob', NULL, 0)",
    );
    const refusing = kit();
    const bob = { ...ALICE, userName: 'bob', displayName: 'Bob B.' };
    const result = await tx((m) => refusing.createUser(m, bob));
    expect(result).toEqual({
      outcome: 'existing',
      existing: { id: expect.any(String), userName: 'Bob', displayName: 'Bob', email: null, active: false },
    });
    const id = result.outcome === 'existing' ? result.existing.id : '';
    expect((await refusal(tx((m) => refusing.adoptUser(m, id, bob)))).code).toBe('conflict');

    const seen: unknown[] = [];
    const adopting = kit({ mayAdopt: (_m, person) => (seen.push(person), true) });
    const handle = await tx((m) => adopting.adoptUser(m, id, bob));
    expect(handle.id).toBe(id);
    expect(seen).toEqual([expect.objectContaining({ id, userName: 'Bob' })]);
    expect(await tx((m) => adopting.findUserById(m, id))).toEqual({ id, ...bob });
    expect(await dataSource.query('SELECT COUNT(*) AS n FROM kit_people')).toEqual([{ n: expect.anything() }]);
    expect(Number((await dataSource.query('SELECT COUNT(*) AS n FROM kit_people'))[0].n)).toBe(1);
  });

  it('refuses invalid values before writing anything', async () => {
    const directory = kit();
    const cases: [Partial<typeof ALICE>, RegExp][] = [
      [{ userName: '' }, /userName/],
      [{ userName: ' alice' }, /whitespace/],
      [{ userName: 'al\u200bice' }, /invisible/],
      [{ userName: 'a'.repeat(41) }, /40 characters/],
      [{ displayName: 'D'.repeat(61) }, /60 characters/],
      [{ email: `${'e'.repeat(70)}@example.com` }, /80 characters/],
      [{ email: 'not an address' }, /^'email' is not a valid address$/],
      [{ displayName: 'Tab\there' }, /control or invisible/],
      [{ active: 'false' as unknown as boolean }, /active/],
    ];
    for (const [change, message] of cases) {
      const error = await refusal(tx((m) => directory.createUser(m, { ...ALICE, ...change })));
      expect(error.code).toBe('invalid');
      expect(error.message).toMatch(message);
    }
    const group = await refusal(tx((m) => directory.createGroup(m, { displayName: 'g'.repeat(51) })));
    expect(group.code).toBe('invalid');
    expect(await dataSource.query('SELECT * FROM kit_people')).toEqual([]);
    expect(await dataSource.query('SELECT * FROM kit_squads')).toEqual([]);
  });

  it('renames, changes only the fields given, and refuses a login another user holds in any case', async () => {
    const directory = kit();
    const created = await tx((m) => directory.createUser(m, ALICE));
    const other = await tx((m) => directory.createUser(m, { ...ALICE, userName: 'carol', email: null }));
    const aliceId = created.outcome === 'created' ? created.user.id : '';
    await tx(async (m) => {
      const handle = (await directory.lockUser(m, aliceId))!;
      await directory.updateUser(m, handle, { userName: 'alice.smith@example.com' });
      await directory.updateUser(m, handle, { email: null });
    });
    expect(await tx((m) => directory.findUserById(m, aliceId))).toEqual({
      ...ALICE,
      id: aliceId,
      userName: 'alice.smith@example.com',
      email: null,
    });
    expect(other.outcome).toBe('created');
    const taken = await refusal(
      tx(async (m) => directory.updateUser(m, (await directory.lockUser(m, aliceId))!, { userName: 'CAROL' })),
    );
    expect(taken.code).toBe('conflict');
    // Its own login in another case is a rename, not a conflict.
    await tx(async (m) =>
      directory.updateUser(m, (await directory.lockUser(m, aliceId))!, { userName: 'Alice.Smith@example.com' }),
    );
    expect((await tx((m) => directory.findUserById(m, aliceId)))!.userName).toBe('Alice.Smith@example.com');
  });

  it('accepts only handles it issued, in the transaction it issued them in', async () => {
    const directory = kit();
    const created = await tx((m) => directory.createUser(m, ALICE));
    const id = created.outcome === 'created' ? created.user.id : '';
    const stale = await tx((m) => directory.lockUser(m, id));
    await expect(tx((m) => directory.deactivateUser(m, stale!))).rejects.toThrow(/did not issue/);
    await expect(tx((m) => directory.deactivateUser(m, { id }))).rejects.toThrow(/did not issue/);
    await expect(tx((m) => kit().deactivateUser(m, { id }))).rejects.toThrow(/did not issue/);
    const group = await tx((m) => directory.createGroup(m, { displayName: 'Devs' }));
    await expect(tx((m) => directory.addMembers(m, group, [id]))).rejects.toThrow(/did not issue/);
    await expect(
      tx(async (m) => directory.renameGroup(m, (await directory.lockUser(m, id)) as never, 'x')),
    ).rejects.toThrow(/did not issue/);
    expect((await tx((m) => directory.findUserById(m, id)))!.active).toBe(true);
  });

  it('finds a group by name and adopts it only when mayAdoptGroup says so, under the name as sent', async () => {
    const refusing = kit();
    const squad = await tx((m) => refusing.createGroup(m, { displayName: 'Squad' }));
    expect(await tx((m) => refusing.findGroupByName(m, 'SQUAD'))).toEqual({ id: squad.id, displayName: 'Squad' });
    expect(await tx((m) => refusing.findGroupByName(m, 'nobody'))).toBeNull();
    const refused = await refusal(tx((m) => refusing.adoptGroup(m, squad.id, { displayName: 'SQUAD' })));
    expect(refused).toMatchObject({ code: 'conflict', message: 'This displayName belongs to a group of the product' });

    const seen: unknown[] = [];
    const adopting = kit({ mayAdoptGroup: (_m, group) => (seen.push(group), true) });
    const adopted = await tx((m) => adopting.adoptGroup(m, squad.id, { displayName: 'SQUAD' }));
    expect(adopted.id).toBe(squad.id);
    expect(seen).toEqual([{ id: squad.id, displayName: 'Squad' }]);
    expect(await dataSource.query('SELECT title FROM kit_squads')).toEqual([{ title: 'SQUAD' }]);
  });

  it('keeps group names unique case-insensitively and generates the keys it was asked to', async () => {
    const directory = kit();
    const devs = await tx((m) => directory.createGroup(m, { displayName: 'Devs' }));
    expect(devs.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await refusal(tx((m) => directory.createGroup(m, { displayName: 'DEVS' })))).code).toBe('conflict');
    const ops = await tx((m) => directory.createGroup(m, { displayName: 'Ops' }));
    const renamed = await refusal(
      tx(async (m) => directory.renameGroup(m, (await directory.lockGroup(m, ops.id))!, 'devs')),
    );
    expect(renamed.code).toBe('conflict');
    await tx(async (m) => directory.renameGroup(m, (await directory.lockGroup(m, devs.id))!, 'DevOps'));
    expect(await dataSource.query('SELECT title FROM kit_squads ORDER BY title')).toEqual([
      { title: 'DevOps' },
      { title: 'Ops' },
    ]);
    expect(await tx((m) => directory.lockGroup(m, randomUUID()))).toBeNull();
  });

  it('changes memberships as deltas and answers exactly what changed', async () => {
    const directory = kit();
    const ids: string[] = [];
    for (const name of ['u1', 'u2', 'u3']) {
      const r = await tx((m) => directory.createUser(m, { ...ALICE, userName: name }));
      ids.push(r.outcome === 'created' ? r.user.id : '');
    }
    const group = await tx((m) => directory.createGroup(m, { displayName: 'Devs' }));
    const inGroup = async () =>
      (
        await dataSource.query('SELECT person_id FROM kit_squad_members WHERE squad_uid = ? ORDER BY person_id', [
          group.id,
        ])
      ).map((r: { person_id: unknown }) => String(r.person_id));
    const locked = <T>(
      work: (m: EntityManager, g: NonNullable<Awaited<ReturnType<HostEntityDirectory['lockGroup']>>>) => Promise<T>,
    ) => tx(async (m) => work(m, (await directory.lockGroup(m, group.id))!));

    expect(await locked((m, g) => directory.addMembers(m, g, [ids[1], ids[0], ids[1]]))).toEqual([ids[1], ids[0]]);
    expect(await locked((m, g) => directory.addMembers(m, g, [ids[0], ids[2]]))).toEqual([ids[2]]);
    expect(await inGroup()).toEqual([...ids].sort());
    expect(await locked((m, g) => directory.removeMembers(m, g, [ids[0], '424242', 'nope']))).toEqual([ids[0]]);
    expect(await locked((m, g) => directory.replaceMembers(m, g, [ids[0], ids[1]]))).toEqual({
      added: [ids[0]],
      removed: [ids[2]],
    });
    expect(await inGroup()).toEqual([ids[0], ids[1]].sort());
    const unknown = await refusal(locked((m, g) => directory.addMembers(m, g, [ids[2], '424242'])));
    expect(unknown.code).toBe('not_found');
    expect(await inGroup()).toEqual([ids[0], ids[1]].sort());

    await locked((m, g) => directory.deleteGroup(m, g));
    expect(await dataSource.query('SELECT * FROM kit_squad_members')).toEqual([]);
    expect(await dataSource.query('SELECT * FROM kit_squads')).toEqual([]);
  });

  it.each(['deactivate', 'remove'] as const)('deletes a user the %s way, out of every group', async (userDeletion) => {
    const directory = kit({ userDeletion });
    const r = await tx((m) => directory.createUser(m, ALICE));
    const id = r.outcome === 'created' ? r.user.id : '';
    await tx(async (m) => {
      const g = await directory.createGroup(m, { displayName: 'Devs' });
      await directory.addMembers(m, g, [id]);
    });
    await tx(async (m) => directory.deleteUser(m, (await directory.lockUser(m, id))!));
    expect(await dataSource.query('SELECT * FROM kit_squad_members')).toEqual([]);
    const left = await tx((m) => directory.findUserById(m, id));
    expect(left).toEqual(userDeletion === 'remove' ? null : { id, ...ALICE, active: false });
  });

  it('lands 40 concurrent member additions to one group exactly', async () => {
    const directory = kit();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await tx((m) => directory.createUser(m, { ...ALICE, userName: `member-${i}` }));
      ids.push(r.outcome === 'created' ? r.user.id : '');
    }
    const group = await tx((m) => directory.createGroup(m, { displayName: 'Crowd' }));
    const answers = await Promise.all(
      ids.map((id, i) =>
        tx(async (m) => directory.addMembers(m, (await directory.lockGroup(m, group.id))!, [id, ids[(i + 1) % 40]])),
      ),
    );
    const rows = await dataSource.query('SELECT person_id FROM kit_squad_members WHERE squad_uid = ?', [group.id]);
    expect(rows.map((r: { person_id: unknown }) => String(r.person_id)).sort()).toEqual([...ids].sort());
    // Each member was added by exactly one request.
    expect(answers.flat().sort()).toEqual([...ids].sort());
  });
});
