import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { ExpiredRowsPurger } from './expired-rows.purger';

/** Scheduled clean-ups. `imports` must make the provisioning feature's services and the server config visible. */
@Module({})
export class MaintenanceModule {
  static forRoot(imports: NonNullable<ModuleMetadata['imports']>): DynamicModule {
    return { module: MaintenanceModule, imports, providers: [ExpiredRowsPurger], exports: [ExpiredRowsPurger] };
  }
}
