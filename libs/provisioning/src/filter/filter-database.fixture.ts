import { createFilterTargets, FilterTargets, ScalarTarget } from '@nest-scim/scim';

/**
 * A small users / emails / groups / members schema, its rows, and filters with the rows they must return, shared by
 * the SQLite and MySQL specs so both engines answer the same questions.
 */

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ACME = 'urn:example:params:scim:schemas:extension:acme:2.0:User';

export interface TableNames {
  users: string;
  emails: string;
  groups: string;
  members: string;
}

const text = (column: string, caseExact = false): ScalarTarget => ({
  kind: 'scalar',
  column,
  type: 'string',
  caseExact,
});

export function userTargets(tables: TableNames): FilterTargets {
  return createFilterTargets(CORE_USER, [ENTERPRISE, ACME], {
    id: text('u.id', true),
    userName: { ...text('u.user_name'), normalizedColumn: 'u.user_name_lower', normalize: (v) => v.toLowerCase() },
    externalId: text('u.external_id', true),
    displayName: text('u.display_name'),
    'name.givenName': text('u.given_name'),
    'name.familyName': text('u.family_name'),
    title: text('u.title'),
    active: { kind: 'scalar', column: 'u.active', type: 'boolean', caseExact: false },
    'meta.created': { kind: 'scalar', column: 'u.created', type: 'dateTime', caseExact: false },
    password: { ...text('u.password_hash', true), sensitive: true },
    emails: {
      kind: 'multi',
      table: tables.emails,
      correlate: (alias) => `${alias}.user_id = u.id`,
      subAttributes: {
        value: text('$.value'),
        type: text('$.type'),
        primary: { kind: 'scalar', column: '$.is_primary', type: 'boolean', caseExact: false },
      },
      defaultSubAttribute: 'value',
    },
    [`${ENTERPRISE}:employeeNumber`]: text('u.employee_number', true),
    [`${ENTERPRISE}:manager`]: { kind: 'scalar', column: 'u.manager_id', type: 'reference', caseExact: true },
    [`${ACME}:level`]: { kind: 'scalar', column: 'u.level', type: 'integer', caseExact: false },
    [`${ACME}:score`]: { kind: 'scalar', column: 'u.score', type: 'decimal', caseExact: false },
  });
}

export function groupTargets(tables: TableNames): FilterTargets {
  return createFilterTargets(CORE_GROUP, [], {
    id: text('g.id', true),
    displayName: text('g.display_name'),
    members: {
      kind: 'multi',
      table: tables.members,
      correlate: (alias) => `${alias}.group_id = g.id`,
      subAttributes: { value: { kind: 'scalar', column: '$.user_id', type: 'reference', caseExact: true } },
      defaultSubAttribute: 'value',
    },
  });
}

export interface UserRow {
  id: string;
  userName: string;
  externalId: string;
  displayName: string;
  givenName: string | null;
  title: string | null;
  active: boolean;
  created: string;
  employeeNumber: string | null;
  managerId: string | null;
  level: number | null;
  score: number | null;
  emails: { type: string; value: string; primary: boolean }[];
}

const user = (row: Partial<UserRow> & Pick<UserRow, 'id' | 'userName' | 'externalId' | 'displayName'>): UserRow => ({
  givenName: null,
  title: null,
  active: true,
  created: '2024-03-01T00:00:00.000Z',
  employeeNumber: null,
  managerId: null,
  level: null,
  score: null,
  emails: [],
  ...row,
});

export const USERS: readonly UserRow[] = [
  user({
    id: 'u1',
    userName: 'Alice@Contoso.com',
    externalId: 'alice-ext',
    displayName: 'Alice Liddell',
    givenName: 'Alice',
    title: 'Engineer',
    created: '2024-01-10T09:00:00.000Z',
    employeeNumber: '1001',
    level: 3,
    score: 4.5,
    emails: [
      { type: 'work', value: 'alice@contoso.com', primary: true },
      { type: 'home', value: 'alice@home.example', primary: false },
    ],
  }),
  user({
    id: 'u2',
    userName: 'bob@contoso.com',
    externalId: 'Bob-Ext',
    displayName: 'Bob Builder',
    givenName: 'Bob',
    active: false,
    created: '2024-06-01T12:30:00.000Z',
    employeeNumber: '1002',
    managerId: 'u1',
    level: 1,
    score: 2.25,
    emails: [{ type: 'work', value: 'bob@contoso.com', primary: true }],
  }),
  user({
    id: 'u3',
    userName: 'jyoung@testuser.com',
    externalId: 'jyoung',
    displayName: 'Joy Young',
    givenName: 'Joy',
    title: '',
    created: '2025-02-01T00:00:00.000Z',
    managerId: 'u1',
  }),
  user({
    id: 'u4',
    userName: '%admin@contoso.com',
    externalId: 'pct',
    displayName: 'Percent',
    title: 'Sales',
    created: '2023-12-31T23:59:59.999Z',
    emails: [{ type: 'work', value: '100%off@contoso.com', primary: false }],
  }),
  user({
    id: 'u5',
    userName: 'under_score@contoso.com',
    externalId: 'p_1',
    displayName: 'Under_Score',
    title: 'Sales',
    emails: [{ type: 'other', value: 'x_y@contoso.com', primary: false }],
  }),
  user({ id: 'u6', userName: 'backslash\\', externalId: 'bs', displayName: 'Back\\Slash' }),
  user({ id: 'u7', userName: 'bang!@contoso.com', externalId: 'bang', displayName: 'Bang!' }),
  user({ id: 'u8', userName: "o'brien@contoso.com", externalId: 'ob', displayName: "Conan O'Brien" }),
];

export const GROUPS: readonly { id: string; displayName: string; members: string[] }[] = [
  { id: 'g1', displayName: 'Admins', members: ['u1', 'u2'] },
  { id: 'g2', displayName: 'Everyone', members: ['u3'] },
];

const ALL = USERS.map((u) => u.id);
const except = (...ids: string[]) => ALL.filter((id) => !ids.includes(id));

/** Filters on users and the ids they must return, in id order. */
export const USER_CASES: readonly [filter: string, ids: string[]][] = [
  // the lookups Entra ID sends
  ['userName eq "0f1c4a4e-1b2c-4d5e-8f90-123456789abc"', []],
  ['userName eq "bob@contoso.com"', ['u2']],
  ['userName eq "ALICE@CONTOSO.COM"', ['u1']],
  ['UserName EQ "bob@contoso.com"', ['u2']],
  ['externalId eq jyoung', ['u3']],
  ['externalId eq "jyoung"', ['u3']],
  ['emails[type eq "work"].value eq "bob@contoso.com"', ['u2']],
  ['emails[Type eq "WORK"].Value eq "ALICE@contoso.com"', ['u1']],
  // the home address of alice is not a work address: both conditions hold on the same email
  ['emails[type eq "work"].value eq "alice@home.example"', []],
  ['emails[type eq "home"].value eq "bob@contoso.com"', []],
  ['id eq "u2" and manager eq "u1"', ['u2']],
  ['manager eq "u1" and id eq "u3"', ['u3']],
  ['id eq "u1" and manager eq "u1"', []],
  ['displayName eq "joy young"', ['u3']],
  // case-exact attributes
  ['externalId eq "bob-ext"', []],
  ['externalId eq "Bob-Ext"', ['u2']],
  ['externalId sw "Bob"', ['u2']],
  ['externalId sw "bob"', []],
  ['externalId co "ob-E"', ['u2']],
  ['externalId co "OB-E"', []],
  ['externalId ew "-Ext"', ['u2']],
  ['externalId ew "-ext"', ['u1']],
  ['externalId ew "a-very-long-suffix-alice-ext"', []],
  ['externalId ew ""', ALL],
  // case-insensitive substring matches
  ['userName sw "ALICE"', ['u1']],
  ['userName ew "@CONTOSO.COM"', ['u1', 'u2', 'u4', 'u5', 'u7', 'u8']],
  ['displayName co "o\'b"', ['u8']],
  ['userName gt "n"', ['u5', 'u8']],
  ['userName le "bob@contoso.com"', ['u1', 'u2', 'u4', 'u6', 'u7']],
  // LIKE metacharacters match only themselves
  ['userName sw "%"', ['u4']],
  ['userName co "%"', ['u4']],
  ['userName co "_"', ['u5']],
  ['displayName co "_"', ['u5']],
  [String.raw`userName ew "\\"`, ['u6']],
  [String.raw`displayName co "\\"`, ['u6']],
  ['userName co "!"', ['u7']],
  ['userName co "!%"', []],
  ['userName co "!_"', []],
  ['userName sw "_"', []],
  ['emails co "%off"', ['u4']],
  ['emails co "_"', ['u5']],
  // injection attempts are values like any other
  [String.raw`userName eq "x\" or 1 eq 1"`, []],
  [`userName eq "a' OR '1'='1"`, []],
  [String.raw`userName eq "\u0001"`, []],
  [String.raw`displayName eq "x\"); DROP TABLE users;--"`, []],
  [`displayName co "'); DROP TABLE users;--"`, []],
  ["userName eq a'OR'1'='1", []],
  [`userName eq "o'brien@contoso.com"`, ['u8']],
  // booleans, numbers, dates, presence, null
  ['active eq false', ['u2']],
  ['active eq "False"', ['u2']],
  ['active ne true', ['u2']],
  ['active eq true', except('u2')],
  [`${ACME}:level ge 3`, ['u1']],
  ['level lt 3', ['u2']],
  ['level eq 1', ['u2']],
  ['score gt 2.5', ['u1']],
  ['score le 2.25', ['u2']],
  ['meta.created gt "2024-06-01T12:30:00Z"', ['u3']],
  ['meta.created ge "2024-06-01T12:30:00Z"', ['u2', 'u3']],
  ['meta.created ge "2024-06-01T14:30:00+02:00"', ['u2', 'u3']],
  ['meta.created lt "2024-01-01T00:00:00Z"', ['u4']],
  ['meta.created eq "2023-12-31T23:59:59.999Z"', ['u4']],
  ['meta.created lt "2024-01-10T09:00:00Z" or meta.created gt "2024-12-31T00:00:00Z"', ['u4', 'u3'].sort()],
  // Seven fractional digits and an offset, as .NET writes times: 12:30:00.0000001Z lies just after u2's 12:30:00.000.
  ['meta.created gt "2024-06-01T05:30:00.0000001-07:00"', ['u3']],
  ['meta.created ge "2024-06-01T05:30:00.0000001-07:00"', ['u3']],
  ['meta.created lt "2024-06-01T05:30:00.0000001-07:00"', except('u3')],
  ['meta.created le "2024-06-01T05:30:00.0000001-07:00"', except('u3')],
  ['meta.created eq "2024-06-01T05:30:00.0000001-07:00"', []],
  ['meta.created ne "2024-06-01T05:30:00.0000001-07:00"', except()],
  ['meta.created eq "2024-06-01T05:30:00.0000000-07:00"', ['u2']],
  ['meta.created gt "2023-12-31T23:59:59.9989999Z"', except()],
  ['meta.created lt "2023-12-31T23:59:59.9990001Z"', ['u4']],
  // Unquoted, as Microsoft's reference client sends it.
  ['meta.created gt 2024-06-01T05:30:00.0000001-07:00', ['u3']],
  ['meta.created ge 2024-06-01T12:30:00Z', ['u2', 'u3']],
  ['title pr', ['u1', 'u4', 'u5']],
  ['not (title pr)', ['u2', 'u3', 'u6', 'u7', 'u8']],
  ['title eq null', ['u2', 'u6', 'u7', 'u8']],
  ['title ne null', ['u1', 'u3', 'u4', 'u5']],
  ['title ne "Sales"', except('u4', 'u5')],
  ['not (title eq "Sales")', except('u4', 'u5')],
  ['title eq "sales"', ['u4', 'u5']],
  // multi-valued attributes
  ['emails pr', ['u1', 'u2', 'u4', 'u5']],
  ['not (emails pr)', ['u3', 'u6', 'u7', 'u8']],
  ['emails co "contoso.com"', ['u1', 'u2', 'u4', 'u5']],
  ['emails.type eq "home"', ['u1']],
  ['emails[type eq "work" and value co "@contoso"]', ['u1', 'u2', 'u4']],
  ['emails[type eq "other" or (type eq "home" and value ew ".example")]', ['u1', 'u5']],
  ['emails[not (type eq "work")]', ['u1', 'u5']],
  ['emails[primary eq true]', ['u1', 'u2']],
  ['emails[type eq "work"] and emails[type eq "home"]', ['u1']],
  ['emails[type eq "work" and type eq "home"]', []],
  // paths, precedence, grouping
  [`${ENTERPRISE}:employeeNumber eq "1001"`, ['u1']],
  ['employeeNumber eq "1002"', ['u2']],
  [`${CORE_USER}:name.givenName eq "alice"`, ['u1']],
  ['name[givenName eq "Joy"]', ['u3']],
  ['name.givenName pr and not (name[givenName sw "a"])', ['u2', 'u3']],
  ['userName eq "bob@contoso.com" or userName eq "jyoung@testuser.com" and active eq false', ['u2']],
  ['(userName eq "bob@contoso.com" or userName eq "jyoung@testuser.com") and active eq true', ['u3']],
  ['not (userName eq "bob@contoso.com" or title pr)', ['u3', 'u6', 'u7', 'u8']],
];

export const GROUP_CASES: readonly [filter: string, ids: string[]][] = [
  ['displayName eq "admins"', ['g1']],
  ['displayName eq "0f1c4a4e-1b2c-4d5e-8f90-123456789abc"', []],
  ['id eq "g1" and members eq "u2"', ['g1']],
  ['id eq "g2" and members eq "u2"', []],
  ['members eq "U2"', []],
  ['members[value eq "u3"]', ['g2']],
  ['members pr', ['g1', 'g2']],
];
