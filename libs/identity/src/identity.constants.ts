/** Injection token of the resolved IdentityModule options. */
export const IDENTITY_OPTIONS = Symbol('IDENTITY_OPTIONS');
/** Injection token of the DataSource the identity services write to (the host's default one unless named). */
export const IDENTITY_DATA_SOURCE = Symbol('IDENTITY_DATA_SOURCE');

/** Names of the built-in groups unless the host names them (SonarQube's are `sonar-users`, `sonar-administrators`). */
export const DEFAULT_GROUP_NAME = 'users';
export const ADMINISTRATORS_GROUP_NAME = 'administrators';

/** Global permissions, held by users directly or through a group. Only `admin` exists today. */
export const GLOBAL_PERMISSIONS = ['admin'] as const;
export type GlobalPermission = (typeof GLOBAL_PERMISSIONS)[number];
export const ADMIN_PERMISSION: GlobalPermission = 'admin';

/** Longest login, name or email stored (VARCHAR(255) on MySQL). */
export const MAX_NAME_LENGTH = 255;
export const MAX_GROUP_DESCRIPTION_LENGTH = 200;
/** Largest page a search returns. */
export const MAX_PAGE_SIZE = 500;
/** Ids per IN (…) list: far below the bound-parameter limits of both drivers. */
export const SQL_CHUNK_SIZE = 500;
