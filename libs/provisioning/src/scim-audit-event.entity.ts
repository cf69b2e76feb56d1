import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NamedIndex, TimestampColumn } from '@nest-scim/persistence';
import { PRODUCT_ID_LENGTH } from './scim-user-link.entity';

/**
 * One change made through SCIM: when, by which token and owner, to which resource, which attributes and how many
 * members, under which request id. Names only, never values: the row is safe to show an auditor. No foreign keys, so
 * the record outlives the token, the owner and the resource it names.
 */
@Entity('scim_audit_events')
@NamedIndex('ix_scim_audit_events_occurred', ['occurredAt', 'id'])
@NamedIndex('ix_scim_audit_events_resource', ['resourceType', 'resourceId'])
@NamedIndex('ix_scim_audit_events_token', ['tokenId'])
export class ScimAuditEventEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @TimestampColumn({ name: 'occurred_at' })
  occurredAt: Date;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId: string | null;

  /** The id of the user token used; the token itself is never stored. */
  @Column({ name: 'token_id', type: 'varchar', length: 36, nullable: true })
  tokenId: string | null;

  @Column({ name: 'actor_user_id', type: 'varchar', length: 36, nullable: true })
  actorUserId: string | null;

  /** The token owner's login at the time, kept for when the account is gone. */
  @Column({ name: 'actor_login', type: 'varchar', length: 255, nullable: true })
  actorLogin: string | null;

  /** create, replace, patch or delete. */
  @Column({ name: 'action', type: 'varchar', length: 16 })
  action: string;

  /** User or Group. */
  @Column({ name: 'resource_type', type: 'varchar', length: 16 })
  resourceType: string;

  /** The SCIM id. */
  @Column({ name: 'resource_id', type: 'varchar', length: 64 })
  resourceId: string;

  /** The product's user or group id behind it. */
  @Column({ name: 'internal_id', type: 'varchar', length: PRODUCT_ID_LENGTH, nullable: true })
  internalId: string | null;

  /** JSON array of the attribute paths that changed (`userName`, `name.givenName`, `urn:…:User:department`). */
  @Column({ name: 'attributes', type: 'text' })
  attributes: string;

  /** JSON of the membership change of a group (counts, and the first member ids), or null. */
  @Column({ name: 'members', type: 'text', nullable: true })
  members: string | null;

  /**
   * JSON array of the attributes the request named that the schema does not declare and that were ignored (names
   * only), or null when there were none.
   */
  @Column({ name: 'ignored', type: 'text', nullable: true })
  ignored: string | null;
}
