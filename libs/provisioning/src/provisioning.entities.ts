import { ScimActivityRecordEntity } from './activity/scim-activity-record.entity';
import { ScimAuditEventEntity } from './scim-audit-event.entity';
import { ScimGroupLinkEntity } from './scim-group-link.entity';
import { ScimGroupProfileEntity } from './scim-group-profile.entity';
import { ScimUserEmailEntity } from './scim-user-email.entity';
import { ScimUserLinkEntity } from './scim-user-link.entity';
import { ScimUserProfileEntity } from './scim-user-profile.entity';

/**
 * The feature's side tables (SCIM ids, stored documents, filterable copies, versions, the audit, the activity records), keyed by the
 * product's ids, beside those of identity, auth, license and saml.
 */
export const PROVISIONING_ENTITIES = [
  ScimUserLinkEntity,
  ScimGroupLinkEntity,
  ScimUserProfileEntity,
  ScimUserEmailEntity,
  ScimGroupProfileEntity,
  ScimAuditEventEntity,
  ScimActivityRecordEntity,
];
