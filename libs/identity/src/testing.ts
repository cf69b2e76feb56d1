import type { DataSource } from 'typeorm';
import type { Dialect, SchemaParts } from '@nest-scim/persistence';
import { openScratchDataSource } from '@nest-scim/persistence/testing';
import { IDENTITY_ENTITIES } from './identity.entities';
import { DomainRuleError } from './domain-rule.error';
import { GroupsService } from './groups.service';
import type { IdentityOptions } from './identity-options.interface';
import { resolveIdentityOptions } from './identity.module';
import { IdentityDirectoryAdapter } from './identity-directory.adapter';
import { MembershipService } from './membership.service';
import { PermissionsService } from './permissions.service';
import { UserLifecycleEvents } from './user-lifecycle.events';
import { UsersService } from './users.service';

export interface IdentityServices {
  users: UsersService;
  groups: GroupsService;
  membership: MembershipService;
  permissions: PermissionsService;
  directory: IdentityDirectoryAdapter;
  events: UserLifecycleEvents;
}

/** The identity services wired by hand over a DataSource, for database tests that need no Nest container. */
export function createIdentityServices(dataSource: DataSource, options: IdentityOptions = {}): IdentityServices {
  const permissions = new PermissionsService(dataSource);
  const events = new UserLifecycleEvents();
  return {
    users: new UsersService(dataSource, permissions, events),
    groups: new GroupsService(dataSource, resolveIdentityOptions(options), permissions),
    membership: new MembershipService(dataSource, permissions),
    permissions,
    directory: new IdentityDirectoryAdapter(permissions, events, dataSource),
    events,
  };
}

export interface IdentityTestDatabase extends IdentityServices {
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * A scratch database of the dialect holding the identity tables (plus `extraEntities`), with the built-in groups in
 * place and the services wired over it.
 */
export async function openIdentityTestDatabase(
  dialect: Dialect,
  options: IdentityOptions & { extraEntities?: SchemaParts['entities'] } = {},
): Promise<IdentityTestDatabase> {
  const extra = (options.extraEntities ?? []) as unknown[];
  const entities = [...IDENTITY_ENTITIES, ...extra] as SchemaParts['entities'];
  const { dataSource, close } = await openScratchDataSource(dialect, entities);
  const services = createIdentityServices(dataSource, options);
  await services.groups.ensureBuiltIns();
  return { ...services, dataSource, close };
}

/**
 * The DomainRuleError a promise rejects with. Fails the test when the promise resolves or rejects with anything else.
 */
export async function domainRuleRejection(promise: Promise<unknown>): Promise<DomainRuleError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainRuleError)) {
    throw new Error(`Expected a DomainRuleError, got ${error === undefined ? 'success' : String(error)}`);
  }
  return error;
}
