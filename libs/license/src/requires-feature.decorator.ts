import { Reflector } from '@nestjs/core';

/**
 * The route (or every route of the controller) needs these license features, e.g. `@RequiresFeature('scim')`.
 * Enforced by LicenseGuard.
 */
export const RequiresFeature = Reflector.createDecorator<string | readonly string[], readonly string[]>({
  transform: (features) => (typeof features === 'string' ? [features] : [...features]),
});
