import { Inject } from '@nestjs/common';
import { AUTH_DATA_SOURCE, AUTH_OPTIONS } from './auth.constants';

export const InjectAuthDataSource = (): ParameterDecorator => Inject(AUTH_DATA_SOURCE);
export const InjectAuthOptions = (): ParameterDecorator => Inject(AUTH_OPTIONS);
