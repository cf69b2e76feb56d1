import type { SchemaParts } from '@nest-scim/persistence';
import { SCIM_PROVISIONING_SCHEMA } from '@nest-scim/provisioning';

/** The server's tables are those of the provisioning feature it hosts. */
export const SERVER_SCHEMA: SchemaParts = SCIM_PROVISIONING_SCHEMA;
