import { DynamicModule, Module } from '@nestjs/common';
import type { ExampleHostConfig } from './example-host-config';

export const EXAMPLE_HOST_CONFIG = Symbol('EXAMPLE_HOST_CONFIG');

@Module({})
export class ExampleHostConfigModule {
  static forRoot(config: ExampleHostConfig): DynamicModule {
    return {
      module: ExampleHostConfigModule,
      global: true,
      providers: [{ provide: EXAMPLE_HOST_CONFIG, useValue: config }],
      exports: [EXAMPLE_HOST_CONFIG],
    };
  }
}
