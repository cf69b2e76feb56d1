import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { collectDefaultMetrics } from 'prom-client';
import { ScimMetrics } from '@nest-scim/provisioning';
import type { ServerConfig } from '../config/server-config';
import { MetricsController, MetricsTokenGuard } from './metrics.controller';
import { MetricsPortServer } from './metrics-port.server';

/**
 * Prometheus metrics, as the operator chooses: on a port of their own (METRICS_PORT), and/or on the main port behind
 * a bearer token (METRICS_TOKEN). Neither set: no metrics are served. The feature's metrics plus Node's process
 * metrics, on the feature's registry. `imports` must make the provisioning feature and the server config visible.
 */
@Module({})
export class MetricsModule {
  static forRoot(config: ServerConfig, imports: NonNullable<ModuleMetadata['imports']>): DynamicModule {
    const { token, port } = config.metrics;
    const enabled = token !== undefined || port !== undefined;
    return {
      module: MetricsModule,
      imports,
      controllers: token !== undefined ? [MetricsController] : [],
      providers: enabled
        ? [
            MetricsTokenGuard,
            MetricsPortServer,
            {
              provide: 'PROCESS_METRICS',
              inject: [ScimMetrics],
              useFactory: (metrics: ScimMetrics) => collectDefaultMetrics({ register: metrics.registry }),
            },
          ]
        : [],
      exports: enabled ? [MetricsPortServer] : [],
    };
  }
}
