export { ScimProvisioningModule } from './scim-provisioning.module';
export { PROVISIONING_OPTIONS } from './provisioning-options.interface';
export type { ScimProvisioningAsyncOptions, ScimProvisioningOptions } from './provisioning-options.interface';
export { PROVISIONING_ENTITIES } from './provisioning.entities';
export { ScimUserLinkEntity } from './scim-user-link.entity';
export { ScimGroupLinkEntity } from './scim-group-link.entity';
export { ScimUserProfileEntity } from './scim-user-profile.entity';
export { ScimUserEmailEntity } from './scim-user-email.entity';
export { ScimGroupProfileEntity } from './scim-group-profile.entity';
export { SCIM_PROVISIONING_SCHEMA } from './provisioning.schema';
export { ScimAuditTrail, MAX_AUDIT_PAGE_SIZE } from './scim-audit-trail.service';
export type { ScimAuditEntry, ScimAuditPage, ScimAuditQuery } from './scim-audit-trail.service';

export { SCIM_DIRECTORY, ScimDirectoryError } from './directory/scim-directory.port';
export type {
  CreateUserResult,
  DirectoryGroupHandle,
  DirectoryGroupInput,
  DirectoryId,
  DirectoryMembershipTable,
  DirectoryUser,
  DirectoryUserChanges,
  DirectoryUserHandle,
  DirectoryUserInput,
  MemberDelta,
  ScimDirectory,
  ScimDirectoryErrorCode,
} from './directory/scim-directory.port';
export { SCIM_PROVISIONING_HOOKS } from './directory/scim-provisioning.hooks';
export type {
  ScimCreatedEvent,
  ScimDeletedEvent,
  ScimHookGroup,
  ScimHookUser,
  ScimMemberEvent,
  ScimProvisioningHooks,
  ScimRenamedEvent,
  ScimUpdatedEvent,
  ScimUserStateEvent,
} from './directory/scim-provisioning.hooks';
export { PRODUCT_REFUSED_MESSAGE } from './directory/scim-hook.runner';
export type { ScimDirectoryProvider } from './directory/scim-directory.module';
export { HostEntityDirectory, hostEntityDirectory } from './directory/host-entities/host-entity-directory';
export type { HostEntityDirectoryOptions } from './directory/host-entities/host-entity-directory.options';
