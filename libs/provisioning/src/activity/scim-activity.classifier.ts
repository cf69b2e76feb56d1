/**
 * What one SCIM request was, read from its method, path and body once it has been answered: the route template, the
 * resource it concerned, what it did, and — for a failure — its cause. Pure functions, no I/O: they run after the
 * answer is sent, off the request's path.
 */

export type ScimActivityOperation =
  | 'lookup'
  | 'list'
  | 'read'
  | 'search'
  | 'create'
  | 'replace'
  | 'update'
  | 'deactivate'
  | 'reactivate'
  | 'members'
  | 'delete'
  | 'discovery'
  | 'other';

/** Why a request failed, in words an admin can act on; one key per cause so the same cause shows once. */
export type ScimFailureCause =
  | 'credentials'
  | 'permission'
  | 'license'
  | 'mode'
  | 'throttled'
  | 'local-account'
  | 'user-exists'
  | 'group-name-taken'
  | 'product-refused'
  | 'filter'
  | 'invalid-request'
  | 'unknown-id'
  | 'unknown-route'
  | 'version-mismatch'
  | 'too-large'
  | 'not-supported'
  | 'unavailable'
  | 'server-error'
  | 'other';

export interface ClassifiedScimRequest {
  route: string;
  resourceType: 'User' | 'Group' | null;
  resourceId: string | null;
  subject: string | null;
  operation: ScimActivityOperation;
  memberChanges: number;
}

/** This server's SCIM ids are random UUIDs; anything else in the path is no id of ours and is not kept. */
const SCIM_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The id if it has the shape of this server's SCIM ids, else null. */
export function scimIdOf(segment: string): string | null {
  return SCIM_ID.test(segment) ? segment : null;
}
const RESOURCES: Record<string, 'User' | 'Group'> = { users: 'User', groups: 'Group' };
const DISCOVERY: Record<string, string> = {
  serviceproviderconfig: '/ServiceProviderConfig',
  schemas: '/Schemas',
  resourcetypes: '/ResourceTypes',
};
const SUBJECT_MAX = 255;

/** The part of a request path after the SCIM base path (a global prefix may stand in front), or undefined. */
export function pathUnderBase(basePath: string, path: string): string | undefined {
  const base = basePath.toLowerCase().replace(/\/+$/, '');
  const lower = path.toLowerCase();
  if (lower.endsWith(base)) return '';
  const at = lower.indexOf(`${base}/`);
  return at < 0 ? undefined : path.slice(at + base.length);
}

function plainObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.slice(0, SUBJECT_MAX) : null;
}

/** Entra sends `active` as a boolean or as the text "False"/"True". */
function activeValue(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}

interface PatchReading {
  subject: string | null;
  active?: boolean;
  memberChanges: number;
  onlyMembers: boolean;
}

function readPatch(body: Record<string, unknown> | undefined, nameKey: string): PatchReading {
  const reading: PatchReading = { subject: null, memberChanges: 0, onlyMembers: true };
  const operations = Array.isArray(body?.Operations) ? (body.Operations as unknown[]) : [];
  if (operations.length === 0) reading.onlyMembers = false;
  for (const raw of operations) {
    const op = plainObject(raw);
    if (!op) continue;
    const path = typeof op.path === 'string' ? op.path.trim() : '';
    const value = op.value;
    if (/^members\b/i.test(path)) {
      // `members[value eq "…"]` names one member; a list names as many as it holds.
      reading.memberChanges += Array.isArray(value) ? value.length : path.includes('[') ? 1 : value ? 1 : 0;
      continue;
    }
    reading.onlyMembers = false;
    if (path.toLowerCase() === nameKey.toLowerCase()) reading.subject ??= text(value);
    if (path.toLowerCase() === 'active') reading.active = activeValue(value) ?? reading.active;
    const object = path === '' ? plainObject(value) : undefined;
    if (object) {
      for (const [key, v] of Object.entries(object)) {
        if (key.toLowerCase() === nameKey.toLowerCase()) reading.subject ??= text(v);
        if (key.toLowerCase() === 'active') reading.active = activeValue(v) ?? reading.active;
        if (key.toLowerCase() === 'members' && Array.isArray(v)) reading.memberChanges += v.length;
      }
    }
  }
  return reading;
}

/**
 * Reads a request's route and what it did. `relativePath` is the path after the SCIM base path (no query string);
 * `body` the parsed body, if any. Only a userName or a group's displayName is taken from the body — never an email,
 * a password or a filter value.
 */
export function classifyScimRequest(
  method: string,
  relativePath: string,
  body: unknown,
  hasFilter: boolean,
): ClassifiedScimRequest {
  const segments = relativePath.split('/').filter((s) => s !== '');
  const [first = '', second, third] = segments.map((s) => s.toLowerCase());
  const verb = method.toUpperCase();
  const result: ClassifiedScimRequest = {
    route: '(other)',
    resourceType: null,
    resourceId: null,
    subject: null,
    operation: 'other',
    memberChanges: 0,
  };
  if (segments.length === 0) return result;
  if (first === '.search' && segments.length === 1) return { ...result, route: '/.search', operation: 'search' };
  if (first === 'bulk' && segments.length === 1) return { ...result, route: '/Bulk' };
  const discovery = DISCOVERY[first];
  if (discovery && segments.length <= 2) {
    return { ...result, route: second === undefined ? discovery : `${discovery}/{id}`, operation: 'discovery' };
  }
  const resourceType = RESOURCES[first];
  if (!resourceType || third !== undefined) return result;
  const collection = resourceType === 'User' ? '/Users' : '/Groups';
  const nameKey = resourceType === 'User' ? 'userName' : 'displayName';
  const object = plainObject(body);
  if (second === undefined) {
    const operation = verb === 'POST' ? 'create' : verb === 'GET' ? (hasFilter ? 'lookup' : 'list') : 'other';
    return {
      ...result,
      route: collection,
      resourceType,
      operation,
      subject: verb === 'POST' ? text(object?.[nameKey]) : null,
      memberChanges: verb === 'POST' && Array.isArray(object?.members) ? object.members.length : 0,
    };
  }
  if (second === '.search') return { ...result, route: `${collection}/.search`, resourceType, operation: 'search' };
  const id = segments[1];
  const base = { ...result, route: `${collection}/{id}`, resourceType, resourceId: scimIdOf(id) };
  switch (verb) {
    case 'GET':
      return { ...base, operation: 'read' };
    case 'DELETE':
      return { ...base, operation: 'delete' };
    case 'PUT': {
      const active = activeValue(object?.active);
      return {
        ...base,
        operation: active === false ? 'deactivate' : 'replace',
        subject: text(object?.[nameKey]),
        memberChanges: Array.isArray(object?.members) ? object.members.length : 0,
      };
    }
    case 'PATCH': {
      const patch = readPatch(object, nameKey);
      const operation =
        patch.active === false
          ? 'deactivate'
          : patch.active === true
            ? 'reactivate'
            : patch.onlyMembers && patch.memberChanges > 0
              ? 'members'
              : 'update';
      return { ...base, operation, subject: patch.subject, memberChanges: patch.memberChanges };
    }
    default:
      return base;
  }
}

/** The cause of a failed request, from what was answered (status, scimType, detail) and the route. */
export function failureCause(
  status: number,
  scimType: string | null,
  detail: string | null,
  route: string,
): ScimFailureCause | null {
  if (status < 400) return null;
  const said = detail ?? '';
  switch (status) {
    case 401:
      return 'credentials';
    case 403:
      if (/licen[cs]e|requires .*feature|requires .*edition/i.test(said)) return 'license';
      if (/provisioning is not enabled/i.test(said)) return 'mode';
      return 'permission';
    case 404:
      return route.endsWith('{id}') ? 'unknown-id' : 'unknown-route';
    case 409:
      if (/local account/i.test(said)) return 'local-account';
      if (/userName already exists/i.test(said)) return 'user-exists';
      if (/displayName already exists/i.test(said)) return 'group-name-taken';
      return 'product-refused';
    case 400:
      return scimType === 'invalidFilter' ? 'filter' : 'invalid-request';
    case 412:
      return 'version-mismatch';
    case 413:
      return 'too-large';
    case 415:
      return 'invalid-request';
    case 429:
      return 'throttled';
    case 501:
      return 'not-supported';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'server-error' : 'other';
  }
}

/** The plain explanation of each cause, and what the admin can do about it. */
export const FAILURE_EXPLANATIONS: Record<ScimFailureCause, string> = {
  credentials:
    'Credentials refused: the secret token Entra ID sent is unknown, revoked or expired. Generate a new token and paste it into Entra ID (Provisioning › Admin Credentials).',
  permission:
    "The token's owner is not an administrator. Use a token of an account that holds the Administer permission.",
  license:
    'License missing: SCIM needs an Enterprise license with the scim feature. Install one under License manager.',
  mode: 'SCIM provisioning is off in the product, so Entra ID is refused. Turn it on under Provisioning, or stop provisioning in Entra ID.',
  throttled: 'Too many refused credentials from this address: requests are held back for a while.',
  'local-account':
    'userName belongs to a local account, which SCIM never takes over. Rename or remove the local account, or change the user in Entra ID.',
  'user-exists': 'Another user already has this userName.',
  'group-name-taken': 'The group name is taken by a built-in or local group, or by another group. Rename one of them.',
  'product-refused': 'The product refused the change (a rule of the product, such as the last administrator).',
  filter: 'Filter not supported: Entra ID asked with a filter this server does not accept.',
  'invalid-request': 'Entra ID sent a value or request shape this server refuses (see the detail).',
  'unknown-id':
    'The user or group is not (or no longer) known here; Entra ID will create it again, or it was deleted in the product.',
  'unknown-route': 'Entra ID called an address this SCIM endpoint does not serve. Check the Tenant URL.',
  'version-mismatch': 'The resource changed since Entra ID read it (If-Match did not match); Entra ID retries.',
  'too-large': 'The request was larger than this server accepts.',
  'not-supported': 'Entra ID asked for something this server does not support.',
  unavailable: 'The database was unavailable; Entra ID retries on its next cycle.',
  'server-error': 'An unexpected server error; the server log holds the request id.',
  other: 'The request failed (see the detail).',
};
