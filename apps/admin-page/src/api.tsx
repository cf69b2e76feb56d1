/**
 * The admin Web API as the page uses it: one function per endpoint, errors turned into ApiError with the messages
 * exactly as the server words them, so the page can show them as they are.
 */

// Types only, erased from the bundle: the switch counts as the server declares them.
import type { SwitchCounts } from '../../server/src/web-api/scim-management/scim-switch.consequences';

export interface ApiMessage {
  msg: string;
  /** The setting or parameter the message is about, when the server names one. */
  field?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly messages: ApiMessage[],
  ) {
    super(messages.map((m) => m.msg).join('\n'));
  }
}

type Params = Record<string, string | number | boolean | null | undefined>;

let signedOutHandler: () => void = () => undefined;

/** Called whenever the server answers 401: the session is gone and the page goes back to sign-in. */
export function onSignedOut(handler: () => void): void {
  signedOutHandler = handler;
}

function encode(params: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) search.append(key, String(value));
  }
  return search.toString();
}

async function call<T>(method: 'GET' | 'POST', path: string, params: Params = {}): Promise<T> {
  const query = encode(params);
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, credentials: 'same-origin', headers };
  let url = path;
  if (method === 'GET') {
    if (query) url += `?${query}`;
  } else {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    init.body = query;
  }
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiError(0, [{ msg: 'The server could not be reached. Check your connection and try again.' }]);
  }
  const text = await response.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && path !== LOGIN_PATH) signedOutHandler();
    throw new ApiError(response.status, messagesOf(body, response.status));
  }
  return body as T;
}

function messagesOf(body: unknown, status: number): ApiMessage[] {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(errors)) {
    const messages = errors
      .filter((e): e is { msg: string; field?: unknown } => typeof (e as { msg?: unknown })?.msg === 'string')
      .map((e) => (typeof e.field === 'string' ? { msg: e.msg, field: e.field } : { msg: e.msg }));
    if (messages.length) return messages;
  }
  if (status === 401) return [{ msg: 'Your session has ended. Sign in again.' }];
  if (status === 403) return [{ msg: 'You need administrator permission for this.' }];
  return [{ msg: `The server could not do this (HTTP ${status}).` }];
}

const LOGIN_PATH = '/api/authentication/login';

// --- sign-in

export function signIn(login: string, password: string): Promise<unknown> {
  return call('POST', LOGIN_PATH, { login, password });
}

export function signOut(): Promise<unknown> {
  return call('POST', '/api/authentication/logout');
}

// --- SAML settings

export interface SettingValue {
  key: string;
  value?: string;
  hasValue?: boolean;
  inherited?: boolean;
  secured?: boolean;
}

export async function settingValues(keys: readonly string[]): Promise<SettingValue[]> {
  const body = await call<{ settings?: SettingValue[] }>('GET', '/api/settings/values', { keys: keys.join(',') });
  return body?.settings ?? [];
}

export function setSetting(key: string, value: string): Promise<unknown> {
  return call('POST', '/api/settings/set', { key, value });
}

export function resetSettings(keys: readonly string[]): Promise<unknown> {
  return call('POST', '/api/settings/reset', { keys: keys.join(',') });
}

// --- provisioning mode

export interface ScimStatus {
  enabled: boolean;
  /** Where Entra ID reaches the SCIM endpoint, when the server knows its public address. */
  tenantUrl?: string;
}

export function scimStatus(): Promise<ScimStatus> {
  return call<ScimStatus>('GET', '/api/scim_management/status');
}

export function enableScim(): Promise<unknown> {
  return call('POST', '/api/scim_management/enable', { confirm: true });
}

export function disableScim(): Promise<unknown> {
  return call('POST', '/api/scim_management/disable');
}

// --- license

export interface LicenseInfo {
  status: 'none' | 'valid' | 'expired' | 'invalid';
  edition: string;
  licensee: string | null;
  features: string[];
  issuedAt: string | null;
  expiresAt: string | null;
  expiringSoon: boolean;
  /** The server's sentence about an upcoming expiry. */
  warning?: string | null;
  installedAt: string | null;
  message: string | null;
}

export function currentLicense(): Promise<LicenseInfo> {
  return call<LicenseInfo>('GET', '/api/editions/license');
}

export function installLicense(license: string): Promise<unknown> {
  return call('POST', '/api/editions/set_license', { license });
}

// --- user tokens

export interface GeneratedToken {
  login?: string;
  name: string;
  token: string;
  createdAt?: string;
  expirationDate?: string | null;
}

export interface UserToken {
  name: string;
  createdAt: string;
  lastConnectionDate?: string | null;
  expirationDate?: string | null;
  isExpired?: boolean;
}

export function generateToken(name: string): Promise<GeneratedToken> {
  return call<GeneratedToken>('POST', '/api/user_tokens/generate', { name });
}

export async function searchTokens(): Promise<UserToken[]> {
  const body = await call<{ userTokens?: UserToken[] }>('GET', '/api/user_tokens/search');
  return body?.userTokens ?? [];
}

/** The signed-in admin's login: the token search names the caller when no login is given. */
export async function currentLogin(): Promise<string | null> {
  const body = await call<{ login?: string }>('GET', '/api/user_tokens/search');
  return body?.login ?? null;
}

export function revokeToken(name: string): Promise<unknown> {
  return call('POST', '/api/user_tokens/revoke', { name });
}

// --- users and groups

export interface Paging {
  pageIndex: number;
  pageSize: number;
  total: number;
}

export interface User {
  login: string;
  name: string;
  email?: string | null;
  active: boolean;
  local?: boolean;
  managed: boolean;
}

export interface Group {
  id?: string;
  name: string;
  description?: string | null;
  membersCount?: number;
  default?: boolean;
  builtIn?: string | null;
  managed: boolean;
}

export interface SearchQuery {
  q?: string;
  managed?: boolean;
  p?: number;
  ps?: number;
}

export async function searchUsers(query: SearchQuery): Promise<{ users: User[]; paging: Paging }> {
  const body = await call<{ users?: User[]; paging?: Paging }>('GET', '/api/users/search', { ...query });
  return { users: body?.users ?? [], paging: body?.paging ?? { pageIndex: 1, pageSize: 0, total: 0 } };
}

export function deactivateUser(login: string): Promise<unknown> {
  return call('POST', '/api/users/deactivate', { login });
}

export async function searchGroups(query: SearchQuery): Promise<{ groups: Group[]; paging: Paging }> {
  const body = await call<{ groups?: Group[]; paging?: Paging }>('GET', '/api/user_groups/search', { ...query });
  return { groups: body?.groups ?? [], paging: body?.paging ?? { pageIndex: 1, pageSize: 0, total: 0 } };
}

export function deleteGroup(name: string): Promise<unknown> {
  return call('POST', '/api/user_groups/delete', { name });
}

// --- session check, switch checks

/** Whether the browser holds a live session: always answered with 200, so loading the page logs no error. */
export async function validateSession(): Promise<boolean> {
  const body = await call<{ valid?: boolean }>('GET', '/api/authentication/validate');
  return body?.valid === true;
}

export interface ScimChecks {
  enabled: boolean;
  problems: { prerequisite: 'license' | 'saml'; msg: string }[];
  counts: SwitchCounts;
  /** What each direction of the switch does, one sentence each: the confirmations show them as they are. */
  consequences: { enable: string[]; disable: string[] };
}

export function scimChecks(): Promise<ScimChecks> {
  return call<ScimChecks>('GET', '/api/scim_management/checks');
}

// --- tokens with an expiry

export function generateTokenExpiring(name: string, expirationDate: string | null): Promise<GeneratedToken> {
  return call<GeneratedToken>('POST', '/api/user_tokens/generate', { name, expirationDate });
}

// --- editing users

export interface UserDetails extends User {
  groups?: string[];
  tokensCount?: number;
  lastConnectionDate?: string | null;
  externalIdentity?: string | null;
}

export async function searchUserDetails(
  query: SearchQuery & { deactivated?: boolean },
): Promise<{ users: UserDetails[]; paging: Paging }> {
  const body = await call<{ users?: UserDetails[]; paging?: Paging }>('GET', '/api/users/search', { ...query });
  return { users: body?.users ?? [], paging: body?.paging ?? { pageIndex: 1, pageSize: 0, total: 0 } };
}

/** Creates a local account; for the login of a deactivated user, reactivates it (as the product does). */
export function createUser(user: { login: string; name: string; email?: string; password: string }): Promise<unknown> {
  return call('POST', '/api/users/create', { ...user, email: user.email || undefined, local: true });
}

export function updateUser(login: string, changes: { name: string; email: string }): Promise<unknown> {
  return call('POST', '/api/users/update', { login, ...changes });
}

export function changePassword(login: string, password: string, previousPassword?: string): Promise<unknown> {
  return call('POST', '/api/users/change_password', { login, password, previousPassword });
}

// --- editing groups

export interface GroupMember {
  login: string;
  name: string;
  selected: boolean;
  managed: boolean;
  active?: boolean;
}

export async function groupMembers(
  name: string,
  query: { q?: string; selected?: 'selected' | 'deselected' | 'all'; ps?: number } = {},
): Promise<{ users: GroupMember[]; paging: Paging }> {
  const body = await call<{ users?: GroupMember[]; paging?: Paging }>('GET', '/api/user_groups/users', {
    name,
    ...query,
  });
  return { users: body?.users ?? [], paging: body?.paging ?? { pageIndex: 1, pageSize: 0, total: 0 } };
}

export function createGroup(name: string, description: string): Promise<unknown> {
  return call('POST', '/api/user_groups/create', { name, description: description || undefined });
}

export function updateGroup(currentName: string, name: string, description: string): Promise<unknown> {
  return call('POST', '/api/user_groups/update', {
    currentName,
    name: name === currentName ? undefined : name,
    description,
  });
}

export function addGroupMember(name: string, login: string): Promise<unknown> {
  return call('POST', '/api/user_groups/add_user', { name, login });
}

export function removeGroupMember(name: string, login: string): Promise<unknown> {
  return call('POST', '/api/user_groups/remove_user', { name, login });
}

// --- global permissions

export const ADMIN_PERMISSION = 'admin';

/** Logins (users) or names (groups) holding `admin` directly. */
export async function administrators(kind: 'users' | 'groups'): Promise<Set<string>> {
  const body = await call<{ users?: { login: string }[]; groups?: { name: string }[] }>(
    'GET',
    `/api/permissions/${kind}`,
    { permission: ADMIN_PERMISSION, ps: 100 },
  );
  return new Set(kind === 'users' ? (body?.users ?? []).map((u) => u.login) : (body?.groups ?? []).map((g) => g.name));
}

export function setUserAdmin(login: string, grant: boolean): Promise<unknown> {
  return call('POST', `/api/permissions/${grant ? 'add_user' : 'remove_user'}`, {
    login,
    permission: ADMIN_PERMISSION,
  });
}

export function setGroupAdmin(groupName: string, grant: boolean): Promise<unknown> {
  return call('POST', `/api/permissions/${grant ? 'add_group' : 'remove_group'}`, {
    groupName,
    permission: ADMIN_PERMISSION,
  });
}

// --- provisioning activity (cycles, failures, connection health)

export interface ScimCycle {
  start: string;
  end: string;
  inProgress: boolean;
  requests: number;
  failures: number;
  users: { created: number; updated: number; deactivated: number; reactivated: number; deleted: number };
  groups: { created: number; updated: number; deleted: number };
  membershipChanges: number;
  failuresByCause: Record<string, number>;
  slowest: {
    occurredAt: string;
    method: string;
    route: string;
    subject: string | null;
    status: number;
    durationMs: number;
  }[];
}

export interface ScimCyclePage {
  recording: boolean;
  total: number;
  page: number;
  pageSize: number;
  cycleGapSeconds: number;
  cycles: ScimCycle[];
  truncated: boolean;
}

export interface ScimFailureTarget {
  resourceType: 'User' | 'Group' | null;
  resourceId: string | null;
  subject: string | null;
  count: number;
  lastAt: string;
  status: number;
  detail: string | null;
  requestId: string | null;
  exists: boolean;
}

export interface ScimFailureGroup {
  cause: string;
  explanation: string;
  count: number;
  firstAt: string;
  lastAt: string;
  targets: ScimFailureTarget[];
}

export interface ScimFailurePage {
  recording: boolean;
  total: number;
  page: number;
  pageSize: number;
  groups: ScimFailureGroup[];
  truncated: boolean;
}

export interface ScimConnection {
  scimEnabled: boolean;
  recording: boolean;
  state: 'off' | 'waiting' | 'active' | 'silent' | 'unrecorded';
  lastContactAt: string | null;
  silentAfterSeconds: number;
  quarantineRisk: boolean;
  quarantineReasons: { kind: string; message: string }[];
  latestCycle: ScimCycle | null;
}

export interface ActivityWindow {
  from?: string;
  to?: string;
  p?: number;
  ps?: number;
}

export function scimCycles(window: ActivityWindow = {}): Promise<ScimCyclePage> {
  return call<ScimCyclePage>('GET', '/api/scim_management/activity', { ...window });
}

export function scimFailures(window: ActivityWindow = {}): Promise<ScimFailurePage> {
  return call<ScimFailurePage>('GET', '/api/scim_management/failures', { ...window });
}

export function scimConnection(): Promise<ScimConnection> {
  return call<ScimConnection>('GET', '/api/scim_management/connection');
}
