import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '@nest-scim/persistence';

/**
 * Failed sign-ins of one subject (a login or a source address) in the current window. In the database so that every
 * instance behind a load balancer counts the same failures. The subject is stored as a SHA-256, not in clear.
 */
@Entity('sign_in_throttle')
export class SignInThrottleEntity {
  @PrimaryColumn({ name: 'subject_hash', type: 'varchar', length: 64 })
  subjectHash: string;

  @Column({ name: 'failures', type: 'integer' })
  failures: number;

  @TimestampColumn({ name: 'window_started_at' })
  windowStartedAt: Date;

  @TimestampColumn({ name: 'blocked_until', nullable: true })
  blockedUntil: Date | null;
}
