export { ScimProvisioningModule } from './scim-provisioning.module';
export { PROVISIONING_OPTIONS } from './provisioning-options.interface';
export type { ScimProvisioningAsyncOptions, ScimProvisioningOptions } from './provisioning-options.interface';
export { PROVISIONING_ENTITIES } from './provisioning.entities';
export { ScimUserProfileEntity } from './scim-user-profile.entity';
export { ScimUserEmailEntity } from './scim-user-email.entity';
export { ScimGroupProfileEntity } from './scim-group-profile.entity';
export { SCIM_PROVISIONING_SCHEMA } from './provisioning.schema';
