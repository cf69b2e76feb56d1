export { ScimProvisioningModule } from './scim-provisioning.module';
export { PROVISIONING_OPTIONS } from './provisioning-options.interface';
export type { ScimProvisioningAsyncOptions, ScimProvisioningOptions } from './provisioning-options.interface';
export { PROVISIONING_ENTITIES } from './provisioning.entities';
export { ScimUserLinkEntity } from './scim-user-link.entity';
export { ScimGroupLinkEntity } from './scim-group-link.entity';
export { ScimUserProfileEntity } from './scim-user-profile.entity';
export { ScimUserEmailEntity } from './scim-user-email.entity';
export { ScimGroupProfileEntity } from './scim-group-profile.entity';
export { MEMBER_PAGE } from './scim-groups.store';
export {
  PROVISIONING_LIBRARY,
  SCIM_PROVISIONING_SCHEMA,
  scimProvisioningSchema,
  ScimSchemaOptions,
} from './provisioning.schema';
export { compileFilter, sortKeyOf } from './filter';
export { ProvisioningStorageErrors } from './scim-storage.errors';
export type { CompiledFilter, CompileFilterOptions, SortKey } from './filter';
export { ScimAuditTrail, MAX_AUDIT_PAGE_SIZE } from './scim-audit-trail.service';
export type { ScimAuditEntry, ScimAuditPage, ScimAuditQuery } from './scim-audit-trail.service';

export { SCIM_DIRECTORY, ScimDirectoryError } from './directory/scim-directory.port';
export type {
  CreateUserResult,
  DirectoryGroup,
  DirectoryGroupHandle,
  DirectoryGroupInput,
  DirectoryId,
  DirectoryMembershipTable,
  DirectoryUser,
  DirectoryUserChanges,
  DirectoryUserHandle,
  DirectoryUserInput,
  MemberDelta,
  MemberKeys,
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
export { IdentityDirectoryAdapter } from './directory/identity-directory.adapter';
export { HostEntityDirectory, hostEntityDirectory } from './directory/host-entities/host-entity-directory';
export type { HostEntityDirectoryOptions } from './directory/host-entities/host-entity-directory.options';
export type { ScimAuditReadRequest } from './scim-audit-trail.service';
export { PROVISIONING_BASE_PATH } from './provisioning-options.interface';
export {
  BlockedAddressTarpit,
  DEFAULT_BLOCKED_REFUSAL_DELAY_MS,
  DEFAULT_MAX_HELD_REFUSALS,
} from './blocked-address.tarpit';
export type { BlockedAddressRefusalSettings } from './blocked-address.tarpit';

export { ManagedInstance } from './administration/managed-instance.service';
export { ScimSideCopies } from './administration/scim-side-copies.service';
export {
  assertGroupDeletable,
  assertInstanceNotManaged,
  assertManagedFilterAllowed,
  assertUserDeactivatable,
} from './administration/managed-instance.policy';
export { UserAdministration } from './administration/user-administration.service';
export type { NewUser } from './administration/user-administration.service';
export { GroupAdministration } from './administration/group-administration.service';
export { PermissionAdministration } from './administration/permission-administration.service';
export { TokenAdministration } from './administration/token-administration.service';
export type { OwnedToken } from './administration/token-administration.service';
export { ScimSwitch, SCIM_NOT_CONFIRMED } from './administration/scim-switch.service';
export type { ScimStatus } from './administration/scim-switch.service';
export { ScimEnableRefusedError } from './administration/scim-enable-refused.error';
export type { ScimPrerequisite, ScimPrerequisiteFailure } from './administration/scim-enable-refused.error';
export { SIGN_IN_READINESS } from './administration/sign-in-readiness';
export type { SignInReadiness } from './administration/sign-in-readiness';
export { ScimSetup } from './administration/scim-setup.service';
export type { EntraCredentials, EntraTokenRequest } from './administration/scim-setup.service';
export { ScimAdminModule } from './administration/scim-admin.module';
export type { ScimAdminModuleOptions } from './administration/scim-admin.module';
export { ProvisionedSignIn, DEFAULT_PRODUCT_NAME } from './sign-in/provisioned-sign-in.service';
export type { SignInIdentity, SignInOutcome, SignInRefusalReason } from './sign-in/provisioned-sign-in.service';

export { ScimActivity, MAX_ACTIVITY_PAGE_SIZE, QUARANTINE_FAILURE_SHARE } from './activity/scim-activity.service';
export type {
  ScimActivityReadRequest,
  ScimActivityRequestSummary,
  ScimConnectionHealth,
  ScimConnectionState,
  ScimCycle,
  ScimCyclePage,
  ScimFailureGroup,
  ScimFailurePage,
  ScimFailureTarget,
  ScimQuarantineReason,
} from './activity/scim-activity.service';
export { ACTIVITY_SQL_COMMENT, ScimActivityRecorder } from './activity/scim-activity.recorder';
export { ScimActivityRecordEntity } from './activity/scim-activity-record.entity';
export { FAILURE_EXPLANATIONS } from './activity/scim-activity.classifier';
export type { ScimActivityOperation, ScimFailureCause } from './activity/scim-activity.classifier';
export type { ScimActivitySettings } from './activity/scim-activity.settings';
export { ScimMetrics } from './activity/scim-metrics';
