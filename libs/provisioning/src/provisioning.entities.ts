import { ScimAuditEventEntity } from './scim-audit-event.entity';
import { ScimGroupProfileEntity } from './scim-group-profile.entity';
import { ScimUserEmailEntity } from './scim-user-email.entity';
import { ScimUserProfileEntity } from './scim-user-profile.entity';

/** The tables of the SCIM provisioning composition, beside those of identity, auth, license and saml. */
export const PROVISIONING_ENTITIES = [
  ScimUserProfileEntity,
  ScimUserEmailEntity,
  ScimGroupProfileEntity,
  ScimAuditEventEntity,
];
