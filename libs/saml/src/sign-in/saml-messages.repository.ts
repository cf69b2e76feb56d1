import { deleteInBatches, inTransaction, isUniqueViolation } from '@nest-scim/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, LessThan, MoreThan } from 'typeorm';
import { SAML_DATA_SOURCE } from '../saml.constants';
import { SamlAuthnRequestEntity } from './saml-authn-request.entity';
import { SamlMessageIdEntity } from './saml-message-id.entity';
import type { SamlRequestPurpose } from './saml-sign-in.types';

/**
 * The SAML messages every instance must agree on: requests waiting for their answer, and assertions already used.
 * Expired rows are deleted as new ones come, so both tables stay as small as the traffic of the last hour.
 */
@Injectable()
export class SamlMessagesRepository {
  constructor(@Inject(SAML_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async saveRequest(requestId: string, purpose: SamlRequestPurpose, createdAt: Date, expiresAt: Date): Promise<void> {
    await inTransaction(this.dataSource, async (m) => {
      await m.delete(SamlAuthnRequestEntity, { expiresAt: LessThan(createdAt) });
      await m.insert(SamlAuthnRequestEntity, { requestId, purpose, createdAt, expiresAt });
    });
  }

  /** The request, while it is still waiting for its answer. */
  async findPendingRequest(requestId: string, now: Date): Promise<SamlAuthnRequestEntity | null> {
    return this.dataSource.manager.findOneBy(SamlAuthnRequestEntity, { requestId, expiresAt: MoreThan(now) });
  }

  async removeRequest(requestId: string): Promise<void> {
    await inTransaction(this.dataSource, (m) => m.delete(SamlAuthnRequestEntity, { requestId }));
  }

  /**
   * Records an assertion as used; false when it already was. The primary key decides, so two instances receiving the
   * same assertion at the same moment cannot both accept it.
   */
  async recordAssertion(messageId: string, expiresAt: Date, now: Date): Promise<boolean> {
    try {
      await inTransaction(this.dataSource, async (m) => {
        await m.delete(SamlMessageIdEntity, { expiresAt: LessThan(now) });
        await m.insert(SamlMessageIdEntity, { messageId, expiresAt });
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /**
   * Deletes requests and used assertions that expired, in bounded batches; returns how many. For a periodic clean-up
   * on any instance, so the tables shrink after a burst even when no new sign-in comes.
   */
  async purgeExpired(now: Date): Promise<number> {
    const expired = { expiresAt: LessThan(now) };
    return (
      (await deleteInBatches(this.dataSource, SamlAuthnRequestEntity, 'requestId', expired)) +
      (await deleteInBatches(this.dataSource, SamlMessageIdEntity, 'messageId', expired))
    );
  }
}
