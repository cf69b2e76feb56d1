import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { ScimAuditTrail } from './scim-audit-trail.service';

/**
 * The SCIM audit trail, in a module of its own so that the stores and the host (the admin Web API reads the audit
 * trail) see the same instance. `imports` must hold the feature's identity and auth modules.
 */
@Module({})
export class ProvisioningSecurityModule {
  static register(imports: NonNullable<ModuleMetadata['imports']>): DynamicModule {
    return {
      module: ProvisioningSecurityModule,
      imports,
      providers: [ScimAuditTrail],
      exports: [ScimAuditTrail],
    };
  }
}
