import { Reflector } from '@nestjs/core';
import type { Edition } from './edition.constants';

/**
 * The route (or every route of the controller) needs this edition or a larger one. Enforced by LicenseGuard:
 * `@UseGuards(LicenseGuard) @RequiresEdition('enterprise')`.
 */
export const RequiresEdition = Reflector.createDecorator<Edition>();
