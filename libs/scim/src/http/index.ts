export * from './scim.constants';
export * from './scim-options.interface';
export * from './resource-store.interface';
export * from './etag';
export { ScimExceptionFilter, toScimError } from './scim-exception.filter';
export { ScimAccessGuard } from './scim-access.guard';
export { ScimModule } from './scim.module';
export type { ScimModuleAsyncOptions } from './scim.module';
export { principalOf } from './scim-resource.endpoint';
