import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UserLifecycleEvents, UserLifecycleListener } from '@nest-scim/identity';
import { UserSessionEntity } from './user-session.entity';
import { UserTokenEntity } from './user-token.entity';

/**
 * Ends a user's tokens and sessions in the transaction that deactivates the user, so they stop working the moment
 * the deactivation commits (both flavours).
 */
@Injectable()
export class AuthUserLifecycleListener implements UserLifecycleListener, OnModuleInit, OnModuleDestroy {
  private unregister?: () => void;

  constructor(private readonly events: UserLifecycleEvents) {}

  onModuleInit(): void {
    this.unregister = this.events.register(this);
  }

  onModuleDestroy(): void {
    this.unregister?.();
  }

  async onUserDeactivated(userId: string, manager: EntityManager): Promise<void> {
    await manager.delete(UserTokenEntity, { userId });
    await manager.delete(UserSessionEntity, { userId });
  }
}
