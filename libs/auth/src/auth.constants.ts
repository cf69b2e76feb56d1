/** Injection token of the resolved AuthModule options. */
export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');
/** Injection token of the DataSource the auth services write to. */
export const AUTH_DATA_SOURCE = Symbol('AUTH_DATA_SOURCE');

/**
 * The passport strategy name of user-token authentication. Passport's registry is process-wide, so the name is
 * specific to this module rather than `bearer`, which a host may use for its own strategy.
 */
export const USER_TOKEN_STRATEGY = 'scim-provisioning-user-token';

/** User tokens are `squ_` followed by 40 lower-case hex characters (20 random bytes), as in the product. */
export const USER_TOKEN_PREFIX = 'squ_';
export const USER_TOKEN_RANDOM_BYTES = 20;
export const MAX_TOKEN_NAME_LENGTH = 100;

/** The login of the account the first start creates. */
export const BOOTSTRAP_ADMIN_LOGIN = 'admin';

/** `last_connection_date` is written at most this often per token, so busy clients do not write on each request. */
export const LAST_CONNECTION_RESOLUTION_MS = 60_000;
