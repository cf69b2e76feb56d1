import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Something that keeps per-user state outside the identity tables (tokens, sessions) and must drop it when the user
 * is deactivated. It runs inside the deactivating transaction, with its manager: both commit or neither does.
 */
export interface UserLifecycleListener {
  onUserDeactivated(userId: string, manager: EntityManager): Promise<void>;
}

/**
 * The listeners the identity lib calls back. Libraries built on identity (auth) register here when their module
 * starts, which keeps the dependency one-way: identity knows no tokens.
 */
@Injectable()
export class UserLifecycleEvents {
  private readonly listeners = new Set<UserLifecycleListener>();

  /** Adds a listener; the returned function removes it. */
  register(listener: UserLifecycleListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async userDeactivated(userId: string, manager: EntityManager): Promise<void> {
    for (const listener of this.listeners) await listener.onUserDeactivated(userId, manager);
  }
}
