import type { ModuleMetadata } from '@nestjs/common';

export interface IdentityOptions {
  /** Name of the built-in group every active user belongs to. Default `users`. */
  defaultGroupName?: string;
  /** Name of the built-in group holding `admin`. Default `administrators`. */
  administratorsGroupName?: string;
}

export type ResolvedIdentityOptions = Required<IdentityOptions>;

interface DataSourceChoice {
  /**
   * Name of the host's TypeORM data source (`TypeOrmModule.forRoot({ name })`); the default one when unset. Given
   * outside the factory because Nest wires tokens before any factory runs.
   */
  dataSource?: string;
}

export interface IdentityModuleOptions extends IdentityOptions, DataSourceChoice {}

export interface IdentityModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'>, DataSourceChoice {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => IdentityOptions | Promise<IdentityOptions>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
}
