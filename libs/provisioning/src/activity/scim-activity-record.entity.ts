import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NamedIndex, TimestampColumn } from '@nest-scim/persistence';

/**
 * One SCIM request as the admin's activity screens read it, successful or refused: when, which route, which resource,
 * the userName or displayName where the request or the feature's tables named it, the answer's status, `scimType` and
 * `detail`, and how long it took. Never a token, a password, an email or a filter value: the row is safe to show to
 * whoever administers the product. No foreign keys, so a record outlives the resource it names.
 */
@Entity('scim_activity_records')
@NamedIndex('ix_scim_activity_occurred', ['occurredAt', 'id'])
@NamedIndex('ix_scim_activity_resource', ['resourceType', 'resourceId'])
export class ScimActivityRecordEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  /** When the request arrived. */
  @TimestampColumn({ name: 'occurred_at' })
  occurredAt: Date;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId: string | null;

  @Column({ name: 'method', type: 'varchar', length: 8 })
  method: string;

  /** The route template (`/Users/{id}`), never the path as sent. */
  @Column({ name: 'route', type: 'varchar', length: 48 })
  route: string;

  /** User or Group, when the route concerns one kind. */
  @Column({ name: 'resource_type', type: 'varchar', length: 16, nullable: true })
  resourceType: string | null;

  /** The SCIM id in the path, when it has the shape of this server's ids. */
  @Column({ name: 'resource_id', type: 'varchar', length: 64, nullable: true })
  resourceId: string | null;

  /** The userName of a user or displayName of a group, when known. */
  @Column({ name: 'subject', type: 'varchar', length: 255, nullable: true })
  subject: string | null;

  /** What the request did: lookup, list, read, search, create, replace, update, deactivate, reactivate, delete, … */
  @Column({ name: 'operation', type: 'varchar', length: 16 })
  operation: string;

  /** Members a group request added or removed (as asked). */
  @Column({ name: 'member_changes', type: 'integer' })
  memberChanges: number;

  @Column({ name: 'status', type: 'integer' })
  status: number;

  @Column({ name: 'scim_type', type: 'varchar', length: 32, nullable: true })
  scimType: string | null;

  /** The error detail sent (a fixed sentence of the server's, never a value of the request). */
  @Column({ name: 'detail', type: 'varchar', length: 512, nullable: true })
  detail: string | null;

  /** The failure's cause (credentials, license, local-account, filter, …), null for a success. */
  @Column({ name: 'cause', type: 'varchar', length: 32, nullable: true })
  cause: string | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;
}
