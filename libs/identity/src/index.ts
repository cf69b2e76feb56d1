export { IdentityModule } from './identity.module';
export type {
  IdentityModuleAsyncOptions,
  IdentityModuleOptions,
  IdentityOptions,
  ResolvedIdentityOptions,
} from './identity-options.interface';
export {
  ADMIN_PERMISSION,
  ADMINISTRATORS_GROUP_NAME,
  DEFAULT_GROUP_NAME,
  GLOBAL_PERMISSIONS,
  IDENTITY_DATA_SOURCE,
  IDENTITY_OPTIONS,
} from './identity.constants';
export type { GlobalPermission } from './identity.constants';
export { InjectIdentityDataSource, InjectIdentityOptions } from './inject-identity.decorator';

export { IDENTITY_ENTITIES } from './identity.entities';
export { UserEntity } from './user.entity';
export type { ExternalProvider } from './user.entity';
export { GroupEntity } from './group.entity';
export type { BuiltInGroupRole } from './group.entity';
export { GroupMembershipEntity } from './group-membership.entity';
export { UserPermissionEntity } from './user-permission.entity';
export { GroupPermissionEntity } from './group-permission.entity';

export { UsersService } from './users.service';
export type { CreateUserInput, DeactivationFlavour, UpdateUserInput, UserSearch } from './users.service';
export { GroupsService } from './groups.service';
export type { BuiltInGroups, CreateGroupInput, GroupSearch, GroupSearchItem, UpdateGroupInput } from './groups.service';
export { MembershipService } from './membership.service';
export type { MemberSearch } from './membership.service';
export { PermissionsService } from './permissions.service';
export type { AccountStanding } from './permissions.service';
export { UserLifecycleEvents } from './user-lifecycle.events';
export type { UserLifecycleListener } from './user-lifecycle.events';
export type { UserView } from './user.view';
export type { GroupView } from './group.view';
export type { Page, PageRequest } from './sql.util';

export {
  DomainRuleError,
  LAST_ADMIN_MESSAGES,
  MANAGED_FILTER_MESSAGE,
  MANAGED_INSTANCE_MESSAGE,
} from './domain-rule.error';
export type { DomainRuleCode } from './domain-rule.error';
export { foldCase, normalizeGroupName, normalizeLogin } from './normalization.util';
// The identity rules for a person's values, for directory adapters over a product's own tables.
export { validateDisplayValue } from './normalization.util';
export { mailableEmail, validateEmail } from './user-rows';
export * from './identity.schema';
