import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainRuleError } from '@nest-scim/identity';
import { isRetryableTransactionError } from '@nest-scim/persistence';
import { ScimError } from '@nest-scim/scim';
import { ScimDirectoryError } from './scim-directory.port';
import { SCIM_PROVISIONING_HOOKS, ScimProvisioningHooks } from './scim-provisioning.hooks';

/** The detail of the SCIM error a hook's unexpected failure answers. */
export const PRODUCT_REFUSED_MESSAGE = 'The product refused the change';

type HookEvent = keyof ScimProvisioningHooks;
type HookPayload<K extends HookEvent> = Parameters<NonNullable<ScimProvisioningHooks[K]>>[1];

/** Calls the host's hooks in order, in the request's transaction, and words their failures as SCIM errors. */
@Injectable()
export class ScimHookRunner {
  private readonly logger = new Logger('ScimProvisioningHooks');

  constructor(@Inject(SCIM_PROVISIONING_HOOKS) private readonly hooks: readonly ScimProvisioningHooks[]) {}

  /** Whether any hook listens to the event (a caller may skip building its payload). */
  listens(event: HookEvent): boolean {
    return this.hooks.some((hook) => typeof hook[event] === 'function');
  }

  async emit<K extends HookEvent>(event: K, manager: EntityManager, payload: HookPayload<K>): Promise<void> {
    for (const hook of this.hooks) {
      const listener = hook[event] as ((m: EntityManager, p: HookPayload<K>) => unknown) | undefined;
      if (typeof listener !== 'function') continue;
      try {
        await listener.call(hook, manager, payload);
      } catch (error) {
        throw this.refusal(event, error);
      }
    }
  }

  /**
   * A refusal the client may read (ScimError, the directory's or the domain's) passes as it is, and so does a
   * deadlock, which runs the request again; anything else is logged and answered 409 without its text.
   */
  private refusal(event: HookEvent, error: unknown): unknown {
    if (
      error instanceof ScimError ||
      error instanceof ScimDirectoryError ||
      error instanceof DomainRuleError ||
      isRetryableTransactionError(error)
    ) {
      return error;
    }
    this.logger.warn({ event, err: error }, `A provisioning hook failed on '${event}': the request is rolled back`);
    return new ScimError(409, PRODUCT_REFUSED_MESSAGE);
  }
}
