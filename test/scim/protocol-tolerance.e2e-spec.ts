import { testDialects } from '@nest-scim/persistence/testing';
import { ScimAuditTrail } from '@nest-scim/provisioning';
import { SCIM, SCIM_JSON, startScimServer, ScimTestServer } from '../support/scim-harness';
import {
  createGroup,
  createUser,
  databaseSnapshot,
  expectScimError,
  patchOps,
  query,
  URN,
  userBody,
} from '../support/scim-expectations';

const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';

/**
 * Issue 18, tolerance and one answer on both databases: what a provisioning client sends that the product does not
 * use must not fail the person, and what is refused is refused alike on SQLite and MySQL, changing nothing.
 */
describe.each(testDialects())('SCIM protocol tolerance (%s)', (dialect) => {
  let s: ScimTestServer;
  beforeAll(async () => {
    s = await startScimServer(dialect);
  });
  afterAll(() => s.close());

  /** A request whose body is these bytes exactly. */
  const bytes = (method: 'post' | 'patch', path: string, body: Buffer) =>
    s
      .http()
      [method](SCIM + path)
      .set('Authorization', `Bearer ${s.token}`)
      .set('Content-Type', SCIM_JSON)
      .serialize(() => body as unknown as string)
      .send(body as unknown as string);
  const auditOf = async (resourceId: string) =>
    (await s.app.get(ScimAuditTrail).search({ resourceId })).entries.map((e) => ({
      action: e.action,
      ignored: e.ignored,
    }));
  const productEmail = async (scimId: string): Promise<string | null> => {
    const rows: { email: string | null }[] = await s.dataSource.query(
      'SELECT u.email AS email FROM users u INNER JOIN scim_users su ON su.user_id = u.id WHERE su.scim_id = ?',
      [scimId],
    );
    return rows[0].email;
  };

  describe('emails that are no address', () => {
    it('are stored as sent and found by a filter; the product simply has no address for that user', async () => {
      const user = await createUser(s, 'noaddress@contoso.com', {
        emails: [{ type: 'work', value: 'emailName357', primary: true }],
      });
      expect(user.emails).toEqual([{ type: 'work', value: 'emailName357', primary: true }]);
      expect(await productEmail(user.id)).toBeNull();
      const found = await s.get(`/Users?${query('emails[type eq "work"].value eq "EMAILNAME357"')}`).expect(200);
      expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([user.id]);
    });

    it('leave the product the first address it can mail, and a PATCH to a non-address clears it', async () => {
      const user = await createUser(s, 'mixed@contoso.com', {
        emails: [
          { type: 'work', value: 'not an address', primary: true },
          { type: 'home', value: 'mixed@home.example' },
        ],
      });
      expect(await productEmail(user.id)).toBe('mixed@home.example');
      const res = await s
        .patch(
          `/Users/${user.id}`,
          patchOps({ op: 'replace', path: 'emails', value: [{ type: 'work', value: 'x@', primary: true }] }),
        )
        .expect(200);
      expect(res.body.emails).toEqual([{ type: 'work', value: 'x@', primary: true }]);
      expect(await productEmail(user.id)).toBeNull();
    });
  });

  describe('attributes the schema does not declare: one rule for POST, PUT and PATCH', () => {
    it('POST ignores them, answers without them and names them in the audit trail', async () => {
      const res = await s
        .post(
          '/Users',
          userBody('custom-post@contoso.com', {
            schemas: [URN.USER, CUSTOM],
            nickName: 'nick',
            isAdmin: true,
            [CUSTOM]: { costCenter: 'CC-1' },
            name: { givenName: 'Cu', middleInitial: 'Q' },
          }),
        )
        .expect(201);
      expect(res.body).not.toHaveProperty('isAdmin');
      expect(res.body).not.toHaveProperty([CUSTOM]);
      expect(res.body.name).toEqual({ givenName: 'Cu' });
      expect(await auditOf(res.body.id)).toEqual([
        { action: 'create', ignored: ['isAdmin', CUSTOM, 'name.middleInitial'] },
      ]);
    });

    it('PATCH to an attribute of an unknown extension is ignored, not 400, and the user keeps updating', async () => {
      const user = await createUser(s, 'custom-patch@contoso.com');
      const res = await s
        .patch(
          `/Users/${user.id}`,
          patchOps(
            { op: 'add', path: `${CUSTOM}:costCenter`, value: 'CC-2' },
            { op: 'replace', path: 'displayName', value: 'Custom Patch' },
          ),
        )
        .expect(200);
      expect(res.body.displayName).toBe('Custom Patch');
      expect(res.body).not.toHaveProperty([CUSTOM]);
      expect((await auditOf(user.id))[0]).toEqual({ action: 'patch', ignored: [`${CUSTOM}:costCenter`] });
      // Path-less and extension-valued forms follow the same rule.
      await s
        .patch(
          `/Users/${user.id}`,
          patchOps(
            { op: 'add', value: { [CUSTOM]: { costCenter: 'CC-3' }, title: 'Engineer' } },
            { op: 'replace', path: URN.ENTERPRISE, value: { employeeNumber: '7', floor: 3 } },
          ),
        )
        .expect(200);
      const after = await s.get(`/Users/${user.id}`).expect(200);
      expect(after.body.title).toBe('Engineer');
      expect(after.body[URN.ENTERPRISE]).toEqual({ employeeNumber: '7' });
      expect((await auditOf(user.id))[0].ignored).toEqual([CUSTOM, `${URN.ENTERPRISE}:floor`]);
    });

    it('PUT ignores them as POST does', async () => {
      const user = await createUser(s, 'custom-put@contoso.com');
      const res = await s
        .put(`/Users/${user.id}`, userBody('custom-put@contoso.com', { [CUSTOM]: { costCenter: 'CC-4' }, title: 'T' }))
        .expect(200);
      expect(res.body.title).toBe('T');
      expect((await auditOf(user.id))[0]).toEqual({ action: 'replace', ignored: [CUSTOM] });
    });

    it('a malformed path is still 400 invalidPath and changes nothing', async () => {
      const user = await createUser(s, 'custom-bad@contoso.com');
      const before = await databaseSnapshot(s);
      expectScimError(
        await s.patch(`/Users/${user.id}`, patchOps({ op: 'add', path: 'emails[type eq', value: 'x' })),
        400,
        'invalidPath',
      );
      expect(await databaseSnapshot(s)).toEqual(before);
    });
  });

  describe('a schemas key inside an extension value on PATCH', () => {
    it('is ignored as on PUT', async () => {
      const user = await createUser(s, 'ext-schemas@contoso.com');
      const res = await s
        .patch(
          `/Users/${user.id}`,
          patchOps({
            op: 'add',
            path: URN.ENTERPRISE,
            value: { schemas: [URN.ENTERPRISE], employeeNumber: '1234', department: 'Sales' },
          }),
        )
        .expect(200);
      expect(res.body[URN.ENTERPRISE]).toEqual({ employeeNumber: '1234', department: 'Sales' });
      expect((await auditOf(user.id))[0].ignored).toEqual([]);
    });

    it('an error about the value says invalidValue, never blaming the path', async () => {
      const user = await createUser(s, 'ext-value@contoso.com');
      expectScimError(
        await s.patch(
          `/Users/${user.id}`,
          patchOps({ op: 'add', path: URN.ENTERPRISE, value: { employeeNumber: 12 } }),
        ),
        400,
        'invalidValue',
      );
      expectScimError(
        await s.patch(`/Users/${user.id}`, patchOps({ op: 'add', value: { 'name.': 'x' } })),
        400,
        'invalidValue',
      );
    });
  });

  describe('dates in filters', () => {
    it('seven fractional digits and an offset compare at the right instant, quoted or not', async () => {
      const user = await createUser(s, 'dated@contoso.com');
      const created = new Date(user.meta.created as string);
      // The same instant one ten-millionth of a second later, written in -07:00 as .NET writes it.
      const local = new Date(created.getTime() - 7 * 3600_000).toISOString().slice(0, 23);
      const justAfter = `${local}0001-07:00`;
      const ids = async (filter: string) =>
        (await s.get(`/Users?${query(filter)}&count=1000`).expect(200)).body.Resources.map((r: { id: string }) => r.id);
      expect(await ids(`meta.created gt "${justAfter}"`)).not.toContain(user.id);
      expect(await ids(`meta.created ge "${justAfter}"`)).not.toContain(user.id);
      expect(await ids(`meta.created le "${justAfter}"`)).toContain(user.id);
      expect(await ids(`meta.created eq "${justAfter}"`)).toEqual([]);
      expect(await ids(`meta.created le ${justAfter}`)).toContain(user.id);
      expect(await ids(`meta.created eq ${local}0000-07:00 and userName eq "dated@contoso.com"`)).toEqual([user.id]);
      expect(await ids('meta.created gt 2015-10-10T14:38:21.8617979-07:00')).toContain(user.id);
    });
  });

  describe('one answer on both databases', () => {
    it('a 300-character externalId is 400 invalidValue on a user and on a group, and nothing is stored', async () => {
      const long = 'e'.repeat(300);
      const before = await databaseSnapshot(s);
      expectScimError(
        await s.post('/Users', userBody('long-ext@contoso.com', { externalId: long })),
        400,
        'invalidValue',
      );
      expectScimError(
        await s.post('/Groups', { schemas: [URN.GROUP], displayName: 'Long ext', externalId: long }),
        400,
        'invalidValue',
      );
      expect(await databaseSnapshot(s)).toEqual(before);
      const user = await createUser(s, 'ext-255@contoso.com', { externalId: 'e'.repeat(255) });
      const found = await s.get(`/Users?${query(`externalId eq "${'e'.repeat(255)}"`)}`).expect(200);
      expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([user.id]);
      expectScimError(
        await s.patch(`/Users/${user.id}`, patchOps({ op: 'replace', path: 'externalId', value: long })),
        400,
        'invalidValue',
      );
    });

    it('255 astral characters (510 UTF-16 units) are one answer for users and groups: kept and found', async () => {
      const astral = '😀'.repeat(255);
      const user = await createUser(s, 'astral@contoso.com', { externalId: astral });
      const group = await s
        .post('/Groups', { schemas: [URN.GROUP], displayName: 'Astral', externalId: astral })
        .expect(201);
      const filter = query(`externalId eq "${astral}"`);
      const users = await s.get(`/Users?${filter}`).expect(200);
      const groups = await s.get(`/Groups?${filter}`).expect(200);
      expect(users.body.Resources.map((r: { id: string }) => r.id)).toEqual([user.id]);
      expect(groups.body.Resources.map((r: { id: string }) => r.id)).toEqual([group.body.id]);
      const over = `${astral}😀`;
      expectScimError(
        await s.post('/Users', userBody('astral2@contoso.com', { externalId: over })),
        400,
        'invalidValue',
      );
      expectScimError(
        await s.post('/Groups', { schemas: [URN.GROUP], displayName: 'Astral 2', externalId: over }),
        400,
        'invalidValue',
      );
    });

    it('an email type of 100 characters is kept whole, not cut at 64', async () => {
      const type = 't'.repeat(100);
      const user = await createUser(s, 'long-type@contoso.com', { emails: [{ type, value: 'lt@contoso.com' }] });
      const found = await s.get(`/Users?${query(`emails[type eq "${type}"].value eq "lt@contoso.com"`)}`).expect(200);
      expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([user.id]);
    });

    it('a user document over 64 KB is 400 invalidValue on create and on PATCH, and nothing is stored', async () => {
      const addresses = Array.from({ length: 300 }, (_, i) => ({ type: `t${i}`, formatted: 'f'.repeat(250) }));
      const before = await databaseSnapshot(s);
      expectScimError(await s.post('/Users', userBody('big@contoso.com', { addresses })), 400, 'invalidValue');
      expect(await databaseSnapshot(s)).toEqual(before);
      const user = await createUser(s, 'grows@contoso.com', { addresses: addresses.slice(0, 100) });
      const grown = await databaseSnapshot(s);
      expectScimError(
        await s.patch(`/Users/${user.id}`, patchOps({ op: 'add', path: 'addresses', value: addresses.slice(100) })),
        400,
        'invalidValue',
      );
      expect(await databaseSnapshot(s)).toEqual(grown);
    });

    it('a NUL in a filter value is 400 invalidFilter; other control characters match literally', async () => {
      for (const op of ['eq', 'co', 'sw', 'ew']) {
        expectScimError(await s.get(`/Users?${query(`userName ${op} "\\u0000"`)}`), 400, 'invalidFilter');
        expectScimError(await s.get(`/Users?${query(`displayName ${op} "a\\u0000"`)}`), 400, 'invalidFilter');
      }
      const tabbed = await createUser(s, 'tabbed@contoso.com', { externalId: 'tab\there' });
      for (const filter of ['externalId co "\\t"', 'externalId eq "tab\\there"', 'externalId sw "tab\\t"']) {
        const found = await s.get(`/Users?${query(filter)}`).expect(200);
        expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([tabbed.id]);
      }
      expectScimError(await s.post('/Users', userBody('nul@contoso.com', { title: 'a\u0000b' })), 400, 'invalidValue');
    });

    it('a body that is not UTF-8 is 400 invalidSyntax and nothing is stored', async () => {
      const before = await databaseSnapshot(s);
      const prefix = Buffer.from(`{"schemas":["${URN.USER}"],"userName":"bad-`);
      const body = Buffer.concat([prefix, Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('@contoso.com"}')]);
      const res = await bytes('post', '/Users', body);
      expectScimError(res, 400, 'invalidSyntax');
      expect(res.body.detail).toBe('The request body is not valid UTF-8');
      const group = await createGroup(s, 'Utf8 group');
      const patched = await bytes(
        'patch',
        `/Groups/${group.id}`,
        Buffer.concat([
          Buffer.from(`{"schemas":["${URN.PATCH_OP}"],"Operations":[{"op":"replace","path":"displayName","value":"x`),
          Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from('"}]}'),
        ]),
      );
      expectScimError(patched, 400, 'invalidSyntax');
      const after = await databaseSnapshot(s);
      expect(after.users).toEqual(before.users);
      expect((await s.get(`/Groups/${group.id}`).expect(200)).body.displayName).toBe('Utf8 group');
    });
  });
});

describe.each(testDialects())('SCIM strict mode for undeclared attributes (%s)', (dialect) => {
  let s: ScimTestServer;
  beforeAll(async () => {
    s = await startScimServer(dialect, { env: { SCIM_REFUSE_UNDECLARED_ATTRIBUTES: 'true' } });
  });
  afterAll(() => s.close());

  it('refuses POST, PUT and PATCH naming an undeclared attribute, changing nothing', async () => {
    const user = await createUser(s, 'strict@contoso.com', { [URN.ENTERPRISE]: { schemas: [URN.ENTERPRISE] } });
    const before = await databaseSnapshot(s);
    expectScimError(
      await s.post('/Users', userBody('strict2@contoso.com', { [CUSTOM]: { costCenter: 'x' } })),
      400,
      'invalidValue',
    );
    expectScimError(
      await s.put(`/Users/${user.id}`, userBody('strict@contoso.com', { isAdmin: true })),
      400,
      'invalidValue',
    );
    expectScimError(
      await s.patch(`/Users/${user.id}`, patchOps({ op: 'add', path: `${CUSTOM}:costCenter`, value: 'x' })),
      400,
      'invalidPath',
    );
    expectScimError(
      await s.patch(`/Users/${user.id}`, patchOps({ op: 'add', path: URN.ENTERPRISE, value: { floor: 3 } })),
      400,
      'invalidValue',
    );
    expect(await databaseSnapshot(s)).toEqual(before);
    // What the schema declares still goes through, a schemas key in an extension value included.
    await s
      .patch(
        `/Users/${user.id}`,
        patchOps({ op: 'add', path: URN.ENTERPRISE, value: { schemas: [URN.ENTERPRISE], employeeNumber: '9' } }),
      )
      .expect(200);
  });
});
