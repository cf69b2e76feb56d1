import { Injectable } from '@nestjs/common';
import { driverErrorCode, isDatabaseUnavailable, isUniqueViolation } from '@nest-scim/persistence';
import type { ScimStorageErrorClassifier, ScimStorageErrorKind } from '@nest-scim/scim';

/**
 * The SCIM endpoint's view of the feature's database errors, from the persistence lib's one list of driver codes: a
 * unique index that refused a write is 409 `uniqueness`, a database that cannot serve for now (unreachable, a lost
 * deadlock, a statement cut by its time limit, a busy SQLite) is 503.
 */
@Injectable()
export class ProvisioningStorageErrors implements ScimStorageErrorClassifier {
  classify(error: unknown): ScimStorageErrorKind | undefined {
    if (isUniqueViolation(error)) return 'uniqueness';
    if (isDatabaseUnavailable(error)) return 'unavailable';
    return undefined;
  }

  codeOf(error: unknown): string | undefined {
    return driverErrorCode(error);
  }
}
