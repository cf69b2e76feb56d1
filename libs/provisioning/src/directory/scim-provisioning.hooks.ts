import type { EntityManager } from 'typeorm';
import type { ScimResourceData } from '@nest-scim/scim';
import type { DirectoryId, DirectoryUser } from './scim-directory.port';

/** A SCIM user as a hook sees it: the product's fields as SCIM wrote them, its SCIM id and the stored document. */
export interface ScimHookUser extends DirectoryUser {
  scimId: string;
  /** The resource as stored (core attributes and extensions, without a password). */
  data: ScimResourceData;
}

/** A SCIM group as a hook sees it. */
export interface ScimHookGroup {
  id: DirectoryId;
  scimId: string;
  displayName: string;
}

export type ScimCreatedEvent =
  /** `adopted`: an existing product account or group was taken over rather than created. */
  | { resourceType: 'User'; user: ScimHookUser; adopted: boolean }
  | { resourceType: 'Group'; group: ScimHookGroup; adopted: boolean };

export type ScimUpdatedEvent =
  | { resourceType: 'User'; user: ScimHookUser; before: ScimHookUser }
  | { resourceType: 'Group'; group: ScimHookGroup; before: ScimHookGroup };

export type ScimRenamedEvent =
  | { resourceType: 'User'; user: ScimHookUser; from: string; to: string }
  | { resourceType: 'Group'; group: ScimHookGroup; from: string; to: string };

export type ScimDeletedEvent =
  { resourceType: 'User'; user: ScimHookUser } | { resourceType: 'Group'; group: ScimHookGroup };

export interface ScimUserStateEvent {
  user: ScimHookUser;
}

export interface ScimMemberEvent {
  group: ScimHookGroup;
  user: { id: DirectoryId; scimId: string };
}

/**
 * Listeners a host registers (`ScimProvisioningModule.forRootAsync({ hooks: [...] })`) to keep more records of a
 * person or a team. Each is called inside the SCIM request's transaction, with its EntityManager, after the
 * directory applied the change: write through `manager` and the records commit or roll back with the request.
 *
 * - `created`: POST /Users (a new or an adopted account) and POST /Groups.
 * - `updated`: every write that changed a resource (PUT, or a PATCH that changed something other than members);
 *   a rename or an activation change also fires `renamed`, `deactivated` or `reactivated`, after `updated`.
 * - `renamed`: the userName, or the group's displayName, changed.
 * - `deactivated` / `reactivated`: `active` went false / true.
 * - `deleted`: DELETE; for a user, the account as the directory leaves it is the adapter's business.
 * - `memberAdded` / `memberRemoved`: once per membership actually added or removed (none for a no-op).
 *
 * A hook that throws rolls the whole request back: nothing of it stays (product rows, SCIM state, audit). The client
 * gets a SCIM error: a ScimError as thrown; a ScimDirectoryError as its code says (400, 404, 409); any other error
 * 409 with the detail "The product refused the change" (the error is logged, its text is not shown). A deadlock or
 * lock timeout raised by the database inside a hook runs the whole request again, as for the feature's own writes.
 */
export interface ScimProvisioningHooks {
  created?(manager: EntityManager, event: ScimCreatedEvent): Promise<void> | void;
  updated?(manager: EntityManager, event: ScimUpdatedEvent): Promise<void> | void;
  renamed?(manager: EntityManager, event: ScimRenamedEvent): Promise<void> | void;
  deactivated?(manager: EntityManager, event: ScimUserStateEvent): Promise<void> | void;
  reactivated?(manager: EntityManager, event: ScimUserStateEvent): Promise<void> | void;
  deleted?(manager: EntityManager, event: ScimDeletedEvent): Promise<void> | void;
  memberAdded?(manager: EntityManager, event: ScimMemberEvent): Promise<void> | void;
  memberRemoved?(manager: EntityManager, event: ScimMemberEvent): Promise<void> | void;
}

/** The injection token of the registered hooks (an array). */
export const SCIM_PROVISIONING_HOOKS = Symbol('SCIM_PROVISIONING_HOOKS');
