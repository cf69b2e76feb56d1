import fc from 'fast-check';
import { testDialects } from '@nest-scim/persistence/testing';
import { groupFilterTargets } from '@nest-scim/provisioning/group-filter.targets';
import { userFilterTargets } from '@nest-scim/provisioning/user-filter.targets';
import { compileFilter } from '@nest-scim/provisioning';
import {
  applyPatch,
  GROUP_RESOURCE_TYPE,
  membershipChanges,
  parseFilter,
  parsePatchRequest,
  ScimError,
  ScimResourceData,
  USER_RESOURCE_TYPE,
} from '@nest-scim/scim';
import {
  createGroup,
  createUser,
  isScimClientError,
  SCIM,
  ScimTestServer,
  snapshot,
  startHardenedServer,
  URN,
} from './hardening-support';

/*
 * Property-based fuzzing (fast-check) of the filter parser and compiler, the PATCH parser and engine, and the HTTP
 * layer: only SCIM 4xx refusals, never a 500, never a crash or an escaped exception, never a change after an error.
 * Runs are bounded so the suite stays fast; a failure prints its seed and the shrunk input.
 */

/** Marks values generated into filters, so a test can tell whether one reached the SQL text or an error detail. */
const MARK = 'Qx7';

const ATTRIBUTES = [
  'userName',
  'USERNAME',
  'externalId',
  'displayName',
  'active',
  'emails',
  'emails.value',
  'emails.type',
  'emails.primary',
  'name.givenName',
  'name.familyName',
  'meta.created',
  'meta.lastModified',
  'id',
  'members',
  'members.value',
  'password',
  'nickName',
  'urn:ietf:params:scim:schemas:core:2.0:User:userName',
  `${URN.ENTERPRISE}:employeeNumber`,
  `${URN.ENTERPRISE}:manager.value`,
  'urn:bogus:x',
  'bogus',
  '__proto__',
  'constructor',
  'toString',
];
const OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'EQ', 'Sw', 'regex', 'in'];

const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
/** sortBy values: the sortable attributes, others, malformed paths and filters. */
const sortByText = fc.oneof(
  fc.constantFrom(...ATTRIBUTES),
  fc.constantFrom('meta.created', 'META.LASTMODIFIED', 'emails[type eq "work"]', 'userName pr', '', ' ', 'a.b.c'),
  fc.string({ maxLength: 20 }),
);
const sortOrderText = fc.oneof(
  fc.constantFrom('ascending', 'descending', 'DESCENDING', 'Ascending', '', 'up'),
  fc.string({ maxLength: 8 }),
);

const literal = fc.oneof(
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(`${MARK}${s}`)),
  fc.constantFrom(
    'true',
    'false',
    'null',
    'True',
    '"2024-01-01T00:00:00Z"',
    '"not-a-date"',
    '1e999',
    '-0',
    '"\\u0000"',
  ),
  fc.integer().map(String),
  fc.double({ noNaN: true }).map(String),
  fc.string({ maxLength: 6 }),
);

const comparison = fc
  .tuple(fc.constantFrom(...ATTRIBUTES), fc.constantFrom(...OPERATORS), literal)
  .map(([attribute, op, value]) => (op === 'pr' ? `${attribute} pr` : `${attribute} ${op} ${value}`));

const { filter: grammarFilter } = fc.letrec<{ filter: string }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc
      .tuple(tie('filter'), fc.constantFrom('and', 'or', 'AND', 'Or'), tie('filter'))
      .map(([l, k, r]) => `${l} ${k} ${r}`),
    tie('filter').map((f) => `not (${f})`),
    tie('filter').map((f) => `(${f})`),
    fc
      .tuple(
        fc.constantFrom('emails', 'members', 'name', 'userName'),
        comparison,
        fc.constantFrom('', '.value', '.type eq "x"'),
      )
      .map(([attribute, inner, tail]) => `${attribute}[${inner.replace(/^\S+/, (a) => a.split('.').pop()!)}]${tail}`),
  ),
}));

/** Grammar-shaped filters, then the same with a few characters inserted or cut, to reach every syntax error. */
const filterText = fc.oneof(
  grammarFilter,
  fc
    .tuple(grammarFilter, fc.nat(), fc.nat({ max: 4 }), fc.string({ maxLength: 3 }))
    .map(([f, at, cut, insert]) => f.slice(0, at % (f.length + 1)) + insert + f.slice((at % (f.length + 1)) + cut)),
  fc.string({ maxLength: 60 }),
  fc.nat({ max: 300 }).map((n) => '('.repeat(n) + 'userName eq "a"' + ')'.repeat(n)),
  fc.nat({ max: 300 }).map((n) => 'not ('.repeat(n) + 'userName pr' + ')'.repeat(n)),
);

function expectScimRefusal(error: unknown): void {
  if (!(error instanceof ScimError)) throw new Error(`escaped a non-SCIM error: ${String(error)}`);
  expect(error.status).toBeGreaterThanOrEqual(400);
  expect(error.status).toBeLessThan(500);
}

describe('fuzzing the filter parser and compiler', () => {
  const targets = [
    userFilterTargets('scim_user_emails'),
    groupFilterTargets({ table: 'group_members', groupColumn: 'group_id', userColumn: 'user_id' }, 'scim_users'),
  ];

  it('parses or refuses with 400 invalidFilter; compiles to parameters only, never to SQL holding a value', () => {
    fc.assert(
      fc.property(filterText, (text) => {
        let ast;
        try {
          ast = parseFilter(text);
        } catch (error) {
          expectScimRefusal(error);
          expect((error as ScimError).scimType).toBe('invalidFilter');
          expect((error as ScimError).detail).not.toContain(MARK);
          return;
        }
        for (const target of targets) {
          try {
            const compiled = compileFilter(ast, target);
            expect(compiled.where).not.toContain(MARK);
            expect(compiled.where).not.toMatch(/;|--|\/\*/);
          } catch (error) {
            expectScimRefusal(error);
            expect((error as ScimError).detail).not.toContain(MARK);
          }
        }
      }),
      { numRuns: 4000 },
    );
  });

  it('arbitrary text, unicode included, never escapes as anything but a SCIM 400', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        try {
          const ast = parseFilter(text);
          for (const target of targets) {
            try {
              compileFilter(ast, target);
            } catch (error) {
              expectScimRefusal(error);
            }
          }
        } catch (error) {
          expectScimRefusal(error);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

const PATHS = [
  'userName',
  'displayName',
  'active',
  'title',
  'nickName',
  'name',
  'name.givenName',
  'name.familyName',
  'emails',
  'emails[type eq "work"].value',
  'emails[type eq "work"]',
  'emails[value eq "a@b.c"].primary',
  'phoneNumbers[type eq "mobile"].value',
  'addresses[type eq "work"].locality',
  'externalId',
  'roles',
  'groups',
  'id',
  'meta',
  'meta.created',
  'members',
  'members[value eq "u1"]',
  'members.value',
  'password',
  `${URN.ENTERPRISE}:department`,
  `${URN.ENTERPRISE}:manager`,
  `${URN.ENTERPRISE}`,
  'urn:ietf:params:scim:schemas:core:2.0:User:userName',
  '__proto__',
  'constructor.prototype.isAdmin',
  'emails[value eq "a" and (type eq "b")]',
  'name.givenName.x',
  '',
];

const jsonish = fc.oneof(
  { maxDepth: 3 },
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('False', 'True', 'false', '', null, [], {}, [{ value: 'u1' }], [{ value: 'u2', display: 'x' }], {
    value: 'u1',
  }),
  fc.record(
    { value: fc.string({ maxLength: 8 }), type: fc.constantFrom('work', 'home', 'x'), primary: fc.boolean() },
    { requiredKeys: [] },
  ),
  fc.dictionary(
    fc.constantFrom(
      'givenName',
      'familyName',
      'active',
      'displayName',
      'name.givenName',
      URN.ENTERPRISE,
      '__proto__',
      'x',
    ),
    fc.jsonValue({ maxDepth: 2 }),
  ),
);

/** Replaced by a real SCIM user id in the HTTP fuzzing, so member adds can succeed. */
const MEMBER = 'FUZZ_MEMBER_ID';

const operation = fc.record(
  {
    op: fc.oneof(
      { arbitrary: fc.constantFrom('add', 'replace', 'remove', 'Add', 'Replace', 'Remove'), weight: 8 },
      fc.constantFrom('ADD', 'move', '', 7),
    ),
    path: fc.oneof(
      { arbitrary: fc.constantFrom(...PATHS, 'members', `members[value eq "${MEMBER}"]`), weight: 6 },
      fc.string({ maxLength: 20 }),
      fc.constant(null),
    ),
    value: fc.oneof({ arbitrary: jsonish, weight: 5 }, fc.constant([{ value: MEMBER }])),
  },
  { requiredKeys: ['op'] },
);

const patchBody = fc.oneof(
  {
    arbitrary: fc.record({
      schemas: fc.constant([URN.PATCH_OP]),
      Operations: fc.array(operation, { minLength: 1, maxLength: 6 }),
    }),
    weight: 4,
  },
  fc.record(
    {
      schemas: fc.constantFrom([URN.PATCH_OP], [], ['x'], 'x'),
      Operations: fc.oneof(fc.array(operation, { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 })),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 3 }),
);

const USER: ScimResourceData = {
  core: {
    userName: 'alice',
    active: true,
    displayName: 'Alice',
    name: { givenName: 'Alice', familyName: 'Liddell' },
    emails: [
      { type: 'work', value: 'alice@contoso.com', primary: true },
      { type: 'home', value: 'alice@home.example' },
    ],
  },
  extensions: { [URN.ENTERPRISE]: { department: 'R&D', manager: { value: 'm1' } } },
};
const GROUP: ScimResourceData = { core: { displayName: 'Engineering', externalId: 'g-1' }, extensions: {} };

describe('fuzzing the PATCH parser and engine', () => {
  it('parses or refuses with a SCIM 4xx; applies or refuses without touching the input, and pollutes nothing', () => {
    fc.assert(
      fc.property(patchBody, fc.boolean(), (body, forGroup) => {
        const resourceType = forGroup ? GROUP_RESOURCE_TYPE : USER_RESOURCE_TYPE;
        const resource = forGroup ? GROUP : USER;
        const before = JSON.stringify(resource);
        let operations;
        try {
          operations = parsePatchRequest(body, resourceType, { maxOperations: 5 });
        } catch (error) {
          expectScimRefusal(error);
          return;
        }
        try {
          if (forGroup) membershipChanges(operations);
          const result = applyPatch(
            resource,
            operations,
            resourceType,
            forGroup ? { handledElsewhere: ['members'] } : {},
          );
          expect(typeof result.changed).toBe('boolean');
          // The patched copy still holds what the schema requires.
          expect(typeof result.resource.core[forGroup ? 'displayName' : 'userName']).toBe('string');
        } catch (error) {
          expectScimRefusal(error);
        }
        expect(JSON.stringify(resource)).toBe(before);
        expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      }),
      { numRuns: 4000 },
    );
  });
});

describe.each(testDialects())('fuzzing the HTTP layer (%s)', (dialect) => {
  let s: ScimTestServer;
  let userId: string;
  let groupId: string;
  let memberId: string;

  beforeAll(async () => {
    s = await startHardenedServer(dialect);
    userId = (await createUser(s, 'fuzz-alice@contoso.com', { emails: [{ type: 'work', value: 'a@contoso.com' }] })).id;
    const bob = await createUser(s, 'fuzz-bob@contoso.com');
    memberId = bob.id;
    groupId = (await createGroup(s, 'fuzz-group', [bob.id])).id;
  });
  afterAll(() => s.close());

  it('answers every generated request with a success or a SCIM 4xx, and an error never changes a row', async () => {
    const path = fc.oneof(
      fc.constantFrom(
        '/Users',
        '/Groups',
        '/ServiceProviderConfig',
        '/Schemas',
        '/ResourceTypes',
        '/Bulk',
        '/Users/.search',
        '/Groups/.search',
        '/.search',
        '',
      ),
      fc.constantFrom('/Users/', '/Groups/').chain((p) =>
        fc.oneof(
          fc.constant(`${p}${p.startsWith('/U') ? userId : groupId}`),
          fc.string({ maxLength: 40 }).map((x) => p + encodeURIComponent(x)),
        ),
      ),
      fc.string({ maxLength: 30 }).map((x) => `/${encodeURIComponent(x)}`),
    );
    const query = fc.record(
      {
        filter: filterText,
        count: fc.oneof(fc.integer().map(String), fc.string({ maxLength: 5 })),
        startIndex: fc.oneof(fc.integer().map(String), fc.string({ maxLength: 5 })),
        attributes: fc.constantFrom('userName', 'members', 'emails.value', 'bogus', '', 'urn:x:y'),
        excludedAttributes: fc.constantFrom('members', 'userName', 'meta', ''),
        sortBy: sortByText,
        sortOrder: sortOrderText,
      },
      { requiredKeys: [] },
    );
    // RFC 7644 §3.4.3 bodies: well-formed members, wrong types, and anything JSON.
    const searchBody = fc.record(
      {
        schemas: fc.constantFrom([SEARCH_REQUEST], [SEARCH_REQUEST.toUpperCase()], [URN.USER], [], 'x'),
        filter: fc.oneof(filterText, jsonish),
        startIndex: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 5 }), jsonish),
        count: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 5 }), jsonish),
        attributes: fc.oneof(
          fc.array(fc.constantFrom('userName', 'members', 'emails.value', 'bogus', 'urn:x:y', ''), { maxLength: 3 }),
          fc.constantFrom('userName,emails', ''),
          jsonish,
        ),
        excludedAttributes: fc.oneof(
          fc.array(fc.constantFrom('members', 'meta', 'userName'), { maxLength: 2 }),
          jsonish,
        ),
        sortBy: fc.oneof(sortByText, jsonish),
        sortOrder: fc.oneof(sortOrderText, jsonish),
      },
      { requiredKeys: [] },
    );
    const userShaped = fc.record(
      {
        schemas: fc.constantFrom([URN.USER], [URN.USER, URN.ENTERPRISE], [URN.GROUP], []),
        userName: fc.oneof(
          fc.string({ maxLength: 20 }).map((x) => `fz-${x}`),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        displayName: jsonish,
        active: jsonish,
        emails: jsonish,
        members: jsonish,
        externalId: jsonish,
        [URN.ENTERPRISE]: jsonish,
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      patchBody.map((b) => JSON.stringify(b)),
      userShaped.map((b) => JSON.stringify(b)),
      fc.jsonValue({ maxDepth: 3 }).map((b) => JSON.stringify(b)),
      fc.string({ maxLength: 40 }),
      fc.constant(''),
    );
    const scimJson = fc.constantFrom('application/scim+json', 'application/scim+json', 'application/json');
    const anyType = fc.constantFrom(
      'application/scim+json',
      'application/json',
      'text/plain',
      'application/scim+json; charset=latin1',
      '',
    );
    const ifMatch = fc.option(fc.constantFrom('*', 'W/"1"', '"x"', 'garbage', 'W/"999"'), { nil: undefined, freq: 6 });
    const resource = fc.constantFrom('/Users', '/Groups');
    const knownId = resource.map((p) => `${p}/${p === '/Users' ? userId : groupId}`);
    // Weighted towards requests that get past routing, so the parsers, the stores and the database do the work.
    const request = fc.oneof(
      {
        arbitrary: fc.record({
          method: fc.constant('GET'),
          path: fc.oneof(resource, knownId),
          query,
          body: fc.constant(''),
          contentType: fc.constant(''),
          ifMatch,
        }),
        weight: 3,
      },
      {
        arbitrary: fc.record({
          method: fc.constant('PATCH'),
          path: fc.oneof({ arbitrary: knownId, weight: 4 }, path),
          query: fc.constant({}),
          body: patchBody.map((b) => JSON.stringify(b)),
          contentType: scimJson,
          ifMatch,
        }),
        weight: 5,
      },
      {
        arbitrary: fc.record({
          method: fc.constantFrom('POST', 'PUT'),
          path: fc.oneof(resource, knownId),
          query: fc.constant({}),
          body: userShaped.map((b) => JSON.stringify(b)),
          contentType: scimJson,
          ifMatch,
        }),
        weight: 4,
      },
      {
        arbitrary: fc.record({
          method: fc.constant('POST'),
          path: fc.constantFrom('/Users/.search', '/Groups/.search', '/.search'),
          query: fc.constant({}),
          body: fc.oneof(
            { arbitrary: searchBody.map((b) => JSON.stringify(b)), weight: 4 },
            { arbitrary: fc.jsonValue({ maxDepth: 2 }).map((b) => JSON.stringify(b)), weight: 1 },
          ),
          contentType: scimJson,
          ifMatch,
        }),
        weight: 3,
      },
      {
        arbitrary: fc.record({
          method: fc.constant('DELETE'),
          path,
          query: fc.constant({}),
          body: fc.constant(''),
          contentType: fc.constant(''),
          ifMatch,
        }),
        weight: 1,
      },
      {
        arbitrary: fc.record({
          method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
          path,
          query,
          body,
          contentType: anyType,
          ifMatch,
        }),
        weight: 2,
      },
    );

    let runs = 0;
    let known: Awaited<ReturnType<typeof snapshot>> | undefined;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        runs++;
        const params = new URLSearchParams(r.query as Record<string, string>).toString();
        const url = `${SCIM}${r.path}${params ? `?${params}` : ''}`;
        // A refusal leaves the tables as they were, so the last snapshot stays valid until something succeeds.
        const before = (known ??= await snapshot(s.dataSource));
        let req = (s.http() as unknown as Record<string, (u: string) => import('supertest').Test>)
          [r.method.toLowerCase()](url)
          .set('Authorization', `Bearer ${s.token}`);
        if (r.contentType) req = req.set('Content-Type', r.contentType);
        if (r.ifMatch) req = req.set('If-Match', r.ifMatch);
        if (!['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(r.method))
          req = req.send(r.body.split(MEMBER).join(memberId));
        const res = await req;
        // /Bulk answers 501 by design; anything else must stay below 500.
        const bulk = r.path === '/Bulk' && res.status === 501;
        expect({ status: res.status, acceptable: res.status < 500 || bulk }).toEqual({
          status: res.status,
          acceptable: true,
        });
        if (res.status >= 400) {
          if (r.method !== 'HEAD') expect(bulk ? res.body.status === '501' : isScimClientError(res)).toBe(true);
          known = await snapshot(s.dataSource);
          expect(known).toEqual(before);
        } else {
          known = undefined;
        }
      }),
      { numRuns: dialect === 'sqlite' ? 250 : 150 },
    );
    expect(runs).toBeGreaterThanOrEqual(150);
    // Still serving, and nothing leaked into Object.prototype.
    await s.get('/ServiceProviderConfig').expect(200);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});
