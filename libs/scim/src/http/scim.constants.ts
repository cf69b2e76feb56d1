/** RFC 7644 §3.1 / §8.1: every SCIM response, errors included, is `application/scim+json`. */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** Injection tokens of the SCIM module. */
export const SCIM_OPTIONS = Symbol('SCIM_OPTIONS');
export const SCIM_USER_STORE = Symbol('SCIM_USER_STORE');
export const SCIM_GROUP_STORE = Symbol('SCIM_GROUP_STORE');
/** The /Users and /Groups endpoints (`ScimResourceEndpoint`), over the stores above. */
export const SCIM_USERS_ENDPOINT = Symbol('SCIM_USERS_ENDPOINT');
export const SCIM_GROUPS_ENDPOINT = Symbol('SCIM_GROUPS_ENDPOINT');
/** The checks every SCIM request passes first, in order: credentials, permission, license, provisioning mode. */
export const SCIM_ACCESS_CHECKS = Symbol('SCIM_ACCESS_CHECKS');

/** Where the body parser leaves a parse failure for the SCIM pipeline to report as a SCIM error. */
export const SCIM_BODY_ERROR = Symbol('scimBodyError');
/**
 * Where the SCIM exception filter leaves the error it answered with (a ScimError), so that whatever observes the
 * finished request (an activity record, a metric) reads the status, `scimType` and `detail` that were sent.
 */
export const SCIM_ERROR_SENT = Symbol('scimErrorSent');
