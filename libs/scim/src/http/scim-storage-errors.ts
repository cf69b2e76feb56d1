/**
 * What a storage error means to a SCIM client. The protocol lib knows no database: the module that owns the tables
 * tells the endpoint which of its errors are a uniqueness conflict (409 `uniqueness`) and which mean the storage is
 * unavailable for now (503 with `Retry-After`). Anything it does not claim is a 500.
 */
export type ScimStorageErrorKind = 'uniqueness' | 'unavailable';

/** The hook a host provides (`ScimModule.forRootAsync({ storageErrors })`) to classify its storage's errors. */
export interface ScimStorageErrorClassifier {
  /** The meaning of `error` for a client, or undefined when it is not a storage error this classifier knows. */
  classify(error: unknown): ScimStorageErrorKind | undefined;
  /**
   * A short code to log in place of the error's message (`ER_DUP_ENTRY`, `SQLITE_BUSY`), or undefined. Driver
   * messages quote the values that were bound (a userName, an email), so a storage error is logged by its code only.
   */
  codeOf(error: unknown): string | undefined;
}

/** Injection token of the classifier; without one, no error is a storage error. */
export const SCIM_STORAGE_ERRORS = Symbol('SCIM_STORAGE_ERRORS');

/** The classifier of a SCIM endpoint without storage of its own to describe. */
export const NO_STORAGE_ERRORS: ScimStorageErrorClassifier = {
  classify: () => undefined,
  codeOf: () => undefined,
};
