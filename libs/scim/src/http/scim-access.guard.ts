import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { lastValueFrom, isObservable } from 'rxjs';
import { toScimError } from './scim-exception.filter';
import { SCIM_ACCESS_CHECKS } from './scim.constants';
import { NO_STORAGE_ERRORS, SCIM_STORAGE_ERRORS, ScimStorageErrorClassifier } from './scim-storage-errors';

/**
 * Runs the host's access checks in the order given (RFC 7644 §2: authenticate first; then permission, license and
 * provisioning mode) before any SCIM handler reads or writes anything. A refusal becomes a SCIM error: 401 with
 * `WWW-Authenticate: Bearer`, or 403 with the check's own words in `detail`.
 */
@Injectable()
export class ScimAccessGuard implements CanActivate {
  constructor(
    @Optional() @Inject(SCIM_ACCESS_CHECKS) private readonly checks: CanActivate[] = [],
    @Optional() @Inject(SCIM_STORAGE_ERRORS) private readonly storage: ScimStorageErrorClassifier = NO_STORAGE_ERRORS,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    for (const check of this.checks ?? []) {
      let allowed: boolean;
      try {
        const result = check.canActivate(context);
        allowed = isObservable(result) ? await lastValueFrom(result) : await result;
      } catch (error) {
        throw toScimError(error, this.storage ?? NO_STORAGE_ERRORS);
      }
      if (!allowed) throw toScimError({ status: 403, message: 'Access denied' });
    }
    return true;
  }
}
