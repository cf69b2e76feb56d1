import type { SchemaParts } from '@app/persistence';
import { SCIM_PROVISIONING_SCHEMA } from '@app/provisioning';

/** The server's tables are those of the provisioning feature it hosts. */
export const SERVER_SCHEMA: SchemaParts = SCIM_PROVISIONING_SCHEMA;
