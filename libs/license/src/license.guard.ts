import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Edition, editionIncludes, isEdition } from './edition.constants';
import { LicenseRequiredError } from './license-required.error';
import { LicenseService } from './license.service';
import type { LicenseRequirements } from './license.types';
import { RequiresEdition } from './requires-edition.decorator';
import { RequiresFeature } from './requires-feature.decorator';

/**
 * Lets a request through only when the installed license meets the route's `@RequiresEdition` / `@RequiresFeature`.
 * A route without either passes. Scoped by the host with `@UseGuards(LicenseGuard)`; never registered globally.
 */
@Injectable()
export class LicenseGuard implements CanActivate {
  constructor(
    protected readonly reflector: Reflector,
    protected readonly licenses: LicenseService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirements = this.requirementsOf(context);
    if (!requirements.edition && !requirements.features?.length) return true;
    const refusal = await this.licenses.evaluate(requirements);
    if (refusal) this.refuse(new LicenseRequiredError(refusal.reason, refusal.message, requirements));
    return true;
  }

  /**
   * Handler metadata first, then the controller's. Both apply (the larger edition, all features): a method can add
   * to its controller's requirements but never loosen them.
   */
  protected requirementsOf(context: ExecutionContext): LicenseRequirements {
    let edition: Edition | undefined;
    const features: string[] = [];
    for (const target of [context.getHandler(), context.getClass()]) {
      const required = this.reflector.get(RequiresEdition, target);
      if (isEdition(required) && (!edition || !editionIncludes(edition, required))) edition = required;
      const named = this.reflector.get(RequiresFeature, target);
      if (Array.isArray(named)) for (const feature of named) if (!features.includes(feature)) features.push(feature);
    }
    return { edition, features };
  }

  /** Where a refusal leaves the guard; a subclass may throw its own error type instead. Must throw. */
  protected refuse(error: LicenseRequiredError): never {
    throw error;
  }
}
