import { testDialects } from '@nest-scim/persistence/testing';
import {
  count,
  createGroup,
  createUser,
  expectNothingChanged,
  expectScimError,
  filterQuery,
  patchOps,
  rawRequest,
  SCIM,
  ScimTestServer,
  sendRaw,
  startHardenedServer,
  URN,
  userBody,
} from './hardening-support';

/*
 * Security cases, part C (input handling, filters, injection), on a server with the default limits.
 * Limits set from the environment, and part D, are d-limits.e2e-spec.ts.
 */
describe.each(testDialects())('security cases C (%s)', (dialect) => {
  let s: ScimTestServer;
  let alice: { id: string };

  beforeAll(async () => {
    s = await startHardenedServer(dialect);
    alice = await createUser(s, 'alice', {
      externalId: 'ext-alice',
      emails: [{ type: 'work', value: 'alice@contoso.com' }],
    });
    await createUser(s, 'bob');
    await createGroup(s, 'Engineering');
  });
  afterAll(() => s.close());

  const list = (path: string) => s.get(path);

  /** 200 with a ListResponse holding exactly `ids`, or a 400 invalidFilter; never anything else. */
  function expectEmptyOrInvalidFilter(res: import('supertest').Response): void {
    if (res.status === 200) {
      expect(res.body.schemas).toEqual([URN.LIST]);
      expect(res.body.totalResults).toBe(0);
      expect(res.body.Resources).toEqual([]);
    } else {
      expectScimError(res, 400, 'invalidFilter');
    }
  }

  it('C.17: SQL injection through filters gives 0 results or 400 invalidFilter, never a DB error, never extra rows', async () => {
    const filters = [
      'userName eq "x\\" or 1 eq 1"',
      'userName eq "x" or "1" eq "1"',
      "userName eq \"a' OR '1'='1\"",
      'userName eq "\\u0000"',
      'userName eq "\u0000"',
      'displayName eq "x\\"); DROP TABLE users;--"',
      'userName eq "x"; DROP TABLE users; --',
      'userName eq "x" or userName pr) --',
      'userName` = 1 or `1 eq "x"',
      'u.login eq "alice"',
      '1 eq 1',
      'userName eq "alice" or 1=1',
      'emails[value eq "x\' OR 1=1 --"].value eq "x"',
      'externalId eq "ext-alice\' --"',
      'userName sw "\' UNION SELECT token_hash FROM user_tokens --"',
    ];
    await expectNothingChanged(s.dataSource, async () => {
      for (const filter of filters) {
        for (const route of ['/Users', '/Groups']) {
          const res = await list(`${route}?${filterQuery(filter)}`);
          expect({ filter, route, status: res.status }).toEqual({ filter, route, status: expect.any(Number) });
          expect(res.status).not.toBeGreaterThanOrEqual(500);
          expectEmptyOrInvalidFilter(res);
        }
      }
    });
    // The tables are all still there and hold what they held.
    expect(await count(s.dataSource, 'users')).toBeGreaterThanOrEqual(3);
    expect((await list(`/Users?${filterQuery('userName eq "alice"')}`)).body.totalResults).toBe(1);
  });

  it('C.18: LIKE metacharacters match only themselves (%, _ and \\ are escaped) on both databases', async () => {
    await createUser(s, 'per%cent');
    await createUser(s, 'under_score');
    await createUser(s, 'back\\slash');
    const names = async (filter: string) => {
      const res = await list(`/Users?${filterQuery(filter)}&count=100`);
      expect(res.status).toBe(200);
      return (res.body.Resources as { userName: string }[]).map((r) => r.userName).sort();
    };
    expect(await names('userName sw "%"')).toEqual([]);
    expect(await names('userName co "%"')).toEqual(['per%cent']);
    expect(await names('userName co "_"')).toEqual(['under_score']);
    expect(await names('userName ew "\\\\slash"')).toEqual(['back\\slash']);
    expect(await names('userName co "\\\\"')).toEqual(['back\\slash']);
    expect(await names('userName sw "a%"')).toEqual([]);
    expect(await names('userName co "r_s"')).toEqual(['under_score']);
    expect(await names('userName co "e_s"')).toEqual([]);
  });

  it('C.19: deeply nested filters are 400 invalidFilter within milliseconds; the process lives on', async () => {
    const depth = 1000;
    const hostile = [
      `${'('.repeat(depth)}userName eq "a"${')'.repeat(depth)}`,
      `${'not ('.repeat(depth)}userName eq "a"${')'.repeat(depth)}`,
      `emails[${'value eq "a" and ('.repeat(depth)}value eq "a"${')'.repeat(depth)}]`,
      `${'('.repeat(50_000)}`,
      `userName eq "a" and ${'(userName eq "a" and '.repeat(800)}userName eq "a"${')'.repeat(800)}`,
    ];
    await expectNothingChanged(s.dataSource, async () => {
      for (const filter of hostile) {
        const started = Date.now();
        const res = await list(`/Users?${filterQuery(filter)}`);
        expect([400, 414, 431]).toContain(res.status);
        if (res.status === 400) expectScimError(res, 400, 'invalidFilter');
        // Generous for a loaded CI machine; the parser refuses at the 33rd level or the length cap.
        expect(Date.now() - started).toBeLessThan(3000);
      }
      // Exactly at the depth limit still parses; one more level is refused.
      const ok = await list(`/Users?${filterQuery(`${'('.repeat(32)}userName eq "alice"${')'.repeat(32)}`)}`);
      expect(ok.status).toBe(200);
      expect(ok.body.totalResults).toBe(1);
      expectScimError(
        await list(`/Users?${filterQuery(`${'('.repeat(33)}userName eq "a"${')'.repeat(33)}`)}`),
        400,
        'invalidFilter',
      );
    });
    await s.get('/ServiceProviderConfig').expect(200);
  });

  it('C.20: a long flat filter is 400 from the length cap; a 100 KB query string is refused before any work', async () => {
    const clauses = Array.from({ length: 10_000 }, (_, i) => `userName eq "u${i}"`).join(' or ');
    await expectNothingChanged(s.dataSource, async () => {
      // Sent as the body of a POST /.search would be too; as a query it exceeds the URL limit first.
      const flat = await list(`/Users?${filterQuery(clauses.slice(0, 4097))}`);
      expectScimError(flat, 400, 'invalidFilter');
      const huge = await s.get(`/Users?${filterQuery(clauses)}`);
      // Node's HTTP parser refuses request heads above 16 KB (431) before the application sees them.
      expect([400, 414, 431]).toContain(huge.status);
      const padded = await s.get(`/Users?x=${'a'.repeat(100_000)}`);
      expect([400, 414, 431]).toContain(padded.status);
    });
    await s.get('/ServiceProviderConfig').expect(200);
  });

  it('C.21: hostile PATCH paths are 400 invalidPath, nothing changes, and no prototype is polluted', async () => {
    const paths = [
      `members[value eq "x" and ${'('.repeat(500)}value eq "x"${')'.repeat(500)}]`,
      'name.givenName.foo.bar.baz',
      '__proto__',
      '__proto__.isAdmin',
      'constructor.prototype.isAdmin',
      'prototype',
      'name.__proto__',
      'emails[value eq "a"].__proto__',
      `urn:ietf:params:scim:schemas:core:2.0:User:${'a.'.repeat(2000)}b`,
      'x'.repeat(5000),
      'emails[[value eq "a"]]',
      'emails[value eq "a"].value.value',
    ];
    await expectNothingChanged(s.dataSource, async () => {
      for (const path of paths) {
        for (const op of ['add', 'replace', 'remove']) {
          const res = await s.patch(
            `/Users/${alice.id}`,
            patchOps({ op, path, value: { isAdmin: true, polluted: 'yes' } }),
          );
          expectScimError(res, 400, ['invalidPath', 'noTarget', 'invalidFilter', 'invalidSyntax']);
        }
      }
      // Path-less values with prototype keys.
      const res = await rawRequest(
        s,
        'patch',
        `/Users/${alice.id}`,
        `{"schemas":["${URN.PATCH_OP}"],"Operations":[{"op":"add","value":{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}}]}`,
      );
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    });
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('C.22: a filter on password is refused (403 sensitive or 400), and no error detail echoes the input', async () => {
    await expectNothingChanged(s.dataSource, async () => {
      const res = await list(`/Users?${filterQuery('password eq "hunter2"')}`);
      expect([400, 403]).toContain(res.status);
      if (res.status === 403) expectScimError(res, 403, 'sensitive');
      else expectScimError(res, 400, 'invalidFilter');
      expect(JSON.stringify(res.body)).not.toContain('hunter2');

      const marker = 'Zq9-echo-marker';
      const probes = [
        list(`/Users?${filterQuery(`userName eq "${marker}" and (`)}`),
        list(`/Users?${filterQuery(`${marker} eq "x"`)}`),
        list(`/Users?${filterQuery(`userName ${marker} "x"`)}`),
        list(`/Users?count=${marker}`),
        list(`/Users?attributes=${marker}&excludedAttributes=${marker}`),
        s.get(`/Users/${marker}`),
        s.patch(`/Users/${alice.id}`, patchOps({ op: 'replace', path: marker, value: marker })),
        s.patch(`/Users/${alice.id}`, patchOps({ op: marker, path: 'displayName', value: marker })),
        s.post('/Users', { schemas: [URN.USER], userName: { nested: marker } }),
        s.post('/Users', { schemas: [marker], userName: marker }),
        rawRequest(s, 'post', '/Users', `{"schemas":["${URN.USER}"],"userName":"${marker}"`),
        s.http().get(`${SCIM}/Users`).set('Authorization', `Bearer ${marker}`),
      ];
      for (const probe of probes) {
        const answer = await probe;
        if (answer.status >= 400) expect(JSON.stringify(answer.body)).not.toContain(marker);
      }
    });
  });

  it('C.23: odd literal types are 400 invalidFilter or a well-defined result, never a 500', async () => {
    const filters = [
      'userName eq 123',
      'userName eq true',
      'userName eq null',
      'meta.lastModified gt "not-a-date"',
      'meta.created gt 12',
      'active eq "yes"',
      'active eq 1',
      'active gt true',
      'userName gt null',
      'emails.primary eq "true"',
      'userName eq 1e999',
      'userName eq -0',
      'userName eq "\\ud800"',
      'userName eq "\\x41"',
      'id eq "00000000-0000-0000-0000-000000000000"',
    ];
    await expectNothingChanged(s.dataSource, async () => {
      for (const filter of filters) {
        const res = await list(`/Users?${filterQuery(filter)}`);
        expect({ filter, status: res.status < 500 }).toEqual({ filter, status: true });
        if (res.status === 200) expect(res.body.schemas).toEqual([URN.LIST]);
        else expectScimError(res, 400, 'invalidFilter');
      }
    });
  });

  it("C.24: userName is unique and matched case-insensitively; Entra's capitalised ops are accepted", async () => {
    await expectNothingChanged(s.dataSource, async () => {
      expectScimError(await s.post('/Users', userBody('Alice')), 409, 'uniqueness');
      expectScimError(await s.post('/Users', userBody('ALICE')), 409, 'uniqueness');
    });
    const found = await list(`/Users?${filterQuery('userName eq "ALICE"')}`).expect(200);
    expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([alice.id]);
    for (const op of ['Add', 'Replace', 'Remove']) {
      const res = await s.patch(`/Users/${alice.id}`, patchOps({ op, path: 'nickName', value: 'Al' }));
      expect(res.status).toBe(200);
    }
  });

  it('C.25: look-alike userNames collide (409) or are refused (400); there is never a second visually identical admin', async () => {
    await expectNothingChanged(s.dataSource, async () => {
      for (const userName of [
        'admin ',
        ' admin',
        'ａdmin',
        'ＡＤＭＩＮ',
        'admin\u200b',
        'ad\u00admin',
        'admin\u3000',
        'ADMIN',
        'admin\u202e',
      ]) {
        const res = await s.post('/Users', userBody(userName));
        expect({ userName, status: [400, 409].includes(res.status) }).toEqual({ userName, status: true });
        expectScimError(res, res.status, res.status === 409 ? 'uniqueness' : 'invalidValue');
      }
      const bob = await list(`/Users?${filterQuery('userName eq "bob"')}`);
      const bobId = bob.body.Resources[0].id;
      for (const userName of ['alice ', 'ａlice', 'ALICE', 'alice\u200b']) {
        const res = await s.patch(`/Users/${bobId}`, patchOps({ op: 'replace', path: 'userName', value: userName }));
        expect([400, 409]).toContain(res.status);
      }
    });
    expect(await count(s.dataSource, "users WHERE login_normalized = 'admin'")).toBe(1);
  });

  describe('C.26: malformed and hostile JSON bodies', () => {
    it('wrong content type, invalid JSON, missing or wrong schemas are 400 invalidSyntax; nothing is created', async () => {
      const valid = JSON.stringify(userBody('c26-valid@contoso.com'));
      await expectNothingChanged(s.dataSource, async () => {
        for (const [body, type] of [
          [valid, 'text/plain'],
          [valid, 'application/x-www-form-urlencoded'],
          [valid, 'application/xml'],
          ['{"schemas":["' + URN.USER + '"],"userName":', 'application/scim+json'],
          ["{'userName':'x'}", 'application/scim+json'],
          ['[]', 'application/scim+json'],
          ['"text"', 'application/scim+json'],
          ['null', 'application/scim+json'],
          ['{"userName":"c26@contoso.com"}', 'application/scim+json'],
          ['{"schemas":["urn:wrong"],"userName":"c26@contoso.com"}', 'application/scim+json'],
          ['{"schemas":"' + URN.USER + '","userName":"c26@contoso.com"}', 'application/scim+json'],
        ] as const) {
          const res = await rawRequest(s, 'post', '/Users', body, type);
          expect({ body, type, status: res.status }).toEqual({ body, type, status: expect.any(Number) });
          expect([400, 415]).toContain(res.status);
          expectScimError(res, res.status, res.status === 400 ? 'invalidSyntax' : undefined);
        }
      });
    });

    it('duplicate keys are 400 invalidSyntax: a proxy and this server must not read two different bodies', async () => {
      await expectNothingChanged(s.dataSource, async () => {
        const res = await rawRequest(
          s,
          'post',
          '/Users',
          `{"schemas":["${URN.USER}"],"userName":"c26-dup@contoso.com","userName":"admin"}`,
        );
        expectScimError(res, 400, 'invalidSyntax');
        const patch = await rawRequest(
          s,
          'patch',
          `/Users/${alice.id}`,
          `{"schemas":["${URN.PATCH_OP}"],"Operations":[{"op":"replace","path":"displayName","value":"a","value":"b"}]}`,
        );
        expectScimError(patch, 400, 'invalidSyntax');
      });
    });

    it('nesting 10,000 levels deep is 400 invalidSyntax, even inside an attribute that would be ignored', async () => {
      await expectNothingChanged(s.dataSource, async () => {
        const deepObject = `{"schemas":["${URN.USER}"],"userName":"c26-deep@contoso.com","x":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
        expectScimError(await rawRequest(s, 'post', '/Users', deepObject), 400, 'invalidSyntax');
        const deepArray = `{"schemas":["${URN.USER}"],"userName":"c26-deep@contoso.com","nickName":"n","x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
        expectScimError(await rawRequest(s, 'post', '/Users', deepArray), 400, 'invalidSyntax');
      });
    });

    it('__proto__ keys, 10,000-deep nesting and a 10 MB body: refused (400 or 413), no pollution, nothing created', async () => {
      const proto = await rawRequest(
        s,
        'post',
        '/Users',
        `{"schemas":["${URN.USER}"],"userName":"c26-proto@contoso.com","__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}},"name":{"__proto__":{"isAdmin":true}}}`,
      );
      // Accepted as a user whose prototype keys were dropped, or refused; never a pollution, never a grant.
      expect([201, 400]).toContain(proto.status);
      if (proto.status === 201) {
        expect(proto.body).not.toHaveProperty('isAdmin');
        expect(
          await count(
            s.dataSource,
            'user_permissions p JOIN scim_users su ON su.user_id = p.user_id WHERE su.scim_id = ?',
            [proto.body.id],
          ),
        ).toBe(0);
      }
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();

      await expectNothingChanged(s.dataSource, async () => {
        const deep = `{"schemas":["${URN.USER}"],"userName":"c26-deep@contoso.com","name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
        const deepRes = await rawRequest(s, 'post', '/Users', deep);
        expectScimError(deepRes, 400);

        const started = Date.now();
        const bigRes = await sendRaw(s, 'POST', '/Users', Buffer.alloc(10 * 1024 * 1024, 'a'));
        expectScimError(bigRes as unknown as import('supertest').Response, 413);
        expect(Date.now() - started).toBeLessThan(5000);
      });
      await s.get('/ServiceProviderConfig').expect(200);
    });
  });

  it('Entra-sized requests pass under the default limits (each limit sits above what Entra sends)', async () => {
    const members = await Promise.all(
      Array.from({ length: 20 }, (_, i) => createUser(s, `entra-size-${i}@contoso.com`)),
    );
    const group = await createGroup(s, 'entra-size');
    // A full user as Entra's attribute mappings send it, and a membership PATCH of 20 members in one operation.
    const user = await s.post('/Users', {
      schemas: [URN.USER, URN.ENTERPRISE],
      userName: `${'u'.repeat(200)}@contoso.com`,
      externalId: '0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      active: true,
      displayName: 'D'.repeat(250),
      name: { givenName: 'G'.repeat(100), familyName: 'F'.repeat(100), formatted: 'X'.repeat(200) },
      emails: [{ type: 'work', value: 'work@contoso.com', primary: true }],
      phoneNumbers: [
        { type: 'work', value: '+1 555 0100' },
        { type: 'mobile', value: '+1 555 0101' },
      ],
      addresses: [
        { type: 'work', streetAddress: 'S'.repeat(200), locality: 'L', region: 'R', postalCode: 'P', country: 'US' },
      ],
      title: 'T'.repeat(200),
      preferredLanguage: 'en-US',
      [URN.ENTERPRISE]: { employeeNumber: '42', department: 'Dept', manager: { value: members[0].id } },
    });
    expect(user.status).toBe(201);
    const filter = `userName eq "${'u'.repeat(200)}@contoso.com" and externalId eq "0a1b2c3d-4e5f-6789-abcd-ef0123456789"`;
    expect((await list(`/Users?${filterQuery(filter)}`)).body.totalResults).toBe(1);
    const patch = await s.patch(
      `/Groups/${group.id}`,
      patchOps({ op: 'Add', path: 'members', value: members.map((m) => ({ value: m.id })) }),
    );
    expect(patch.status).toBe(204);
    const ops = Array.from({ length: 30 }, (_, i) => ({ op: 'Replace', path: 'title', value: `t${i}` }));
    expect((await s.patch(`/Users/${user.body.id}`, patchOps(...ops))).status).toBe(200);
  });
});
