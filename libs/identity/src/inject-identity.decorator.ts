import { Inject } from '@nestjs/common';
import { IDENTITY_DATA_SOURCE, IDENTITY_OPTIONS } from './identity.constants';

/** Injects the DataSource the identity lib was configured with. */
export const InjectIdentityDataSource = (): ParameterDecorator => Inject(IDENTITY_DATA_SOURCE);

/** Injects the resolved identity options. */
export const InjectIdentityOptions = (): ParameterDecorator => Inject(IDENTITY_OPTIONS);
