/**
 * Request bodies as Microsoft Entra ID sends them, in both PATCH dialects: the default one ("AzureAdScimPatch2017":
 * capitalised ops, `"False"` as a string, removals as a value list) and the `aadOptscim062020` one (lower-case ops, booleans, pathless replace with dotted
 * keys, removals by filter path).
 */
export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  msGroup: 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
} as const;

export interface UserState {
  userName: string;
  externalId: string;
  displayName: string;
  givenName: string;
  familyName: string;
  email: string;
  employeeNumber: string;
  department: string;
  active: boolean;
}

/** One user as Entra would send it, for the probes that time or count a single request of each kind. */
export const SAMPLE_USER: UserState = {
  userName: 'Adele.Vance@contoso.example',
  externalId: 'adele',
  displayName: 'Adele Vance',
  givenName: 'Adele',
  familyName: 'Vance',
  email: 'adele@contoso.example',
  employeeNumber: '1',
  department: 'Sales',
  active: true,
};

export function createUserBody(u: UserState): Record<string, unknown> {
  return {
    schemas: [URN.user, URN.enterprise],
    externalId: u.externalId,
    userName: u.userName,
    active: u.active,
    displayName: u.displayName,
    emails: [{ primary: true, type: 'work', value: u.email }],
    meta: { resourceType: 'User' },
    name: { formatted: `${u.givenName} ${u.familyName}`, familyName: u.familyName, givenName: u.givenName },
    roles: [],
    [URN.enterprise]: { employeeNumber: u.employeeNumber, department: u.department },
  };
}

export function createGroupBody(displayName: string, externalId: string): Record<string, unknown> {
  return {
    schemas: [URN.group, URN.msGroup],
    externalId,
    displayName,
    meta: { resourceType: 'Group' },
  };
}

export type Operation = { op: string; path?: string; value?: unknown };

export function patchBody(operations: Operation[]): Record<string, unknown> {
  return { schemas: [URN.patchOp], Operations: operations };
}

export const userNameQuery = (userName: string) => `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;

export const groupNameQuery = (displayName: string) =>
  `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${displayName}"`)}`;

export const addMembers = (ids: readonly string[]): Operation[] => [
  { op: 'Add', path: 'members', value: ids.map((value) => ({ $ref: null, value })) },
];

/** Default dialect: one Remove on `members` with the members to remove as its value. */
export const removeMembersByValue = (ids: readonly string[]): Operation[] => [
  { op: 'Remove', path: 'members', value: ids.map((value) => ({ $ref: null, value })) },
];

/** aadOptscim062020 dialect: one remove per member, by filter path. */
export const removeMembersByFilter = (ids: readonly string[]): Operation[] =>
  ids.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` }));

export const renameUser = (userName: string): Operation[] => [{ op: 'Replace', path: 'userName', value: userName }];

export const renameGroup = (displayName: string): Operation[] => [
  { op: 'Replace', path: 'displayName', value: displayName },
];

/** Default dialect: one Replace per attribute. */
export function replaceAttributesDefault(u: UserState): Operation[] {
  return [
    { op: 'Replace', path: 'displayName', value: u.displayName },
    { op: 'Replace', path: 'emails[type eq "work"].value', value: u.email },
    { op: 'Replace', path: 'name.givenName', value: u.givenName },
    { op: 'Replace', path: 'name.familyName', value: u.familyName },
    { op: 'Replace', path: 'externalId', value: u.externalId },
    { op: 'Replace', path: `${URN.enterprise}:employeeNumber`, value: u.employeeNumber },
  ];
}

/** aadOptscim062020 dialect: a filtered path, then one pathless replace with dotted keys. */
export function replaceAttributesFlag(u: UserState): Operation[] {
  return [
    { op: 'replace', path: 'emails[type eq "work"].value', value: u.email },
    {
      op: 'replace',
      value: {
        displayName: u.displayName,
        'name.givenName': u.givenName,
        'name.familyName': u.familyName,
        [`${URN.enterprise}:employeeNumber`]: u.employeeNumber,
      },
    },
  ];
}

/** Default dialect sends the boolean as the string "False"; the flag dialect sends `false`. */
export const deactivate = (dialect: 'default' | 'flag'): Operation[] =>
  dialect === 'default'
    ? [{ op: 'Replace', path: 'active', value: 'False' }]
    : [{ op: 'replace', path: 'active', value: false }];
