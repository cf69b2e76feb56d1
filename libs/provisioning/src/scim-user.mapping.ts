import { foldCase, mailableEmail } from '@nest-scim/identity';
import {
  MAX_STRING_LENGTH,
  PatchOperation,
  SCIM_URN,
  ScimError,
  ScimObject,
  ScimResourceData,
  ScimValue,
} from '@nest-scim/scim';

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
 * userName is the product login and the SAML login value; the product shows displayName,
 * else the formatted or composed name. Its email is the primary one, else the work one, else the first, among the
 * values it can mail: SCIM keeps every email as sent, and one that is no address (`"emailName357"`) only means the
 * product has no address for that user, never that the user is refused.
 */
export function productUserFields(data: ScimResourceData): ProductUserFields {
  const core = data.core;
  const name = object(core.name);
  const composed = [text(name?.givenName), text(name?.familyName)].filter(Boolean).join(' ');
  const emails = list(core.emails).filter((e) => typeof e.value === 'string' && mailableEmail(e.value) !== null);
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

/** The side copies of the product's login and active flag, which filters and reads use. */
export function productColumns(fields: ProductUserFields) {
  return { userName: fields.login, userNameNormalized: foldCase(fields.login), active: fields.active };
}

/**
 * The stored document with the product's fields written into it, for a change made in the product (an admin's edit
 * while SCIM was off, say): the login as userName, the name as displayName, the active flag, and the email as the
 * value of the email the product reads (`productUserFields`), added as the primary work email when there was none,
 * and removed when the product has none. Everything else stays as the identity provider sent it.
 */
export function withProductFields(data: ScimResourceData, fields: ProductUserFields): ScimResourceData {
  const core: ScimObject = { ...data.core, userName: fields.login, active: fields.active };
  if (productUserFields({ core, extensions: data.extensions }).name !== fields.name) core.displayName = fields.name;
  const emails = list(data.core.emails);
  const current = productUserFields({ core, extensions: data.extensions }).email;
  const at = current === null ? -1 : emails.findIndex((e) => e.value === current);
  if (fields.email !== current) {
    const next = emails.map((e) => ({ ...e }));
    if (fields.email === null) next.splice(at, 1);
    else if (at >= 0) next[at].value = fields.email;
    else next.unshift({ value: fields.email, type: 'work', primary: true });
    if (next.length) core.emails = next;
    else delete core.emails;
  }
  return { core, extensions: data.extensions };
}

/**
 * The filterable copies kept in `scim_user_profiles`. Every string the SCIM layer accepted fits its column whole
 * (MAX_STRING_LENGTH, checked when the request was read), so nothing is cut here.
 */
export interface UserProfileColumns {
  externalId: string | null;
  displayName: string | null;
  displayNameNormalized: string | null;
  givenName: string | null;
  givenNameNormalized: string | null;
  familyName: string | null;
  familyNameNormalized: string | null;
  employeeNumber: string | null;
  managerId: string | null;
}

function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdbff) count++;
  }
  return count;
}

/**
 * The case-folded key of a case-insensitive value, which filters and sorts use on both databases. Its column holds
 * MAX_STRING_LENGTH characters like every other: a value whose folded form (NFKC can lengthen it) does not fit is
 * refused, as a login is, rather than cut and never found again.
 */
function folded(value: string | null, attribute: string): string | null {
  if (value === null) return null;
  const key = foldCase(value);
  if (codePointLength(key) > MAX_STRING_LENGTH) {
    throw ScimError.invalidValue(
      `Attribute '${attribute}' is longer than ${MAX_STRING_LENGTH} characters once case-folded`,
    );
  }
  return key;
}

export function userProfileColumns(data: ScimResourceData): UserProfileColumns {
  const name = object(data.core.name);
  const enterprise = data.extensions[SCIM_URN.ENTERPRISE_USER] ?? {};
  const manager = object(enterprise.manager);
  const displayName = text(data.core.displayName);
  const givenName = text(name?.givenName);
  const familyName = text(name?.familyName);
  return {
    externalId: text(data.core.externalId),
    displayName,
    displayNameNormalized: folded(displayName, 'displayName'),
    givenName,
    givenNameNormalized: folded(givenName, 'name.givenName'),
    familyName,
    familyNameNormalized: folded(familyName, 'name.familyName'),
    employeeNumber: text(enterprise.employeeNumber),
    managerId: text(manager?.value),
  };
}

export interface EmailRow {
  position: number;
  value: string;
  valueNormalized: string;
  type: string | null;
  typeNormalized: string | null;
  primary: boolean;
}

export function emailRows(data: ScimResourceData): EmailRow[] {
  return list(data.core.emails)
    .filter((e) => typeof e.value === 'string')
    .map((e, position) => {
      const value = e.value as string;
      const type = text(e.type);
      return {
        position,
        value,
        valueNormalized: folded(value, 'emails.value') as string,
        type,
        typeNormalized: folded(type, 'emails.type'),
        primary: e.primary === true,
      };
    });
}

/**
 * The largest stored user document, in bytes of UTF-8 JSON: MySQL's TEXT column holds 65,535. The same limit on
 * SQLite, so a user is accepted or refused (400 invalidValue) alike on both databases.
 */
export const MAX_USER_DOCUMENT_BYTES = 65_535;

/**
 * What is kept of a SCIM user: everything sent except `password`. Accounts sign in through SAML, changePassword is
 * not supported, and a password must never sit in the database in clear; it is accepted and dropped, like an unknown
 * attribute, so an Entra mapping that sends one does not fail every user.
 */
export function storableUser(data: ScimResourceData): ScimResourceData {
  const core: ScimObject = { ...data.core };
  delete core.password;
  const stored = { core, extensions: data.extensions };
  if (Buffer.byteLength(JSON.stringify(stored), 'utf8') > MAX_USER_DOCUMENT_BYTES) {
    throw ScimError.invalidValue(`The user is larger than ${MAX_USER_DOCUMENT_BYTES} bytes once stored`);
  }
  return stored;
}

/** PATCH operations minus those on `password` (see storableUser). */
export function storableOperations(operations: readonly PatchOperation[]): PatchOperation[] {
  return operations.filter(
    (operation) => !(operation.path.schema === SCIM_URN.USER && operation.path.attribute.toLowerCase() === 'password'),
  );
}
