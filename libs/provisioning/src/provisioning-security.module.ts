import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { ScimAuditTrail } from './scim-audit-trail.service';
import { ScimAuthThrottle } from './scim-auth-throttle';

/**
 * The SCIM endpoint's failed-authentication throttle and audit trail, in a module of their own so that the access
 * checks, the stores and the host (the admin Web API reads the audit trail) all see the same instances. `imports`
 * must hold the feature's identity and auth modules.
 */
@Module({})
export class ProvisioningSecurityModule {
  static register(imports: NonNullable<ModuleMetadata['imports']>): DynamicModule {
    return {
      module: ProvisioningSecurityModule,
      imports,
      providers: [ScimAuthThrottle, ScimAuditTrail],
      exports: [ScimAuthThrottle, ScimAuditTrail],
    };
  }
}
