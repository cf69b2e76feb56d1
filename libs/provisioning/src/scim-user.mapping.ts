import { foldCase } from '@app/identity';
import { PatchOperation, SCIM_URN, ScimObject, ScimResourceData, ScimValue } from '@app/scim';

function text(value: ScimValue | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function object(value: ScimValue | undefined): ScimObject | undefined {
  return value !== undefined && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function list(value: ScimValue | undefined): ScimObject[] {
  return Array.isArray(value) ? value.filter((v): v is ScimObject => typeof v === 'object' && !Array.isArray(v)) : [];
}

/** The product's view of a SCIM user: the login, the display name, the main email, whether it may sign in. */
export interface ProductUserFields {
  login: string;
  name: string;
  email: string | null;
  active: boolean;
}

/**
 * userName is the product login and the SAML login value (product-behaviour item 8); the product shows displayName,
 * else the formatted or composed name; its email is the primary one, else the work one, else the first.
 */
export function productUserFields(data: ScimResourceData): ProductUserFields {
  const core = data.core;
  const name = object(core.name);
  const composed = [text(name?.givenName), text(name?.familyName)].filter(Boolean).join(' ');
  const emails = list(core.emails);
  const email =
    emails.find((e) => e.primary === true) ?? emails.find((e) => String(e.type).toLowerCase() === 'work') ?? emails[0];
  const login = core.userName as string;
  return {
    login,
    name: (text(core.displayName) ?? text(name?.formatted) ?? (composed || null) ?? login).trim() || login,
    email: text(email?.value),
    active: core.active !== false,
  };
}

/** The filterable copies kept in `scim_user_profiles`. */
export interface UserProfileColumns {
  externalId: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  employeeNumber: string | null;
  managerId: string | null;
}

export function userProfileColumns(data: ScimResourceData): UserProfileColumns {
  const name = object(data.core.name);
  const enterprise = data.extensions[SCIM_URN.ENTERPRISE_USER] ?? {};
  const manager = object(enterprise.manager);
  const clip = (v: string | null) => (v === null ? null : v.slice(0, 255));
  return {
    externalId: clip(text(data.core.externalId)),
    displayName: clip(text(data.core.displayName)),
    givenName: clip(text(name?.givenName)),
    familyName: clip(text(name?.familyName)),
    employeeNumber: clip(text(enterprise.employeeNumber)),
    managerId: clip(text(manager?.value)),
  };
}

export interface EmailRow {
  position: number;
  value: string;
  valueNormalized: string;
  type: string | null;
  primary: boolean;
}

export function emailRows(data: ScimResourceData): EmailRow[] {
  return list(data.core.emails)
    .filter((e) => typeof e.value === 'string')
    .map((e, position) => ({
      position,
      value: (e.value as string).slice(0, 320),
      valueNormalized: foldCase(e.value as string).slice(0, 320),
      type: text(e.type)?.slice(0, 64) ?? null,
      primary: e.primary === true,
    }));
}

/**
 * What is kept of a SCIM user: everything sent except `password`. Accounts sign in through SAML, changePassword is
 * not supported, and a password must never sit in the database in clear; it is accepted and dropped, like an unknown
 * attribute, so an Entra mapping that sends one does not fail every user.
 */
export function storableUser(data: ScimResourceData): ScimResourceData {
  const core: ScimObject = { ...data.core };
  delete core.password;
  return { core, extensions: data.extensions };
}

/** PATCH operations minus those on `password` (see storableUser). */
export function storableOperations(operations: readonly PatchOperation[]): PatchOperation[] {
  return operations.filter(
    (operation) => !(operation.path.schema === SCIM_URN.USER && operation.path.attribute.toLowerCase() === 'password'),
  );
}
